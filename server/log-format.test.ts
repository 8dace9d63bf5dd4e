import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { chooseLogFormat } from './log-format.js';
import { createLogger } from './logger.js';

/** A destination that keeps what the logger wrote. */
function capture(): { stream: Writable & { write(chunk: string): boolean }; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('chooseLogFormat', () => {
  it('is pretty at a terminal and JSON lines otherwise when nothing is configured', () => {
    expect(chooseLogFormat(undefined, true)).toBe('pretty');
    expect(chooseLogFormat(undefined, false)).toBe('json');
  });

  it('keeps IDGRAPH_LOG_FORMAT whatever the output is', () => {
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
  });
});

describe('createLogger', () => {
  it('writes one JSON object per line by default', () => {
    const out = capture();
    createLogger('info', out.stream).info({ module: 'http' }, 'listening');
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, module: 'http', msg: 'listening' });
  });

  it('writes a readable line in the pretty format, at once (no JSON, no pid or hostname), with secrets still redacted', () => {
    const out = capture();
    createLogger('info', out.stream, 'pretty').warn({ module: 'inference', user: { token: 'idg_secret' } }, 'falling back to CPU');
    // Synchronous: the line is there before the call returns, so it cannot land inside the first-start banner.
    const text = out.text().replace(/\x1b\[[0-9;]*m/g, '');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: falling back to CPU\n/);
    expect(text).toContain('module: "inference"');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('idg_secret');
    expect(text).not.toMatch(/pid|hostname|^\{/);
  });
});
