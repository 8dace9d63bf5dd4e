/** How long to wait for a probe's event before sending another one. */
const PROBE_INTERVAL_MS = 300;

/**
 * Returns once a subscription is live, its stream read up to the last probe. A graphql-ws client cannot see when the
 * server has subscribed, so `probe` causes one event on the stream (and returns what `probeOf` will read from it) until
 * one arrives; the events of the probes sent before it was live are never delivered, those after it are drained.
 * A stream that ends, or yields something `probeOf` cannot read (an error), fails the test with what it yielded.
 */
export async function untilLive<R>(stream: AsyncIterator<R>, probe: () => Promise<string>, probeOf: (result: R) => string | undefined): Promise<void> {
  const probes: string[] = [];
  let pending = stream.next();
  for (;;) {
    probes.push(await probe());
    if (await Promise.race([pending, new Promise<null>((resolve) => setTimeout(() => resolve(null), PROBE_INTERVAL_MS))])) break;
  }
  for (;;) {
    const result = await pending;
    const seen = result.done ? undefined : probeOf(result.value);
    if (seen === undefined) throw new Error(`the subscription failed: ${JSON.stringify(result)}`);
    if (seen === probes.at(-1)) return;
    pending = stream.next();
  }
}
