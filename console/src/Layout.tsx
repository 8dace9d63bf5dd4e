import { Anchor, Burger, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { NavLink } from 'react-router';
import { useApolloClient } from '@apollo/client/react';
import type { AuthState, AuthStore } from './auth.js';
import { graphql } from './generated/gql.js';

const LogoutDocument = graphql(`
  mutation ConsoleLogout($refreshToken: String!) {
    logout(refreshToken: $refreshToken)
  }
`);

const PAGES = [
  { to: '/', label: 'Live log' },
  { to: '/review', label: 'Awaiting action' },
];

/** The frame of every operator page: a header with the tenant and the operator, a navigation, the page. */
export function Layout({ auth, store, children }: { auth: AuthState; store: AuthStore; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const client = useApolloClient();
  async function logout() {
    // The refresh token's family is revoked server-side; the tab forgets the tokens either way.
    await client.mutate({ mutation: LogoutDocument, variables: { refreshToken: auth.refreshToken } }).catch(() => undefined);
    await client.clearStore();
    store.signOut();
  }
  return (
    <div className="shell">
      <header className="shell-header">
        <Group gap="sm" wrap="nowrap">
          <Burger className="nav-toggle" opened={open} onClick={() => setOpen(!open)} aria-label="Navigation" aria-expanded={open} aria-controls="console-nav" size="sm" />
          <Text fw={700} component="span">idgraph</Text>
          <Text c="dimmed" size="sm" component="span">{auth.tenant}</Text>
        </Group>
        <Group gap="sm" wrap="nowrap">
          <Text size="sm" className="operator-email" component="span">{auth.operator.email} ({auth.operator.role})</Text>
          <Button variant="default" size="xs" onClick={() => void logout()}>Sign out</Button>
        </Group>
      </header>
      <nav id="console-nav" aria-label="Console" className={open ? 'shell-nav open' : 'shell-nav'}>
        {PAGES.map((page) => (
          <Anchor key={page.to} component={NavLink} to={page.to} end className="nav-link" onClick={() => setOpen(false)}>
            {page.label}
          </Anchor>
        ))}
      </nav>
      <main className="shell-main" id="main">
        {children}
      </main>
    </div>
  );
}
