import { hkdfSync } from 'node:crypto';
import type { Logger } from 'pino';
import { BlobStore } from '../domain/blobs/blob-store.js';
import { loadMasterKey } from '../domain/blobs/master-key.js';
import { Database } from '../domain/database/database.js';
import type { EventBus } from '../domain/events/event-bus.js';
import { InProcessBus } from '../domain/events/in-process.bus.js';
import { RedisBus } from '../domain/events/redis.bus.js';
import { HealthService } from '../domain/health/health.service.js';
import { ScenarioService } from '../domain/scenarios/scenario.service.js';
import { SessionService } from '../domain/sessions/session.service.js';
import { ApplicantTokens } from '../domain/tokens/applicant-token.js';
import { SignedTokens } from '../domain/tokens/signed-token.js';
import { OperatorAuthService } from '../domain/users/operator-auth.service.js';
import { CaptureService } from '../domain/sessions/capture.service.js';
import { FaceListService } from '../domain/face-lists/face-list.service.js';
import { KycLinkService } from '../domain/kyc-links/kyc-link.service.js';
import { FaceIndexService } from '../domain/faces/face-index.service.js';
import { FaceMatchService } from '../domain/faces/face-match.service.js';
import { IdempotencyService } from '../domain/idempotency/idempotency.service.js';
import { TenantCipher } from '../domain/blobs/tenant-cipher.js';
import { VerificationEngine } from '../domain/verification/verification.engine.js';
import { InferenceHandle } from './inference-handle.js';
import { RateLimiter } from './rate-limit.js';
import { TenantService } from '../domain/tenants/tenant.service.js';
import { TokenService } from '../domain/tokens/token.service.js';
import type { Config } from './config.js';
import { IDGRAPH_VERSION } from './version.js';
import { SessionErasureService } from '../domain/erasure/session-erasure.service.js';
import { CaptureImageService } from '../domain/images/capture-image.service.js';
import { systemClock, type Clock } from '../domain/events/clock.js';
import { Metrics } from './metrics/metrics.js';
import { RetentionService, RETENTION_LOCK_KEY } from '../domain/retention/retention.service.js';
import { AdvisoryRunLock, InProcessRunLock } from '../domain/retention/run-lock.js';
import { SessionSummaryService } from '../domain/summaries/session-summary.service.js';
import { LoginThrottle } from '../domain/users/login-throttle.js';
import { WebhookEndpointService } from '../domain/webhooks/webhook-endpoint.service.js';
import { WebhookOutbox } from '../domain/webhooks/webhook-outbox.js';
import { WebhookSecrets } from '../domain/webhooks/webhook-secret.js';
import { WebhookWorker } from '../domain/webhooks/webhook-worker.js';
import { UserManagementService } from '../domain/users/user-management.service.js';

/** The domain services one idgraph node runs, wired once at start. */
export interface Services {
  db: Database;
  events: EventBus;
  blobs: BlobStore;
  tokens: TokenService;
  tenants: TenantService;
  applicantTokens: ApplicantTokens;
  operators: OperatorAuthService;
  scenarios: ScenarioService;
  sessions: SessionService;
  captures: CaptureService;
  faceLists: FaceListService;
  kycLinks: KycLinkService;
  faceMatches: FaceMatchService;
  faceIndexes: FaceIndexService;
  idempotency: IdempotencyService;
  limits: Config['limits'];
  rateLimiter: RateLimiter;
  /** The inference pool, started on first use (`startIdgraph` starts it at once). */
  inference: InferenceHandle;
  health: HealthService;
  /** What credential checks and subscription deadlines read the time from (a test moves its own). */
  clock: Clock;
  /** This node's Prometheus metrics (server/metrics/). */
  metrics: Metrics;
  /** Applies the scenarios' retention settings (the retention job). */
  retention: RetentionService;
  /** The regulators' PDF summary of a session, behind short-lived signed links. */
  sessionSummaries: SessionSummaryService;
  /** Failed credential checks (login, refresh, TOTP) per account and address, shared by every node through Redis. */
  loginThrottle: LoginThrottle;
  /** Webhook endpoints and redelivery (issue 20). */
  webhooks: WebhookEndpointService;
  /** The transactional outbox the core records its events in. */
  outbox: WebhookOutbox;
  /** Delivers the outbox; started with the node by `startWebhookWorkerJob` when configured. */
  webhookWorker: WebhookWorker;
  /** Seals and opens endpoint secrets (a second worker in tests and benchmarks is built from it). */
  webhookSecrets: WebhookSecrets;
  /** Operator management: invitations, roles, disabling, password links. */
  users: UserManagementService;
  /** GDPR erasure of sessions (deleteSession, the retention job). */
  erasure: SessionErasureService;
  /** Signed, short-lived capture image URLs and the route behind them. */
  images: CaptureImageService;
}

/** Connects the database (migrating it) and the event bus, opens the blob store and wires the services. */
export async function createServices(config: Config, logger: Logger): Promise<Services> {
  const db = await Database.connect({ ...config.database, log: (message) => logger.debug({ module: 'orm' }, message) });
  let events: EventBus | undefined;
  let rateLimiter: RateLimiter | undefined;
  let loginThrottle: LoginThrottle | undefined;
  try {
    // Redis when configured, so operators on any node see every node's sessions; in-process otherwise.
    events = config.redis.url ? await RedisBus.connect(config.redis.url) : new InProcessBus();
    const metrics = new Metrics();
    events = metrics.observeBus(events);
    const applied = await db.migrate();
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    const masterKey = await loadMasterKey({ hex: config.blobs.masterKeyHex, devKeyFile: config.blobs.devKeyFile, logger });
    const tokens = new TokenService(db, events);
    // The outbox, woken after each commit that recorded deliveries (a hint: the worker also polls).
    const outbox = new WebhookOutbox();
    db.orm.em.getEventManager().registerSubscriber({ afterTransactionCommit: (args) => outbox.transactionCommitted(args.transaction) });
    const webhookPolicy = { allowHttpAndLoopback: config.webhooks.allowHttpAndLoopback };
    const scenarios = new ScenarioService(undefined, webhookPolicy);
    const webhookSecrets = new WebhookSecrets(new TenantCipher(masterKey, 'idgraph-webhook-secret-v1'));
    const webhookWorker = new WebhookWorker(
      db,
      webhookSecrets,
      { policy: webhookPolicy, pollMs: config.webhooks.pollMs, leaseMs: config.webhooks.leaseMs, timeoutMs: config.webhooks.timeoutMs, ...(config.webhooks.retryScheduleMs ? { scheduleMs: config.webhooks.retryScheduleMs } : {}) },
      logger.child({ module: 'webhooks' }),
    );
    outbox.onCommitted(() => webhookWorker.wake());
    const sessions = new SessionService(db, scenarios, events, undefined, outbox);
    const blobs = new BlobStore(config.blobs.dir, masterKey);
    const erasure = new SessionErasureService(blobs, events, logger.child({ module: 'erasure' }), outbox);
    const inference = new InferenceHandle(config, logger, (box) => metrics.instrumentInference(box));
    const signedTokens = new SignedTokens(deriveKey(masterKey, 'idgraph-signed-tokens-v1'));
    rateLimiter = await RateLimiter.create(config.limits.rate, config.redis.url);
    loginThrottle = await LoginThrottle.create(config.redis.url);
    return {
      db,
      events,
      blobs,
      tokens,
      tenants: new TenantService(db, tokens, scenarios),
      applicantTokens: new ApplicantTokens(signedTokens),
      operators: new OperatorAuthService(db, signedTokens, events, loginThrottle),
      scenarios,
      sessions,
      captures: new CaptureService(db, sessions, new VerificationEngine(() => inference.get()), blobs, events, undefined, outbox),
      faceLists: new FaceListService(undefined, outbox),
      kycLinks: new KycLinkService(db, scenarios, sessions),
      faceMatches: new FaceMatchService(),
      faceIndexes: new FaceIndexService(db),
      idempotency: new IdempotencyService(db, new TenantCipher(masterKey, 'idgraph-idempotency-v1')),
      inference,
      limits: config.limits,
      rateLimiter,
      health: new HealthService(db, IDGRAPH_VERSION),
      clock: systemClock,
      metrics,
      retention: new RetentionService(db, blobs, sessions, erasure, config.database.url ? new AdvisoryRunLock(config.database.url, RETENTION_LOCK_KEY) : new InProcessRunLock(), {
        batchSize: config.retention.batchSize,
      }),
      sessionSummaries: new SessionSummaryService(db, sessions, blobs, new SignedTokens(deriveKey(masterKey, 'idgraph-download-links-v1'))),
      loginThrottle,
      webhooks: new WebhookEndpointService(webhookSecrets, { policy: webhookPolicy, secretOverlapMs: config.webhooks.secretOverlapMs }, () => webhookWorker.wake()),
      outbox,
      webhookWorker,
      webhookSecrets,
      users: new UserManagementService(db, events),
      erasure,
      images: new CaptureImageService(db, blobs, signedTokens),
    };
  } catch (error) {
    await loginThrottle?.close();
    await rateLimiter?.close();
    await events?.close();
    await db.close();
    throw error;
  }
}

/** Closes what {@link createServices} opened, in reverse order. */
export async function closeServices(services: Services): Promise<void> {
  await services.inference.dispose();
  await services.rateLimiter.close();
  await services.loginThrottle.close();
  await services.events.close();
  await services.db.close();
}

/** A purpose-bound key from the master key (HKDF-SHA256), so no two uses ever share key material. */
function deriveKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), Buffer.from(purpose), 32));
}

