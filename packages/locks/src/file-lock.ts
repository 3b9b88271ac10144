import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Identifies this process among every process sharing a data directory: per-process file
 * names and refs carry it, so two processes never write each other's scratch state.
 */
export const processInstanceId = `${process.pid}-${randomBytes(4).toString('hex')}`;

/** Who holds a lock, as its holder wrote it into the lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly since: string;
  readonly purpose?: string;
}

export interface HeldLock {
  /** Ends the hold; resolves once another process can take the lock. */
  release(): Promise<void>;
}

/**
 * An exclusive lock on a file, across processes, that dies with its holder. It is an OS
 * `flock(2)` held by a small `flock` child whose stdin is a pipe from this process: when
 * this process ends in any way (even SIGKILL) the pipe closes, the child exits and the
 * kernel drops the lock. Node has no `flock` binding of its own; util-linux's `flock`
 * is on every Debian system.
 */
export interface FileLock {
  readonly path: string;
  /** Waits until the lock is free, then holds it. */
  acquire(purpose?: string): Promise<HeldLock>;
  /** Holds the lock if it is free now; `undefined` when another process holds it. */
  tryAcquire(purpose?: string): Promise<HeldLock | undefined>;
  /** What the current holder wrote, if anyone wrote anything readable. */
  holder(): Promise<LockHolder | undefined>;
  /** Runs `fn` holding the lock. */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
}

/** The lock is held by another process (`tryAcquire` in a context that needs it now). */
export class LockBusyError extends Error {
  constructor(
    readonly path: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(`${path} is locked${holder ? ` by process ${holder.pid} since ${holder.since}` : ''}`);
    this.name = 'LockBusyError';
  }
}

/** `flock`'s exit status when `-n` finds the lock taken (its `-E` option). */
const BUSY = 75;

/** Within one process, holders of one path take turns before asking the OS: one waiting `flock` per path. */
const local = new Map<string, Promise<void>>();

function spawnHolder(path: string, wait: boolean): Promise<ChildProcess | undefined> {
  return new Promise((resolve, reject) => {
    // `exec cat` keeps the lock until our end of its stdin closes
    const args = [
      '-o',
      ...(wait ? [] : ['-n', '-E', String(BUSY)]),
      path,
      'sh',
      '-c',
      'echo held; exec cat >/dev/null',
    ];
    const child = spawn('flock', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let settled = false;
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout?.once('data', () => {
      settled = true;
      // the hold must not keep this process alive, nor outlive it
      child.unref();
      (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
      (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
      (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
      resolve(child);
    });
    child.once('error', (e) => {
      if (!settled) reject(new Error(`cannot run flock for ${path}: ${e.message}`));
    });
    child.once('exit', (code) => {
      if (settled) return;
      if (code === BUSY) resolve(undefined);
      else reject(new Error(`flock ${path} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

export function fileLock(path: string): FileLock {
  const take = async (wait: boolean, purpose?: string): Promise<HeldLock | undefined> => {
    // another holder in this process counts as busy too, without waiting for it
    if (!wait && local.has(path)) return undefined;
    // in line before the first await: holders take turns in the order they asked (awaiting the
    // mkdir first let whichever mkdir the thread pool finished first jump the queue)
    const before = local.get(path) ?? Promise.resolve();
    let done!: () => void;
    const turn = new Promise<void>((r) => {
      done = r;
    });
    const chain = before.then(() => turn);
    local.set(path, chain);
    const cleanup = () => {
      done();
      if (local.get(path) === chain) local.delete(path);
    };
    await before;
    let child: ChildProcess | undefined;
    try {
      await mkdir(dirname(path), { recursive: true });
      child = await spawnHolder(path, wait);
    } catch (e) {
      cleanup();
      throw e;
    }
    if (!child) {
      cleanup();
      return undefined;
    }
    const held = child;
    const info: LockHolder = { pid: process.pid, since: new Date().toISOString(), ...(purpose ? { purpose } : {}) };
    await writeFile(path, `${JSON.stringify(info)}\n`).catch(() => undefined);
    let released: Promise<void> | undefined;
    return {
      release() {
        released ??= new Promise<void>((resolve) => {
          if (held.exitCode !== null || held.signalCode !== null) return resolve();
          // waiting for the child's exit must keep this process alive until it comes
          held.ref();
          held.once('exit', () => resolve());
          held.stdin?.end();
        }).finally(cleanup);
        return released;
      },
    };
  };

  const lock: FileLock = {
    path,
    acquire: async (purpose) => (await take(true, purpose)) as HeldLock,
    tryAcquire: (purpose) => take(false, purpose),
    async holder() {
      try {
        const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockHolder>;
        return typeof parsed.pid === 'number' && typeof parsed.since === 'string' ? (parsed as LockHolder) : undefined;
      } catch {
        return undefined;
      }
    },
    async withLock(fn) {
      const held = await lock.acquire();
      try {
        return await fn();
      } finally {
        await held.release();
      }
    },
  };
  return lock;
}
