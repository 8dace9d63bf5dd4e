import { describe, expect, it } from 'vitest';
import { checkUrlSyntax, refusedClass, resolveUrl } from './url-guard.js';
import { WebhookError } from './webhook.errors.js';

const strict = { allowHttpAndLoopback: false };
const dev = { allowHttpAndLoopback: true };

describe('webhook URL guard (SSRF)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a00:1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['240.0.0.1', 'reserved'],
  ])('classes %s as %s', (address, kind) => {
    expect(refusedClass(address)).toBe(kind);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('lets the public address %s through', (address) => {
    expect(refusedClass(address)).toBeNull();
  });

  it.each([
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://[::1]/hook', 'loopback'],
    ['https://[::ffff:192.168.0.1]/hook', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'link-local'],
    ['https://[ff02::1]/', 'multicast'],
    ['https://0.0.0.0/', 'unspecified'],
    ['https://localhost/hook', 'loopback'],
    ['http://example.com/hook', 'NOT_HTTPS'],
    ['ftp://example.com/hook', 'NOT_HTTPS'],
    ['https://user:pw@example.com/', 'CREDENTIALS_IN_URL'],
    ['not a url', 'INVALID_URL'],
  ])('refuses %s at input, saying why (%s)', (url, reason) => {
    expect.assertions(2);
    try {
      checkUrlSyntax(url, strict);
    } catch (error) {
      expect(error).toBeInstanceOf(WebhookError);
      expect((error as WebhookError).details.refusal).toBe(reason);
    }
  });

  it('refuses a name whose answers include any refused address, and pins the one it checked', async () => {
    const answers = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    await expect(resolveUrl('https://evil.example/hook', strict, answers('127.0.0.1'))).rejects.toMatchObject({ code: 'WEBHOOK_URL_REFUSED', details: { refusal: 'loopback' } });
    // A public answer beside a private one is how rebinding starts: refused as a whole.
    await expect(resolveUrl('https://evil.example/hook', strict, answers('93.184.215.14', '::ffff:169.254.169.254'))).rejects.toMatchObject({ details: { refusal: 'link-local' } });
    await expect(resolveUrl('https://evil.example/hook', strict, answers())).rejects.toMatchObject({ details: { refusal: 'UNRESOLVABLE' } });
    expect(await resolveUrl('https://good.example/hook', strict, answers('::ffff:93.184.215.14'))).toMatchObject({ address: '93.184.215.14', family: 4 });
    const resolved = await resolveUrl('http://localhost:8080/hook', dev);
    expect(['127.0.0.1', '::1']).toContain(resolved.address);
    // Development relaxes loopback only: private networks stay refused.
    await expect(resolveUrl('http://10.0.0.1/hook', dev)).rejects.toMatchObject({ details: { refusal: 'private' } });
  });
});
