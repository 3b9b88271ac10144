import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ProcessBurst {
  /** From `go` to the last process's answer. */
  readonly ms: number;
  readonly pushes: number;
  readonly results: ReadonlyArray<{ i: number; kind: string; promotionId?: string; commit?: string }>;
}

/**
 * `ids` promoted by `processes` separate Gantry processes sharing `dataDir` (its clone,
 * marks, locks), started together once every process has warmed up.
 */
export async function processBurst(
  url: string,
  dataDir: string,
  ids: readonly number[],
  processes: number,
): Promise<ProcessBurst> {
  const shares = Array.from({ length: processes }, (_, k) => ids.filter((_, n) => n % processes === k));
  const children = shares.map((share) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'burst-child.ts'), url, dataDir, share.join(',')],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    // every line is kept from the start: a line no one awaits yet must not be lost
    const lines = createInterface({ input: child.stdout });
    const queue: string[] = [];
    const waiting: Array<(line: string) => void> = [];
    lines.on('line', (line: string) => {
      const w = waiting.shift();
      if (w) w(line);
      else queue.push(line);
    });
    const next = (): Promise<string> => {
      const line = queue.shift();
      return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
    };
    return { child, next };
  });
  for (const c of children) if ((await c.next()) !== 'ready') throw new Error('burst child did not get ready');
  const started = performance.now();
  for (const c of children) c.child.stdin.write('go\n');
  const answers = await Promise.all(
    children.map(async (c) => JSON.parse(await c.next()) as { results: ProcessBurst['results']; pushes: number }),
  );
  const ms = performance.now() - started;
  for (const c of children) c.child.stdin.end();
  return { ms, pushes: answers.reduce((n, a) => n + a.pushes, 0), results: answers.flatMap((a) => a.results) };
}
