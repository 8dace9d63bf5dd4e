import type { EntityManager } from '@mikro-orm/sql';
import type { DatabaseDriver } from '../../domain/database/database.js';
import { ActorType } from '../../domain/audit/audit-entry.entity.js';
import { FaceList, FaceListKind } from '../../domain/face-lists/face-list.entity.js';
import { Face } from '../../domain/faces/face.entity.js';
import { CheckEffect } from '../../domain/scenarios/scenario-settings.js';
import type { ScenarioInputRaw } from '../../domain/scenarios/scenario-input.js';
import { Session } from '../../domain/sessions/session.entity.js';
import { SessionStep } from '../../domain/sessions/session-step.entity.js';
import { seedTenant } from '../support/seed.js';
import { startTestNode, type TestNode } from '../support/test-node.js';
import type { Warning } from '../../domain/warnings/warning.js';

/** The demo photos' faces are judged by the anti-spoofing model too; rules other than liveness switch it off. */
export const NO_LIVENESS = {
  RECAPTURED_FACE: { enabled: false, effect: CheckEffect.IGNORE },
  FACE_LIVENESS_ERR: { enabled: false, effect: CheckEffect.IGNORE },
};

/** A tenant of its own (cross-session rules must not see other tests' faces), driven through the domain services. */
export interface VerificationTenant {
  tenantId: string;
  /** The tenant's partner token (every scope), for the GraphQL checks. */
  token: string;
  blacklistId: string;
  customersId: string;
  em(): EntityManager;
  /** A scenario (liveness checks off unless `settings.checks` says otherwise) and a fresh session of it. */
  scenario(steps: ScenarioInputRaw['steps'], settings?: NonNullable<ScenarioInputRaw['settings']>): Promise<string>;
  session(scenarioId: string): Promise<string>;
  upload(sessionId: string, position: number, image: Buffer, now?: Date): ReturnType<TestNode['services']['captures']['addCapture']>;
  submit(sessionId: string): Promise<Session>;
  /** The session as stored, with its steps. */
  read(sessionId: string): Promise<{ session: Session; steps: SessionStep[] }>;
  /** The largest face of a capture, as stored. */
  faceOf(captureId: string): Promise<Face>;
  blacklist(faceId: string): Promise<void>;
}

/** A real node (port 0, fresh database of `driver`, one inference worker) with a tenant factory. */
export async function startVerificationNode(driver: DatabaseDriver): Promise<{ node: TestNode; tenant(): Promise<VerificationTenant> }> {
  const node = await startTestNode(driver, { IDGRAPH_SEED_DEMO: 'false', IDGRAPH_INFERENCE_WORKERS: '1' });
  const { services } = node;
  return {
    node,
    async tenant() {
      const { tenant, token } = await seedTenant(services.db, 'verification');
      const tenantId = tenant.id;
      const em = () => services.db.forTenant(tenantId);
      const lists = await em().find(FaceList, {});
      const blacklistId = lists.find((l) => l.kind === FaceListKind.BLACKLIST)!.id;
      return {
        tenantId,
        token: token.secret,
        blacklistId,
        customersId: lists.find((l) => l.kind === FaceListKind.CUSTOMERS)!.id,
        em,
        async scenario(steps, settings = {}) {
          const checks = { ...NO_LIVENESS, ...settings.checks };
          return (await services.scenarios.create(em(), tenantId, { name: 'verification', steps, settings: { ...settings, checks } })).scenario.id;
        },
        async session(scenarioId) {
          return (await services.sessions.create(em(), tenantId, { scenario: { id: scenarioId } })).id;
        },
        upload: (sessionId, position, image, now) => services.captures.addCapture({ tenantId, sessionId, position, image, now }),
        submit: (sessionId) => services.captures.submit({ tenantId, sessionId }),
        async read(sessionId) {
          const fresh = em();
          const session = await fresh.findOneOrFail(Session, sessionId);
          return { session, steps: await fresh.find(SessionStep, { session: sessionId }, { orderBy: { position: 'asc' } }) };
        },
        faceOf: (captureId) => em().findOneOrFail(Face, { capture: captureId }, { orderBy: { size: 'desc' } }),
        async blacklist(faceId) {
          await services.faceLists.addFace(em(), { tenantId, listId: blacklistId, faceId, reason: 'fraud', actor: { type: ActorType.SYSTEM, id: null } });
        },
      };
    },
  };
}

/** The codes of `warnings`, in order. */
export const codes = (warnings: readonly Warning[]) => warnings.map((w) => w.code);

/** What a session's decision says, in the shape the tests compare. */
export const decisionOf = (s: Session) => ({ status: s.status, reviewAnswer: s.reviewAnswer, rejectType: s.rejectType, rejectLabels: s.rejectLabels });
