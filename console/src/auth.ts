/**
 * The signed-in operator's tokens (a 15-minute access token and a single-use refresh token, `login`'s AuthPayload),
 * kept in this tab's sessionStorage. The access token is refreshed shortly before it expires, one refresh at a time;
 * a refused refresh signs the operator out.
 */
export interface AuthState {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  tenant: string;
  operator: { id: string; email: string; role: string };
}

/** Exchanges a refresh token for a new pair (the `refreshSession` mutation); throws when refused. */
export type Refresher = (refreshToken: string) => Promise<Pick<AuthState, 'accessToken' | 'accessTokenExpiresAt' | 'refreshToken'>>;

const KEY = 'idgraph.console.auth';
/** Refresh when fewer than this many milliseconds are left. */
const MARGIN_MS = 60_000;

export class AuthStore {
  private state: AuthState | null;
  private refreshing: Promise<string | null> | null = null;
  private readonly listeners = new Set<() => void>();
  private refresher: Refresher | null = null;

  constructor(private readonly storage: Storage, private readonly now: () => number = Date.now) {
    this.state = AuthStore.read(storage);
  }

  private static read(storage: Storage): AuthState | null {
    try {
      const raw = storage.getItem(KEY);
      return raw ? (JSON.parse(raw) as AuthState) : null;
    } catch {
      return null;
    }
  }

  /** Set once the Apollo client exists (the refresh is itself a GraphQL mutation). */
  useRefresher(refresher: Refresher): void {
    this.refresher = refresher;
  }

  get current(): AuthState | null {
    return this.state;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  signIn(state: AuthState): void {
    this.set(state);
  }

  signOut(): void {
    this.set(null);
  }

  /** A valid access token (refreshed first when about to expire), or null when signed out. */
  async accessToken(): Promise<string | null> {
    const state = this.state;
    if (!state) return null;
    if (Date.parse(state.accessTokenExpiresAt) - this.now() > MARGIN_MS) return state.accessToken;
    this.refreshing ??= this.refresh(state).finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async refresh(state: AuthState): Promise<string | null> {
    if (!this.refresher) return state.accessToken;
    try {
      const pair = await this.refresher(state.refreshToken);
      this.set({ ...state, ...pair });
      return pair.accessToken;
    } catch {
      this.set(null);
      return null;
    }
  }

  private set(state: AuthState | null): void {
    this.state = state;
    if (state) this.storage.setItem(KEY, JSON.stringify(state));
    else this.storage.removeItem(KEY);
    for (const listener of this.listeners) listener();
  }
}
