import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { GantryError } from '@gantry/core';
import type { GitOutput } from './exec.js';
import { SPAWN_HELPER_SOURCE } from './spawn-helper-source.js';

/** One command for the helper to run: what `spawn` is given, resolved by the runner. */
export interface SpawnRequest {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly input?: string;
}

interface SpawnFailure {
  readonly message: string;
  readonly code?: string;
  readonly errno?: number;
  readonly syscall?: string;
  readonly path?: string;
  readonly spawnargs?: string[];
}

type Answer = { readonly id: number } & (GitOutput | { readonly error: SpawnFailure });

interface Pending {
  readonly resolve: (o: GitOutput) => void;
  readonly reject: (e: unknown) => void;
}

interface Helper {
  readonly child: ChildProcess;
  readonly pending: Map<number, Pending>;
  gone: boolean;
}

/** The helper ended (killed, crashed) before answering: the command's outcome is unknown. */
export class GitSpawnHelperError extends GantryError {
  constructor(message: string, context: Record<string, unknown> = {}, options?: ErrorOptions) {
    super('git_spawn_helper_failed', message, context, options);
  }
}

let current: Helper | undefined;
let nextId = 1;

/**
 * Idle, the helper holds nothing of the parent's event loop (a CLI command or a test ends as if
 * it were not there); with a command pending it does, as a pending spawn would.
 */
function holdLoop(h: Helper, hold: boolean): void {
  if (hold) {
    h.child.ref();
    h.child.channel?.ref();
  } else {
    h.child.unref();
    h.child.channel?.unref();
  }
}

function settle(h: Helper, id: number): Pending | undefined {
  const p = h.pending.get(id);
  if (p === undefined) return undefined;
  h.pending.delete(id);
  if (h.pending.size === 0 && !h.gone) holdLoop(h, false);
  return p;
}

/** Fails what `h` was running and forgets it: the next request starts another helper. */
function lose(h: Helper, why: string, cause?: unknown): void {
  if (h.gone) return;
  h.gone = true;
  if (current === h) current = undefined;
  const pending = [...h.pending.values()];
  h.pending.clear();
  holdLoop(h, false);
  // it ignores SIGTERM (see spawn-helper-source.ts); its git children are left to finish
  if (h.child.connected) h.child.disconnect();
  h.child.kill('SIGKILL');
  const e = new GitSpawnHelperError(
    `the git spawn helper (pid ${h.child.pid ?? '?'}) ${why} before answering ${pending.length} git command(s)`,
    { pid: h.child.pid ?? null, pending: pending.length },
    cause === undefined ? undefined : { cause },
  );
  for (const p of pending) p.reject(e);
}

/** The error spawn's 'error' event carried in the helper, rebuilt with the same message and fields. */
function spawnError(f: SpawnFailure): Error {
  return Object.assign(new Error(f.message), f);
}

function start(): Helper {
  // a small Node: no `--import tsx` loader, no inspector, no heap flags of the server's
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['-e', SPAWN_HELPER_SOURCE], {
    env,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    serialization: 'json',
  });
  const h: Helper = { child, pending: new Map(), gone: false };
  child.on('message', (a: Answer) => {
    const p = settle(h, a.id);
    if (p === undefined) return;
    if ('error' in a) p.reject(spawnError(a.error));
    else p.resolve({ code: a.code, stdout: a.stdout, stderr: a.stderr });
  });
  child.on('error', (e) => lose(h, `failed (${e.message})`, e));
  child.on('exit', (code, signal) => lose(h, `exited (${signal ?? `code ${code}`})`));
  child.on('disconnect', () => lose(h, 'closed its channel'));
  holdLoop(h, false);
  return h;
}

/**
 * Runs one command in the process-wide helper, started on first use and again after it died.
 * Spawn errors reject as spawn's 'error' event would (the caller maps them); a helper that ends
 * first rejects with {@link GitSpawnHelperError}.
 */
export function spawnInHelper(request: SpawnRequest): Promise<GitOutput> {
  current ??= start();
  const h = current;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    if (h.pending.size === 0) holdLoop(h, true);
    h.pending.set(id, { resolve, reject });
    const message = { id, ...request };
    h.child.send(message, (e) => {
      if (e) lose(h, `could not be sent a command (${e.message})`, e);
    });
  });
}

/** Ends the helper (its pending commands fail); the next request starts a new one. */
export function stopGitSpawnHelper(): void {
  if (current) lose(current, 'was stopped');
}

/** The helper's process id, if one is running: for tests and diagnostics. */
export function gitSpawnHelperPid(): number | undefined {
  return current?.child.pid;
}
