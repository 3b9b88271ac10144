import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { gitEnv } from './exec.js';
import { GitNotFoundError, gitSpawnError } from './git-binary.js';

/** One object read through `git cat-file --batch`. */
export type BatchObject =
  | { readonly found: true; readonly sha: string; readonly type: string; readonly content: Buffer }
  | { readonly found: false };

interface Pending {
  readonly resolve: (o: BatchObject) => void;
  readonly reject: (e: Error) => void;
}

/** Reads objects by name (`<commit>:<path>`, a sha...) through one long-lived process. */
export interface CatFileBatch {
  read(name: string): Promise<BatchObject>;
  close(): void;
}

interface Worker {
  readonly proc: ChildProcessWithoutNullStreams;
  queue: Pending[];
  buf: Buffer;
}

/** Parses as many complete answers as the worker's buffer holds, resolving them in order. */
function drain(w: Worker): void {
  for (;;) {
    const nl = w.buf.indexOf(0x0a);
    if (nl < 0) return;
    const header = w.buf.subarray(0, nl).toString();
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      w.buf = w.buf.subarray(nl + 1);
      w.queue.shift()?.resolve({ found: false });
      continue;
    }
    const [sha, type, sizeText] = header.split(' ');
    const size = Number(sizeText);
    if (!sha || !type || !Number.isInteger(size)) {
      fail(w, new Error(`git cat-file: unexpected output "${header.slice(0, 200)}"`));
      w.proc.kill();
      return;
    }
    if (w.buf.length < nl + 1 + size + 1) return;
    const content = Buffer.from(w.buf.subarray(nl + 1, nl + 1 + size));
    w.buf = w.buf.subarray(nl + 1 + size + 1);
    w.queue.shift()?.resolve({ found: true, sha, type, content });
  }
}

function fail(w: Worker, e: Error): void {
  const q = w.queue;
  w.queue = [];
  w.buf = Buffer.alloc(0);
  for (const p of q) p.reject(e);
}

/**
 * One `git cat-file --batch` process answering many reads: requests are written as lines
 * and answered in order, so 1,000 files cost one process. Started on first use and
 * restarted on the next read if it dies. Objects fetched later are found too: git
 * rescans its packs when an object is missing.
 */
export function createCatFileBatch(gitDir: string, onSpawn: () => void): CatFileBatch {
  let current: Worker | undefined;

  const start = (): Worker => {
    onSpawn();
    const proc = spawn('git', ['cat-file', '--batch'], { cwd: gitDir, env: gitEnv(gitDir), stdio: 'pipe' });
    const w: Worker = { proc, queue: [], buf: Buffer.alloc(0) };
    const err: string[] = [];
    proc.stdout.on('data', (d: Buffer) => {
      w.buf = w.buf.length === 0 ? d : Buffer.concat([w.buf, d]);
      drain(w);
    });
    proc.stderr.on('data', (d: Buffer) => err.push(d.toString()));
    proc.stdin.on('error', () => undefined);
    const gone = (why: string | Error) => {
      if (current === w) current = undefined;
      if (w.queue.length > 0)
        fail(w, why instanceof Error ? why : new Error(`git cat-file --batch ${why}: ${err.join('').trim()}`));
    };
    proc.on('error', (e: NodeJS.ErrnoException) => {
      const mapped = gitSpawnError(e);
      gone(mapped instanceof GitNotFoundError ? mapped : e.message);
    });
    proc.on('close', (code) => gone(`exited ${code}`));
    return w;
  };

  return {
    read(name) {
      if (name.includes('\n')) return Promise.reject(new Error('object names cannot contain a newline'));
      current ??= start();
      const w = current;
      return new Promise((resolve, reject) => {
        w.queue.push({ resolve, reject });
        // the names asked in one tick go down the pipe in one write, not one system call each
        if (w.proc.stdin.writableCorked === 0) {
          w.proc.stdin.cork();
          process.nextTick(() => w.proc.stdin.uncork());
        }
        w.proc.stdin.write(`${name}\n`);
      });
    },
    close() {
      const w = current;
      current = undefined;
      w?.proc.stdin.end();
    },
  };
}
