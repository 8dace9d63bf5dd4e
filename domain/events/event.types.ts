import type { Warning } from '../warnings/warning.js';

/** Every kind of live event (the operators' live log and the applicant's own session). */
export enum Topic {
  SESSION_CREATED = 'SESSION_CREATED',
  CAPTURE_RECEIVED = 'CAPTURE_RECEIVED',
  STEP_EVALUATED = 'STEP_EVALUATED',
  SESSION_DECIDED = 'SESSION_DECIDED',
  SESSION_REVIEWED = 'SESSION_REVIEWED',
  SESSION_STATUS_CHANGED = 'SESSION_STATUS_CHANGED',
  /** Not shown to clients: tells every node to end the subscriptions of a revoked token or a signed-out operator. */
  TOKEN_REVOKED = 'TOKEN_REVOKED',
  /** A session was erased (issue 20, `session.deleted`); its status is the one it had when erased. */
  SESSION_DELETED = 'SESSION_DELETED',
}

/** A session event as published: enough for a log line without a database read. */
export interface SessionEvent {
  topic: Exclude<Topic, Topic.TOKEN_REVOKED>;
  tenantId: string;
  sessionId: string;
  scenarioId: string;
  status: string;
  /** Step position for capture and step events. */
  step?: number;
  warnings?: Warning[];
  at: string;
}

/** Token revocation, fanned out to the nodes holding its subscriptions. */
export interface TokenRevokedEvent {
  topic: Topic.TOKEN_REVOKED;
  tenantId: string;
  /** A partner token's id, or the refresh token family of an operator's sign-in. */
  tokenId: string;
  at: string;
}

/** What travels on the bus. */
export type BusEvent = SessionEvent | TokenRevokedEvent;
