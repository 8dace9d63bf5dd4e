import { ActorType } from '../../domain/audit/audit-entry.entity.js';
import type { Actor } from '../../domain/audit/audit.service.js';
import type { Principal } from '../../server/context.js';

/** The audit actor of an authenticated principal. */
export function actorOf(principal: Exclude<Principal, { kind: 'anonymous' }>): Actor {
  switch (principal.kind) {
    case 'token':
      return { type: ActorType.TOKEN, id: principal.tokenId };
    case 'user':
      return { type: ActorType.USER, id: principal.userId };
    case 'applicant':
      return { type: ActorType.APPLICANT, id: principal.sessionId };
  }
}
