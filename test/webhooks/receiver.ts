import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers the n-th request (0-based): a status, or `hang` (never answer: the sender times out). */
export type Answer = number | 'hang';

/** A webhook receiver on loopback whose answers a test scripts, and which tells when the n-th request arrived. */
export interface Receiver {
  url: string;
  received: Received[];
  /** Resolves once `count` requests have arrived. */
  until(count: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(answer: (index: number, request: Received) => Answer = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const waiters: { count: number; resolve: (r: Received[]) => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const index = received.push(request) - 1;
      for (const w of waiters.filter((w) => received.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(received.slice());
      }
      const a = answer(index, request);
      if (a === 'hang') return;
      res.writeHead(a, { 'content-type': 'text/plain' }).end(a >= 200 && a < 300 ? 'ok' : `refused with ${a}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    until: (count) => (received.length >= count ? Promise.resolve(received.slice()) : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
