import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@gantry/store';
import { tempDir } from '@gantry/testing';
import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

const worker = fileURLToPath(new URL('./fixtures/claim-worker.ts', import.meta.url));

/** Starts one worker process per owner, releases them together, and returns what each did. */
async function runWorkers(path: string, owners: readonly string[]): Promise<number[]> {
  const procs = owners.map((owner) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', worker, path, owner], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const ready = new Promise<void>((resolve) => {
      proc.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.startsWith('ready\n')) resolve();
      });
    });
    proc.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const exit = once(proc, 'exit').then(([code]) => {
      if (code !== 0) throw new Error(`${owner} exited ${code}: ${err}`);
      return Number(out.slice('ready\n'.length).trim());
    });
    return { proc, ready, exit };
  });
  try {
    await Promise.all(procs.map((p) => Promise.race([p.ready, p.exit])));
    for (const p of procs) p.proc.stdin.end('go\n');
    return await Promise.all(procs.map((p) => p.exit));
  } finally {
    for (const p of procs) if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGKILL');
  }
}

describe('SQLite store', () => {
  it('GIVEN an in-memory path WHEN opened THEN it works as a throwaway store', async () => {
    const store = await openStore({ sqlitePath: ':memory:' });
    try {
      const { token } = await store.createToken({ name: 't', role: 'viewer' });
      expect((await store.verifyToken(token))?.role).toBe('viewer');
    } finally {
      await store.close();
    }
  });

  it('GIVEN a new database file WHEN three processes open it at once THEN the schema is migrated exactly once', async () => {
    await using dir = await tempDir();
    const path = join(dir.path, 'new', 'gantry.db');
    expect(await runWorkers(path, ['open-only', 'open-only', 'open-only'])).toEqual([0, 0, 0]);
    const db = new SqliteDatabase(path, { readonly: true });
    const names = db.prepare('select name from kysely_migration').all();
    db.close();
    // every migration once, in order: 0001, 0002, ... with no gap and no repeat
    const applied = (names as { name: string }[]).map((n) => n.name);
    expect(applied[0]).toBe('0001_initial');
    expect(applied.length).toBeGreaterThanOrEqual(12);
    expect(applied.map((n) => Number(n.slice(0, 4)))).toEqual(applied.map((_, i) => i + 1));
  });

  it('GIVEN one database file WHEN three processes claim from it at once THEN every promotion runs once and phases never overlap', async () => {
    await using dir = await tempDir();
    const path = join(dir.path, 'gantry.db');
    const seed = await openStore({ sqlitePath: path });
    for (let i = 0; i < 30; i++) {
      await seed.createPromotion({
        pipeline: 'web',
        phase: `phase-${i % 3}`,
        toDigest: `sha256:${String(i).padStart(64, '0')}`,
        toVersion: `1.0.${i}`,
        target: { kind: 'oci-image' },
        trigger: { kind: 'schedule', schedule: 'every 1m' },
        reason: 'test',
      });
    }
    await seed.close();

    const counts = await runWorkers(path, ['a', 'b', 'c']);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(30);

    // SQLite commits one writer at a time, so event order (seq) is commit order: replay it.
    const db = new SqliteDatabase(path, { readonly: true });
    const events = db
      .prepare(
        'select e.promotion_id as id, e.state, p.phase from promotion_events e join promotions p on p.id = e.promotion_id order by e.seq',
      )
      .all() as { id: string; state: string; phase: string }[];
    db.close();
    const running = new Map<string, string>();
    const runs = new Map<string, number>();
    const overlaps: string[] = [];
    for (const e of events) {
      if (e.state === 'running') {
        if (running.has(e.phase)) overlaps.push(`${e.phase}: ${e.id} started while ${running.get(e.phase)} ran`);
        running.set(e.phase, e.id);
        runs.set(e.id, (runs.get(e.id) ?? 0) + 1);
      }
      if (e.state === 'succeeded') running.delete(e.phase);
    }
    expect(overlaps).toEqual([]);
    expect(runs.size).toBe(30);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
  });
});
