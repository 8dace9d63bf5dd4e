/**
 * Which real services the tests may use. In CI (`IDGRAPH_REQUIRE_SERVICES=1`) a missing one is an error, never a
 * silent skip; on a fresh machine without them the suites that need them are skipped with the reason printed.
 */
export const testServices = {
  databaseUrl: process.env.TEST_DATABASE_URL,
  redisUrl: process.env.TEST_REDIS_URL,
  required: process.env.IDGRAPH_REQUIRE_SERVICES === '1',
};

/** Throws in CI when a service is missing; elsewhere reports the skip once per suite. */
export function serviceAvailable(name: 'TEST_DATABASE_URL' | 'TEST_REDIS_URL', suite: string): boolean {
  const value = name === 'TEST_DATABASE_URL' ? testServices.databaseUrl : testServices.redisUrl;
  if (value) return true;
  if (testServices.required) throw new Error(`${name} is not set but IDGRAPH_REQUIRE_SERVICES=1: ${suite} cannot run`);
  console.warn(`[skip] ${suite} on real services: ${name} is not set (CI sets it; see .ci/run)`);
  return false;
}
