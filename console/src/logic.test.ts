import { describe, expect, it } from 'vitest';
import { AuthStore, type AuthState } from './auth.js';
import { applyEvent, matches, MAX_TILES, startOfToday, withDetails, type LiveEvent, type Tile } from './live-log.js';
import { reviewQueue, shortcut } from './review-queue.js';
import { explainWarnings, mrzView, ocrFields } from './session-view.js';

const event = (over: Partial<LiveEvent> = {}): LiveEvent => ({
  kind: 'SESSION_CREATED', sessionId: 's1', scenarioId: 'sc1', status: 'IN_PROGRESS', warnings: [], at: '2026-12-04T10:00:00.000Z', ...over,
});

describe('the live log', () => {
  it('adds a new session on top and moves a known one up with its new status, keeping the warnings it had', () => {
    let tiles: Tile[] = [];
    tiles = applyEvent(tiles, event());
    tiles = applyEvent(tiles, event({ sessionId: 's2', at: '2026-12-04T10:00:01.000Z' }));
    expect(tiles.map((t) => t.sessionId)).toEqual(['s2', 's1']);
    tiles = applyEvent(tiles, event({ kind: 'STEP_EVALUATED', warnings: [{ code: 'MRZ_INVALID' }], at: '2026-12-04T10:00:02.000Z' }));
    tiles = applyEvent(tiles, event({ kind: 'SESSION_DECIDED', status: 'FAILED', at: '2026-12-04T10:00:03.000Z' }));
    expect(tiles[0]).toMatchObject({ sessionId: 's1', status: 'FAILED', warningCodes: ['MRZ_INVALID'], lastEvent: 'SESSION_DECIDED' });
    expect(tiles).toHaveLength(2);
  });

  it('ignores an event older than what the tile shows, and keeps the newest tiles only', () => {
    const tiles = applyEvent([], event({ status: 'SUCCESS', at: '2026-12-04T10:00:05.000Z' }));
    expect(applyEvent(tiles, event({ status: 'IN_PROGRESS', at: '2026-12-04T10:00:01.000Z' }))[0]!.status).toBe('SUCCESS');
    let many: Tile[] = [];
    for (let i = 0; i < MAX_TILES + 5; i++) many = applyEvent(many, event({ sessionId: `s${i}`, at: new Date(Date.UTC(2026, 11, 4, 10, 0, i)).toISOString() }));
    expect(many).toHaveLength(MAX_TILES);
    expect(many[0]!.sessionId).toBe(`s${MAX_TILES + 4}`);
  });

  it('fills in the key fields of a tile created from an event, and filters by scenario and status', () => {
    const tiles = withDetails(applyEvent([], event()), { id: 's1', externalUserId: 'customer-7', needsReview: true, startedAt: '2026-12-04T09:59:00.000Z', scenario: { name: 'KYC' } });
    expect(tiles[0]).toMatchObject({ externalUserId: 'customer-7', needsReview: true, scenarioName: 'KYC' });
    expect(matches(tiles[0]!, { scenarioId: null, statuses: [] })).toBe(true);
    expect(matches(tiles[0]!, { scenarioId: 'other', statuses: [] })).toBe(false);
    expect(matches(tiles[0]!, { scenarioId: 'sc1', statuses: ['SUCCESS'] })).toBe(false);
    expect(matches(tiles[0]!, { scenarioId: 'sc1', statuses: ['IN_PROGRESS', 'SUCCESS'] })).toBe(true);
  });

  it('counts "today" from the operator\'s local midnight', () => {
    const at = new Date(2026, 11, 4, 15, 30);
    expect(new Date(startOfToday(at)).getTime()).toBe(new Date(2026, 11, 4).getTime());
  });
});

describe('the review queue', () => {
  it('lists the sessions needing review, oldest first', () => {
    const queue = reviewQueue([
      { id: 'b', needsReview: true, startedAt: '2026-12-04T10:00:00Z' },
      { id: 'c', needsReview: false, startedAt: '2026-12-01T10:00:00Z' },
      { id: 'a', needsReview: true, startedAt: '2026-12-03T10:00:00Z' },
    ]);
    expect(queue.map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('maps a, r, j/n, k/p to actions, but not while typing or with a modifier', () => {
    const key = (k: string, target: EventTarget | null = null, mod = false) => shortcut({ key: k, ctrlKey: mod, metaKey: false, altKey: false, target });
    expect([key('a'), key('r'), key('j'), key('n'), key('k'), key('p'), key('x')]).toEqual(['approve', 'reject', 'next', 'next', 'previous', 'previous', null]);
    expect(key('a', { tagName: 'TEXTAREA', isContentEditable: false } as unknown as EventTarget)).toBeNull();
    expect(key('a', { tagName: 'DIV', isContentEditable: true } as unknown as EventTarget)).toBeNull();
    expect(key('a', null, true)).toBeNull();
  });
});

describe('the session detail', () => {
  it('joins every warning with the decision\'s effect and threshold, by code', () => {
    const explained = explainWarnings(
      [{ code: 'FACE_MISMATCH', severity: 'HIGH', confidence: 0.4, message: 'The selfie does not match.' }, { code: 'LOW_QUALITY', severity: 'LOW', confidence: 0.2, message: 'Blurry.' }],
      [{ code: 'FACE_MISMATCH', severity: 'HIGH', effect: 'REJECT', threshold: 0.45, value: 0.27 }, { code: 'AGE_OUT_OF_RANGE', severity: 'MEDIUM', effect: 'REVIEW' }],
    );
    expect(explained).toEqual([
      { code: 'FACE_MISMATCH', severity: 'HIGH', confidence: 0.4, message: 'The selfie does not match.', effect: 'REJECT', threshold: 0.45, value: 0.27 },
      { code: 'LOW_QUALITY', severity: 'LOW', confidence: 0.2, message: 'Blurry.', effect: null, threshold: null, value: null },
      { code: 'AGE_OUT_OF_RANGE', severity: 'MEDIUM', confidence: null, message: null, effect: 'REVIEW', threshold: null, value: null },
    ]);
  });

  it('reads the MRZ check digits and the OCR fields\' flags as the API sent them', () => {
    expect(mrzView(null)).toBeNull();
    const mrz = mrzView({ format: 'TD3', lines: ['P<UTO', 'L898'], valid: false, checks: [{ name: 'birthDate', valid: false, digit: '3', expected: '2' }] });
    expect(mrz).toEqual({ format: 'TD3', lines: ['P<UTO', 'L898'], valid: false, checks: [{ name: 'birthDate', valid: false, digit: '3', expected: '2' }] });
    expect(ocrFields([{ title: 'surname', value: 'ERIKSSON', confidence: 0.9, isMismatch: true, isUnreadable: false, isEdited: true }])).toEqual([
      { title: 'surname', value: 'ERIKSSON', confidence: 0.9, flags: ['mismatch', 'edited'] },
    ]);
  });
});

class MemoryStorage implements Storage {
  private readonly map = new Map<string, string>();
  get length() { return this.map.size; }
  clear() { this.map.clear(); }
  getItem(key: string) { return this.map.get(key) ?? null; }
  key(i: number) { return [...this.map.keys()][i] ?? null; }
  removeItem(key: string) { this.map.delete(key); }
  setItem(key: string, value: string) { this.map.set(key, value); }
}

describe('the operator\'s tokens', () => {
  const signedIn = (expiresAt: string): AuthState => ({
    accessToken: 'uat_old', accessTokenExpiresAt: expiresAt, refreshToken: 'ref_1', tenant: 'demo', operator: { id: 'u1', email: 'o@x', role: 'OWNER' },
  });

  it('keeps a fresh access token, refreshes one about to expire once for concurrent callers, and persists the pair', async () => {
    const now = Date.parse('2026-12-04T10:00:00Z');
    const storage = new MemoryStorage();
    const store = new AuthStore(storage, () => now);
    store.signIn(signedIn('2026-12-04T10:10:00Z'));
    expect(await store.accessToken()).toBe('uat_old');
    store.signIn(signedIn('2026-12-04T10:00:30Z'));
    const calls: string[] = [];
    store.useRefresher(async (refreshToken) => {
      calls.push(refreshToken);
      return { accessToken: 'uat_new', accessTokenExpiresAt: '2026-12-04T10:15:00Z', refreshToken: 'ref_2' };
    });
    expect(await Promise.all([store.accessToken(), store.accessToken()])).toEqual(['uat_new', 'uat_new']);
    expect(calls).toEqual(['ref_1']);
    expect(new AuthStore(storage, () => now).current).toMatchObject({ accessToken: 'uat_new', refreshToken: 'ref_2', tenant: 'demo' });
  });

  it('signs out when the refresh is refused, and tells its listeners', async () => {
    const store = new AuthStore(new MemoryStorage(), () => Date.parse('2026-12-04T10:00:00Z'));
    store.signIn(signedIn('2026-12-04T09:00:00Z'));
    let told = 0;
    store.subscribe(() => told++);
    store.useRefresher(async () => {
      throw new Error('UNAUTHENTICATED');
    });
    expect(await store.accessToken()).toBeNull();
    expect(store.current).toBeNull();
    expect(told).toBe(1);
  });
});
