import { ApolloProvider, useMutation } from '@apollo/client/react';
import { Alert, Button, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { createApolloClient } from '../apollo.js';
import type { AuthState } from '../auth.js';
import { graphql } from '../generated/gql.js';
import { errorCode, errorMessage } from '../errors.js';

export const LoginDocument = graphql(`
  mutation ConsoleLogin($tenant: String!, $email: String!, $password: String!) {
    login(tenant: $tenant, email: $email, password: $password) {
      accessToken
      accessTokenExpiresAt
      refreshToken
      operator {
        id
        email
        role
      }
    }
  }
`);

/** An operator signs in to a tenant (its slug), with email and password. */
export function LoginPage({ onSignedIn }: { onSignedIn: (state: AuthState) => void }) {
  const client = useMemo(() => createApolloClient(async () => null), []);
  return (
    <ApolloProvider client={client}>
      <LoginForm onSignedIn={onSignedIn} />
    </ApolloProvider>
  );
}

export function LoginForm({ onSignedIn }: { onSignedIn: (state: AuthState) => void }) {
  const [tenant, setTenant] = useState(() => window.localStorage.getItem('idgraph.console.tenant') ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [login, { loading, error }] = useMutation(LoginDocument);
  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const { data } = await login({ variables: { tenant: tenant.trim(), email: email.trim(), password } }).catch(() => ({ data: undefined }));
    if (!data) return;
    window.localStorage.setItem('idgraph.console.tenant', tenant.trim());
    onSignedIn({ ...data.login, tenant: tenant.trim() });
  }
  return (
    <main className="centered">
      <Paper withBorder p="lg" component="form" onSubmit={(e: React.FormEvent) => void submit(e)} aria-labelledby="login-title">
        <Stack>
          <Title order={1} size="h3" id="login-title">Sign in to idgraph</Title>
          {error && <Alert color="red" role="alert" title="Not signed in">{errorCode(error) === 'UNAUTHENTICATED' ? 'Wrong tenant, email or password.' : errorMessage(error)}</Alert>}
          <TextInput label="Tenant" description="Your company's tenant slug" required value={tenant} onChange={(e) => setTenant(e.currentTarget.value)} autoComplete="organization" />
          <TextInput label="Email" type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} autoComplete="username" />
          <PasswordInput label="Password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="current-password" />
          <Button type="submit" loading={loading}>Sign in</Button>
        </Stack>
      </Paper>
    </main>
  );
}
