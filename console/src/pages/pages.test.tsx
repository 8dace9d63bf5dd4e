// @vitest-environment happy-dom
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Providers } from '../App.js';
import { LoginDocument, LoginForm } from './LoginPage.js';
import { ReviewForm, ReviewSessionDocument } from './SessionDetail.js';

afterEach(cleanup);

// Mantine reads these browser APIs happy-dom leaves out.
window.matchMedia ??= ((query: string) => ({ matches: false, media: query, addEventListener() {}, removeEventListener() {}, addListener() {}, removeListener() {}, onchange: null, dispatchEvent: () => false })) as typeof window.matchMedia;

function fill(label: RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe('the login form', () => {
  const variables = { tenant: 'demo', email: 'owner@demo.test', password: 'correct horse' };

  it('signs in with the tenant, email and password, and hands over the tokens', async () => {
    const login = { accessToken: 'uat_1', accessTokenExpiresAt: '2026-12-04T10:15:00.000Z', refreshToken: 'ref_1', operator: { __typename: 'Operator' as const, id: 'u1', email: variables.email, role: 'OWNER' as const } };
    const onSignedIn = vi.fn();
    render(
      <Providers>
        <MockedProvider mocks={[{ request: { query: LoginDocument, variables }, result: { data: { login: { __typename: 'AuthPayload', ...login } } } }]}>
          <LoginForm onSignedIn={onSignedIn} />
        </MockedProvider>
      </Providers>,
    );
    fill(/^Tenant/, ' demo ');
    fill(/^Email/, variables.email);
    fill(/^Password/, variables.password);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledTimes(1));
    expect(onSignedIn.mock.calls[0]![0]).toMatchObject({ accessToken: 'uat_1', refreshToken: 'ref_1', tenant: 'demo', operator: { email: variables.email, role: 'OWNER' } });
  });

  it('says the credentials are wrong when the API answers UNAUTHENTICATED, and stays on the form', async () => {
    const onSignedIn = vi.fn();
    render(
      <Providers>
        <MockedProvider mocks={[{ request: { query: LoginDocument, variables }, result: { errors: [new GraphQLError('Invalid credentials', { extensions: { code: 'UNAUTHENTICATED' } })] } }]}>
          <LoginForm onSignedIn={onSignedIn} />
        </MockedProvider>
      </Providers>,
    );
    fill(/^Tenant/, 'demo');
    fill(/^Email/, variables.email);
    fill(/^Password/, variables.password);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Wrong tenant, email or password.')).toBeTruthy();
    expect(onSignedIn).not.toHaveBeenCalled();
  });
});

describe('the manual review form', () => {
  it('sends a rejection with its type and note, and shows the status the API decided', async () => {
    const variables = { id: 's1', decision: 'REJECT' as const, note: 'document photo is a screen', rejectType: 'FINAL' as const, rejectLabels: [] };
    const onDone = vi.fn();
    render(
      <Providers>
        <MockedProvider mocks={[{
          request: { query: ReviewSessionDocument, variables },
          result: { data: { reviewSession: { __typename: 'Session', id: 's1', status: 'FAILED', reviewAnswer: 'RED', rejectType: 'FINAL', rejectLabels: [], needsReview: false } } },
        }]}>
          <ReviewForm session={{ id: 's1', status: 'SUSPICIOUS' }} onDone={onDone} />
        </MockedProvider>
      </Providers>,
    );
    fireEvent.click(screen.getByLabelText('Reject'));
    fireEvent.click(await screen.findByLabelText('Final'));
    expect(screen.getByRole('combobox', { name: 'Reject labels' })).toBeTruthy();
    fill(/^Note/, variables.note);
    fireEvent.click(screen.getByRole('button', { name: 'Submit review' }));
    expect(await screen.findByText('Reviewed: Failed')).toBeTruthy();
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it('shows the API\'s refusal and does not report the review done', async () => {
    const variables = { id: 's1', decision: 'APPROVE' as const, note: 'ok', rejectType: null, rejectLabels: null };
    const onDone = vi.fn();
    render(
      <Providers>
        <MockedProvider mocks={[{ request: { query: ReviewSessionDocument, variables }, result: { errors: [new GraphQLError('The session is still in progress', { extensions: { code: 'CONFLICT' } })] } }]}>
          <ReviewForm session={{ id: 's1', status: 'IN_PROGRESS' }} onDone={onDone} />
        </MockedProvider>
      </Providers>,
    );
    fill(/^Note/, 'ok');
    fireEvent.click(screen.getByRole('button', { name: 'Submit review' }));
    expect(await screen.findByText('The session is still in progress')).toBeTruthy();
    expect(onDone).not.toHaveBeenCalled();
  });
});
