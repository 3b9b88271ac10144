import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { freePort } from '@gantry/testing';
import { GANTRY_BIN as BIN } from '../support/gantry-bin.js';

export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the signal or exit code when the process ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** Runs the real `gantry serve` in `cwd` as a child process and waits until /readyz answers. */
export async function serveProcess(cwd: string, env: NodeJS.ProcessEnv = {}, port?: number): Promise<ServeProcess> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(p)], {
    cwd,
    env: { ...process.env, CI: 'true', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  let end: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      end = { code, signal };
      resolve(end);
    }),
  );
  const url = `http://127.0.0.1:${p}`;
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  for (let i = 0; ; i++) {
    if (ended) throw new Error(`gantry serve exited (${JSON.stringify(end)}) before it was ready:\n${out}`);
    // generous: on a loaded 2-core machine the first start compiles the TypeScript it runs
    if (i > 1200) throw new Error(`gantry serve not ready after 120 s:\n${out}`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => out,
    exited,
    async stop() {
      if (!ended) child.kill('SIGTERM');
      await exited;
    },
  };
}
