import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort } from '@gantry/testing';
import { GANTRY_BIN as BIN } from '../support/gantry-bin.js';

const run = promisify(execFile);

/** Runs the real CLI and returns its stdout; fails with its stderr. */
export async function gantry(args: readonly string[], cwd: string): Promise<string> {
  const r = await run(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  return r.stdout;
}

/** `gantry sandbox push`: a new image in the sandbox registry; returns its digest. */
export async function pushImage(dir: string): Promise<string> {
  const out = await gantry(['sandbox', 'push', '.'], dir);
  const digest = /sha256:[0-9a-f]{64}/.exec(out)?.[0];
  if (!digest) throw new Error(`no digest in: ${out}`);
  return digest;
}

export interface Served {
  readonly url: string;
  stop(): Promise<void>;
}

/** A real `gantry serve` child process on a free port (or `port`: a restart where the page was), ready once /readyz answers. */
export async function serve(dir: string, o: { port?: number } = {}): Promise<Served> {
  const port = o.port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', String(port)], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`gantry serve exited ${child.exitCode ?? child.signalCode}:\n${log}`);
    }
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`gantry serve not ready in 120 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The config repository as Git sees it: the last commit's subject and a file at the branch tip. */
export async function configRepo(dir: string): Promise<{ subject: string; file(path: string): Promise<string> }> {
  const gitDir = `${dir}/config.git`;
  const subject = (await run('git', ['--git-dir', gitDir, 'log', '-1', '--format=%s', 'main'])).stdout.trim();
  return {
    subject,
    file: async (path) => (await run('git', ['--git-dir', gitDir, 'show', `main:${path}`])).stdout,
  };
}
