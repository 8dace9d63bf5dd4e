import { ApolloProvider } from '@apollo/client/react';
import { MantineProvider, createTheme } from '@mantine/core';
import { useMemo, useSyncExternalStore } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { connectRefresh, createApolloClient } from './apollo.js';
import { AuthStore } from './auth.js';
import { Layout } from './Layout.js';
import { ApplicantPage } from './pages/ApplicantPage.js';
import { LiveLog } from './pages/LiveLog.js';
import { LoginPage } from './pages/LoginPage.js';
import { ReviewQueue } from './pages/ReviewQueue.js';
import { SessionDetail } from './pages/SessionDetail.js';

const theme = createTheme({ primaryColor: 'indigo', defaultRadius: 'md' });

/**
 * The console's providers. Mantine's runtime `<style>` tags are off (its variables and classes come from its CSS
 * file): the console's CSP allows style sheets of its own origin only.
 */
export function Providers({ children }: { children: React.ReactNode }) {
  return (
    <MantineProvider theme={theme} withCssVariables={false} withGlobalClasses={false} defaultColorScheme="light">
      {children}
    </MantineProvider>
  );
}

export function App() {
  const store = useMemo(() => {
    const auth = new AuthStore(window.sessionStorage);
    connectRefresh(auth);
    return auth;
  }, []);
  return (
    <Providers>
      <BrowserRouter basename="/console">
        <Routes>
          {/* The applicants' pages carry their own credential (a link token, an applicant token). */}
          <Route path="/link/:token" element={<ApplicantPage />} />
          <Route path="/apply/:sessionId" element={<ApplicantPage />} />
          <Route path="*" element={<Operator store={store} />} />
        </Routes>
      </BrowserRouter>
    </Providers>
  );
}

/** The operators' console: the login page until signed in, then the pages behind the navigation. */
function Operator({ store }: { store: AuthStore }) {
  const auth = useSyncExternalStore(store.subscribe, () => store.current);
  const signedIn = auth !== null;
  // A new client per sign-in: nothing cached for one operator or tenant is shown to the next.
  const client = useMemo(() => createApolloClient(() => store.accessToken()), [signedIn, auth?.tenant, auth?.operator.id]);
  if (!auth) return <LoginPage onSignedIn={(state) => store.signIn(state)} />;
  return (
    <ApolloProvider client={client}>
      <Layout auth={auth} store={store}>
        <Routes>
          <Route path="/" element={<LiveLog />} />
          <Route path="/sessions/:id" element={<SessionDetail />} />
          <Route path="/review" element={<ReviewQueue />} />
          <Route path="/login" element={<Navigate to="/" replace />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Layout>
    </ApolloProvider>
  );
}
