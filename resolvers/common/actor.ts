import { ActorType } from '../../domain/audit/audit-entry.entity.js';
import type { Actor } from '../../domain/audit/audit.service.js';
import type { Principal } from '../../server/context.js';

/** The audit actor of an authenticated principal. */
export function actorOf(principal: Exclude<Principal, { kind: 'anonymous' }>): Actor {
  return principal.kind === 'token' ? { type: ActorType.TOKEN, id: principal.tokenId } : { type: ActorType.APPLICANT, id: principal.sessionId };
}
