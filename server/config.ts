import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_IMAGE_LIMITS, DEFAULT_MODELS_DIR } from '../inference/inference.options.js';

/** Thrown when the environment does not describe a valid configuration; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const booleanFlag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const positiveInt = z.coerce.number().int().positive();
const listenPort = z.coerce.number().int().min(0).max(65535);

const postgresUrl = z
  .string()
  .url()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL');
const redisUrl = z
  .string()
  .url()
  .refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL');

/** Every environment variable idgraph reads, with its default. Nothing else in the code reads `process.env`. */
const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  IDGRAPH_HOST: z.string().min(1).default('127.0.0.1'),
  // Unset: PORT, then 4000 (see the newcomer block at the end).
  IDGRAPH_PORT: listenPort.optional(),
  IDGRAPH_DATA_DIR: z.string().min(1).default('./.data'),
  IDGRAPH_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  IDGRAPH_INTROSPECTION: booleanFlag.optional(),
  DATABASE_URL: postgresUrl.optional(),
  IDGRAPH_DB_POOL_MAX: positiveInt.default(10),
  REDIS_URL: redisUrl.optional(),
  IDGRAPH_MASTER_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (a 256-bit key)')
    .optional(),
  IDGRAPH_BLOB_DIR: z.string().min(1).optional(),
  IDGRAPH_DEVICE: z.enum(['cpu', 'cuda']).default('cpu'),
  IDGRAPH_INFERENCE_WORKERS: positiveInt.optional(),
  // Unset: `.models` in the package root, so `npx idgraph …` finds the models from any directory.
  IDGRAPH_MODELS_DIR: z.string().min(1).default(DEFAULT_MODELS_DIR),
  IDGRAPH_INFERENCE_PRELOAD: booleanFlag.default(true),
  // Unset: the inference box's own defaults (inference/inference.options.ts), so they live in one place.
  IDGRAPH_INFERENCE_BATCH_SIZE: positiveInt.optional(),
  IDGRAPH_INFERENCE_BATCH_WAIT_MS: z.coerce.number().int().min(0).optional(),
  IDGRAPH_INFERENCE_QUEUE_LIMIT: z.coerce.number().int().min(0).optional(),
  IDGRAPH_INFERENCE_TIMEOUT_MS: positiveInt.optional(),
  IDGRAPH_MAX_UPLOAD_BYTES: positiveInt.default(DEFAULT_IMAGE_LIMITS.maxBytes),
  IDGRAPH_MAX_IMAGE_PIXELS: positiveInt.default(DEFAULT_IMAGE_LIMITS.maxPixels),
  IDGRAPH_MAX_UPLOAD_FILES: positiveInt.default(1),
  IDGRAPH_SEED_DEMO: booleanFlag.default(true),
  IDGRAPH_MAX_QUERY_DEPTH: positiveInt.default(12),
  IDGRAPH_MAX_QUERY_COMPLEXITY: positiveInt.default(5000),
  IDGRAPH_RATE_LIMIT_TOKEN: positiveInt.default(1200),
  IDGRAPH_RATE_LIMIT_APPLICANT: positiveInt.default(120),
  IDGRAPH_RATE_LIMIT_ANONYMOUS: positiveInt.default(120),
  // Hardening (issue 19): what a hostile request may cost, and what an answer may reveal.
  IDGRAPH_DEBUG_ERRORS: booleanFlag.default(false),
  IDGRAPH_MAX_STRING_LENGTH: positiveInt.default(16 * 1024),
  IDGRAPH_QUERY_BUDGET_OPERATOR: positiveInt.default(5000),
  IDGRAPH_QUERY_BUDGET_APPLICANT: positiveInt.default(500),
  IDGRAPH_QUERY_BUDGET_ANONYMOUS: positiveInt.default(60),
  IDGRAPH_WS_MAX_SUBSCRIPTIONS_PER_SOCKET: positiveInt.default(20),
  IDGRAPH_WS_MAX_SUBSCRIPTIONS_PER_CREDENTIAL: positiveInt.default(100),
  IDGRAPH_WS_MAX_SOCKETS_PER_IP: positiveInt.default(50),
  IDGRAPH_WS_MAX_BUFFERED_BYTES: positiveInt.default(1024 * 1024),
  IDGRAPH_WS_SLOW_CLIENT_GRACE_MS: positiveInt.default(5000),
  IDGRAPH_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().url().refine((o) => new URL(o).origin === o, 'each origin must be scheme://host[:port], no path'))),
  IDGRAPH_HTTPS: booleanFlag.default(false),
  // --- what a newcomer expects (issue 18) ---
  // The ecosystem's convention (Heroku, Cloud Run and Render set it for the process); IDGRAPH_PORT wins.
  PORT: listenPort.optional(),
  // Unset: human-readable (pino-pretty) when stdout is a terminal, JSON lines otherwise (server/log-format.ts).
  IDGRAPH_LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  // --- the data lifecycle (issue 21) ---
  // Unset both: no /metrics at all. A port: /metrics on a listener of its own, never on the public port. A token
  // alone: /metrics on the public port for `Authorization: Bearer <token>` only.
  IDGRAPH_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  IDGRAPH_METRICS_PORT: listenPort.optional(),
  // --- webhooks (issue 20) ---
  // Plain http and loopback receivers: development and tests only (SSRF, domain/webhooks/url-guard.ts).
  IDGRAPH_WEBHOOKS_ALLOW_HTTP: booleanFlag.default(false),
  // Whether this node runs the delivery worker (every node may: they share the outbox through row locks).
  IDGRAPH_WEBHOOKS_WORKER: booleanFlag.default(true),
  IDGRAPH_WEBHOOKS_POLL_MS: positiveInt.default(2000),
  IDGRAPH_WEBHOOKS_LEASE_MS: positiveInt.default(60_000),
  IDGRAPH_WEBHOOKS_SECRET_OVERLAP_HOURS: positiveInt.default(24),
  IDGRAPH_WEBHOOKS_TIMEOUT_MS: positiveInt.default(10_000),
  // Delays before attempts 1..n in ms, comma-separated; unset: the Standard Webhooks schedule (tests shorten it).
  IDGRAPH_WEBHOOKS_RETRY_SCHEDULE_MS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'comma-separated milliseconds')
    .transform((v) => v.split(',').map(Number))
    .optional(),
  IDGRAPH_RETENTION_INTERVAL_MS: positiveInt.default(60 * 60_000),
  IDGRAPH_RETENTION_BATCH_SIZE: positiveInt.default(200),
}).superRefine((e, ctx) => {
  // The development key sits beside the data it protects; a production node must be handed its key.
  if (e.NODE_ENV === 'production' && !e.IDGRAPH_MASTER_KEY) {
    ctx.addIssue({ code: 'custom', path: ['IDGRAPH_MASTER_KEY'], message: 'required when NODE_ENV=production (the generated development key is not for production)' });
  }
});

/** The parsed configuration, grouped by concern (STYLE §5). */
export interface Config {
  readonly env: 'development' | 'production' | 'test';
  /**
   * `debugErrors`: unexpected errors keep their message and stack in answers (IDGRAPH_DEBUG_ERRORS; never by NODE_ENV).
   * `corsOrigins`: origins allowed to call cross-origin (none by default). `https`: served over TLS or behind an
   * https proxy, so answers carry HSTS.
   */
  readonly http: { host: string; port: number; introspection: boolean; debugErrors: boolean; corsOrigins: readonly string[]; https: boolean };
  /** `format` unset: chosen by whether stdout is a terminal (`chooseLogFormat`). */
  readonly log: { level: string; format?: 'pretty' | 'json' };
  /** `url` set: PostgreSQL; otherwise embedded PGlite persisted in `dataDir`. */
  readonly database: { url?: string; dataDir: string; poolMax: number };
  readonly redis: { url?: string };
  readonly blobs: { dir: string; masterKeyHex?: string; devKeyFile: string };
  /** `preload`: start the worker pool with the node rather than on the first upload. */
  readonly inference: {
    device: 'cpu' | 'cuda';
    workers?: number;
    modelsDir: string;
    preload: boolean;
    /** Pool tuning; unset means the inference box's default (`InferenceOptions`). */
    batchSize?: number;
    batchWaitMs?: number;
    queueLimit?: number;
    timeoutMs?: number;
  };
  /** Rate limits are requests per minute: per token, per applicant session, per IP without credentials. */
  readonly limits: {
    maxUploadBytes: number;
    maxImagePixels: number;
    /** Files one multipart request may carry (`uploadCapture` takes one). */
    maxUploadFiles: number;
    maxQueryDepth: number;
    maxQueryComplexity: number;
    rate: { token: number; applicant: number; anonymous: number };
    /** Longest string a variable or literal may carry (server/input-guard.ts). */
    maxStringLength: number;
    /** Cost one operation may have by kind of caller; partner tokens have `maxQueryComplexity`. */
    budgets: { operator: number; applicant: number; anonymous: number };
    /** GraphQL over WebSocket. */
    ws: { maxSubscriptionsPerSocket: number; maxSubscriptionsPerCredential: number; maxSocketsPerIp: number; maxBufferedBytes: number; slowClientGraceMs: number };
  };
  readonly seedDemoTenant: boolean;
  /** `/metrics` (Prometheus): on `port` alone when set, else on the public port behind `token`, else not served. */
  readonly metrics: { token?: string; port?: number };
  /** Webhook delivery (docs/WEBHOOKS.md); `retryScheduleMs` unset: the Standard Webhooks schedule. */
  readonly webhooks: { allowHttpAndLoopback: boolean; worker: boolean; pollMs: number; leaseMs: number; secretOverlapMs: number; timeoutMs: number; retryScheduleMs?: number[] };
  /** The retention job: how often it runs (one node at a time), and how many images one transaction deletes. */
  readonly retention: { intervalMs: number; batchSize: number };
}

/**
 * Parses the environment once at start.
 * @throws ConfigError naming each variable that is wrong and why.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = resolve(e.IDGRAPH_DATA_DIR);
  return {
    env: e.NODE_ENV,
    http: {
      host: e.IDGRAPH_HOST,
      port: e.IDGRAPH_PORT ?? e.PORT ?? 4000,
      introspection: e.IDGRAPH_INTROSPECTION ?? e.NODE_ENV !== 'production',
      debugErrors: e.IDGRAPH_DEBUG_ERRORS,
      corsOrigins: e.IDGRAPH_CORS_ORIGINS,
      https: e.IDGRAPH_HTTPS,
    },
    log: { level: e.IDGRAPH_LOG_LEVEL, format: e.IDGRAPH_LOG_FORMAT },
    database: { url: e.DATABASE_URL, dataDir: resolve(dataDir, 'db'), poolMax: e.IDGRAPH_DB_POOL_MAX },
    redis: { url: e.REDIS_URL },
    blobs: {
      dir: resolve(e.IDGRAPH_BLOB_DIR ?? resolve(dataDir, 'blobs')),
      masterKeyHex: e.IDGRAPH_MASTER_KEY,
      devKeyFile: resolve(dataDir, 'dev-master.key'),
    },
    inference: {
      device: e.IDGRAPH_DEVICE,
      workers: e.IDGRAPH_INFERENCE_WORKERS,
      modelsDir: resolve(e.IDGRAPH_MODELS_DIR),
      preload: e.IDGRAPH_INFERENCE_PRELOAD,
      batchSize: e.IDGRAPH_INFERENCE_BATCH_SIZE,
      batchWaitMs: e.IDGRAPH_INFERENCE_BATCH_WAIT_MS,
      queueLimit: e.IDGRAPH_INFERENCE_QUEUE_LIMIT,
      timeoutMs: e.IDGRAPH_INFERENCE_TIMEOUT_MS,
    },
    limits: {
      maxUploadBytes: e.IDGRAPH_MAX_UPLOAD_BYTES,
      maxImagePixels: e.IDGRAPH_MAX_IMAGE_PIXELS,
      maxUploadFiles: e.IDGRAPH_MAX_UPLOAD_FILES,
      maxQueryDepth: e.IDGRAPH_MAX_QUERY_DEPTH,
      maxQueryComplexity: e.IDGRAPH_MAX_QUERY_COMPLEXITY,
      rate: { token: e.IDGRAPH_RATE_LIMIT_TOKEN, applicant: e.IDGRAPH_RATE_LIMIT_APPLICANT, anonymous: e.IDGRAPH_RATE_LIMIT_ANONYMOUS },
      maxStringLength: e.IDGRAPH_MAX_STRING_LENGTH,
      budgets: { operator: e.IDGRAPH_QUERY_BUDGET_OPERATOR, applicant: e.IDGRAPH_QUERY_BUDGET_APPLICANT, anonymous: e.IDGRAPH_QUERY_BUDGET_ANONYMOUS },
      ws: {
        maxSubscriptionsPerSocket: e.IDGRAPH_WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
        maxSubscriptionsPerCredential: e.IDGRAPH_WS_MAX_SUBSCRIPTIONS_PER_CREDENTIAL,
        maxSocketsPerIp: e.IDGRAPH_WS_MAX_SOCKETS_PER_IP,
        maxBufferedBytes: e.IDGRAPH_WS_MAX_BUFFERED_BYTES,
        slowClientGraceMs: e.IDGRAPH_WS_SLOW_CLIENT_GRACE_MS,
      },
    },
    seedDemoTenant: e.IDGRAPH_SEED_DEMO,
    metrics: { token: e.IDGRAPH_METRICS_TOKEN, port: e.IDGRAPH_METRICS_PORT },
    webhooks: {
      allowHttpAndLoopback: e.IDGRAPH_WEBHOOKS_ALLOW_HTTP,
      worker: e.IDGRAPH_WEBHOOKS_WORKER,
      pollMs: e.IDGRAPH_WEBHOOKS_POLL_MS,
      leaseMs: e.IDGRAPH_WEBHOOKS_LEASE_MS,
      secretOverlapMs: e.IDGRAPH_WEBHOOKS_SECRET_OVERLAP_HOURS * 3_600_000,
      timeoutMs: e.IDGRAPH_WEBHOOKS_TIMEOUT_MS,
      retryScheduleMs: e.IDGRAPH_WEBHOOKS_RETRY_SCHEDULE_MS,
    },
    retention: { intervalMs: e.IDGRAPH_RETENTION_INTERVAL_MS, batchSize: e.IDGRAPH_RETENTION_BATCH_SIZE },
  };
}
