import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileLock } from './file-lock.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Another process that takes the lock with `flock` and holds it until killed. */
function holdElsewhere(path: string) {
  // `cat` holds no lock (-o) and ends when the test closes its stdin
  const child = spawn('flock', ['-o', path, 'sh', '-c', 'echo held; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const held = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return { child, held };
}

describe('fileLock', () => {
  it('is exclusive across processes and free again when the holder dies', async () => {
    // GIVEN another process holding the lock
    const path = join(dir, 'x.lock');
    const other = holdElsewhere(path);
    await other.held;
    // WHEN this process tries it
    const lock = fileLock(path);
    // THEN it is busy
    expect(await lock.tryAcquire()).toBeUndefined();
    // WHEN the holder is SIGKILLed
    const waiting = lock.acquire('test');
    other.child.kill('SIGKILL');
    // THEN the waiting acquire gets it, and records who holds it
    const held = await waiting;
    expect((await lock.holder())?.pid).toBe(process.pid);
    await held.release();
    other.child.stdin.end();
  });

  it('makes holders in one process take turns, in order', async () => {
    // GIVEN three holders of one lock in this process
    const lock = fileLock(join(dir, 'y.lock'));
    const order: string[] = [];
    let inside = 0;
    const run = (name: string) =>
      lock.withLock(async () => {
        inside++;
        expect(inside).toBe(1);
        order.push(name);
        await new Promise((r) => setTimeout(r, 5));
        inside--;
      });
    // WHEN they all run at once
    await Promise.all([run('a'), run('b'), run('c')]);
    // THEN one at a time, first come first served
    expect(order).toEqual(['a', 'b', 'c']);
    // AND tryAcquire sees a holder of this process as busy
    const held = await lock.acquire();
    expect(await lock.tryAcquire()).toBeUndefined();
    await held.release();
    const again = await lock.tryAcquire();
    expect(again).toBeDefined();
    await again?.release();
  });

  it('releases when the process holding it exits without releasing', async () => {
    // GIVEN a node process that takes the lock through this module and is then SIGKILLed
    const path = join(dir, 'z.lock');
    const script = `import { fileLock } from ${JSON.stringify(new URL('./file-lock.ts', import.meta.url).pathname)};
      await fileLock(${JSON.stringify(path)}).acquire(); console.log('held'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const lock = fileLock(path);
    expect(await lock.tryAcquire()).toBeUndefined();
    // WHEN it dies
    child.kill('SIGKILL');
    // THEN the lock is free
    const held = await lock.acquire();
    await held.release();
  });
});
