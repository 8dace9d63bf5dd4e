import { readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';

/** The `p`th percentile of ascending values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One line naming the machine a benchmark ran on: cores, CPU model, Node, load. */
export function machineLine(): string {
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown CPU';
  return `${availableParallelism()} cores (${cpu}), Node ${process.version}, 1-minute load ${loadavg()[0]!.toFixed(2)} at start`;
}

/** Appends a section to docs/BENCHMARKS.md (run from the project root, as npm scripts are). */
export async function appendToBenchmarks(lines: readonly string[]): Promise<void> {
  await appendFile(join(process.cwd(), 'docs', 'BENCHMARKS.md'), `\n${lines.join('\n')}\n`);
}
