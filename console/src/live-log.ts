import type { SessionEventKind, SessionStatus } from './generated/graphql.js';

/** One tile of the live log: what the last page read or the last event said about a session. */
export interface Tile {
  sessionId: string;
  scenarioId: string;
  scenarioName?: string;
  status: SessionStatus;
  externalUserId?: string | null;
  warningCodes: string[];
  needsReview?: boolean;
  startedAt?: string;
  /** When the session last changed (its last event, or its start). */
  at: string;
  lastEvent?: SessionEventKind;
}

/** The fields of a `sessionEvents` event the log uses. */
export interface LiveEvent {
  kind: SessionEventKind;
  sessionId: string;
  scenarioId: string;
  status: SessionStatus;
  warnings: { code: string }[];
  at: string;
}

/** At most this many tiles are kept (the newest). */
export const MAX_TILES = 200;

/**
 * Applies an event to the tiles, newest first: a session seen before moves to the top with its new status and warnings
 * (an event without warnings keeps the ones known), a new one is added on top. Events arriving out of order (older
 * than the tile) change nothing.
 */
export function applyEvent(tiles: readonly Tile[], event: LiveEvent): Tile[] {
  const index = tiles.findIndex((tile) => tile.sessionId === event.sessionId);
  const known = index >= 0 ? tiles[index] : undefined;
  if (known && Date.parse(known.at) > Date.parse(event.at)) return tiles as Tile[];
  const codes = event.warnings.map((w) => w.code);
  const tile: Tile = {
    ...(known ?? { sessionId: event.sessionId, scenarioId: event.scenarioId, warningCodes: [] }),
    status: event.status,
    warningCodes: codes.length > 0 ? [...new Set([...(known?.warningCodes ?? []), ...codes])] : (known?.warningCodes ?? []),
    at: event.at,
    lastEvent: event.kind,
  };
  const rest = tiles.filter((t) => t.sessionId !== event.sessionId);
  return [tile, ...rest].slice(0, MAX_TILES);
}

/** Whether a tile passes the log's filters (an event of a session that no longer matches takes its tile away). */
export function matches(tile: Pick<Tile, 'scenarioId' | 'status'>, filter: { scenarioId: string | null; statuses: readonly SessionStatus[] }): boolean {
  return (filter.scenarioId === null || tile.scenarioId === filter.scenarioId) && (filter.statuses.length === 0 || filter.statuses.includes(tile.status));
}

/** Local midnight of `now`, as the API's DateTimeISO: "today" is the operator's day. */
export function startOfToday(now = new Date()): string {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
}
