import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('defaults to the embedded setup: PGlite and blobs under ./.data, no Redis', () => {
    const config = loadConfig({});
    expect(config.database.url).toBeUndefined();
    expect(config.database.dataDir).toMatch(/\.data\/db$/);
    expect(config.blobs.dir).toMatch(/\.data\/blobs$/);
    expect(config.redis.url).toBeUndefined();
    expect(config.http.port).toBe(4000);
    expect(config.inference.device).toBe('cpu');
  });

  it('reads production settings', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u@db:5432/idgraph',
      REDIS_URL: 'redis://cache:6379/0',
      IDGRAPH_MASTER_KEY: 'ab'.repeat(32),
      IDGRAPH_PORT: '8080',
      IDGRAPH_DEVICE: 'cuda',
    });
    expect(config.database.url).toBe('postgres://u@db:5432/idgraph');
    expect(config.http).toMatchObject({ port: 8080, introspection: false });
    expect(config.inference.device).toBe('cuda');
    expect(config.blobs.masterKeyHex).toBe('ab'.repeat(32));
  });

  it.each([
    ['DATABASE_URL', 'mysql://x@y/z', /DATABASE_URL: must be a postgres/],
    ['REDIS_URL', 'http://cache', /REDIS_URL: must be a redis/],
    ['IDGRAPH_PORT', 'eighty', /IDGRAPH_PORT/],
    ['IDGRAPH_PORT', '70000', /IDGRAPH_PORT/],
    ['IDGRAPH_MASTER_KEY', 'short', /IDGRAPH_MASTER_KEY: must be 64 hex characters/],
    ['IDGRAPH_DEVICE', 'tpu', /IDGRAPH_DEVICE/],
    ['IDGRAPH_MAX_UPLOAD_BYTES', '-1', /IDGRAPH_MAX_UPLOAD_BYTES/],
  ])('names the bad variable %s=%s', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('listens on PORT, the ecosystem convention, when IDGRAPH_PORT is unset; IDGRAPH_PORT wins when both are set', () => {
    expect(loadConfig({ PORT: '8081' }).http.port).toBe(8081);
    expect(loadConfig({ PORT: '8081', IDGRAPH_PORT: '9090' }).http.port).toBe(9090);
    expect(loadConfig({ IDGRAPH_PORT: '0' }).http.port).toBe(0);
    expect(() => loadConfig({ PORT: 'http' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '65536' })).toThrow(/^Invalid configuration:\n {2}- PORT:/);
  });

  it('takes IDGRAPH_LOG_FORMAT pretty or json, unset by default (chosen by the terminal), and names a bad one', () => {
    expect(loadConfig({}).log.format).toBeUndefined();
    expect(loadConfig({ IDGRAPH_LOG_FORMAT: 'pretty' }).log.format).toBe('pretty');
    expect(loadConfig({ IDGRAPH_LOG_FORMAT: 'json' }).log.format).toBe('json');
    expect(() => loadConfig({ IDGRAPH_LOG_FORMAT: 'text' })).toThrow(/IDGRAPH_LOG_FORMAT/);
  });

  it('reports every bad variable at once', () => {
    try {
      loadConfig({ IDGRAPH_PORT: 'x', IDGRAPH_DEVICE: 'tpu' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });

  it('reads the hardening limits (issue 19): budgets per caller kind, string length, WebSocket caps', () => {
    expect(loadConfig({}).limits).toMatchObject({
      maxStringLength: 16384,
      budgets: { operator: 5000, applicant: 500, anonymous: 60 },
      ws: { maxSubscriptionsPerSocket: 20, maxSubscriptionsPerCredential: 100, maxSocketsPerIp: 50, maxBufferedBytes: 1024 * 1024, slowClientGraceMs: 5000 },
    });
    expect(loadConfig({ IDGRAPH_QUERY_BUDGET_ANONYMOUS: '10', IDGRAPH_DEBUG_ERRORS: '1' })).toMatchObject({ limits: { budgets: { anonymous: 10 } }, http: { debugErrors: true } });
    expect(() => loadConfig({ IDGRAPH_WS_MAX_SOCKETS_PER_IP: '0' })).toThrow(/IDGRAPH_WS_MAX_SOCKETS_PER_IP/);
  });

  it('reads where /metrics is served (issue 21): nowhere by default, a port of its own, or behind a token', () => {
    expect(loadConfig({}).metrics).toEqual({ token: undefined, port: undefined });
    expect(loadConfig({ IDGRAPH_METRICS_PORT: '9464', IDGRAPH_METRICS_TOKEN: 't'.repeat(16) }).metrics).toEqual({ port: 9464, token: 't'.repeat(16) });
    expect(() => loadConfig({ IDGRAPH_METRICS_TOKEN: 'short' })).toThrow(/IDGRAPH_METRICS_TOKEN: must be at least 16/);
    expect(() => loadConfig({ IDGRAPH_METRICS_PORT: 'x' })).toThrow(/IDGRAPH_METRICS_PORT/);
    expect(loadConfig({}).retention).toEqual({ intervalMs: 3_600_000, batchSize: 200 });
    expect(loadConfig({ IDGRAPH_RETENTION_INTERVAL_MS: '60000', IDGRAPH_RETENTION_BATCH_SIZE: '50' }).retention).toEqual({ intervalMs: 60_000, batchSize: 50 });
    expect(() => loadConfig({ IDGRAPH_RETENTION_INTERVAL_MS: '0' })).toThrow(/IDGRAPH_RETENTION_INTERVAL_MS/);
  });
});
