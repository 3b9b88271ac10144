import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import type { PromotionWithEvents } from '@gantry/store';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { serveProcess } from './serve-process.js';

const commitsWithTrailer = (bare: string, id: string) =>
  execFileSync('git', ['log', '--format=%H', '--fixed-strings', `--grep=Gantry-Promotion-Id: ${id}`, 'main'], {
    cwd: bare,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);

const POINTS = [
  // killed after claiming, before anything was written: nothing reached Git, so it runs again after restart
  { at: 'after-claim', landed: false },
  // killed after the push, before the database heard of the commit: recovery finds it by its trailer
  { at: 'after-push', landed: true },
  // killed after recording the commit, before settling: recovery settles it
  { at: 'after-commit-recorded', landed: true },
] as const;

describe('crash safety: gantry serve killed (SIGKILL) in the middle of a promotion', () => {
  it.each(POINTS)(
    'GIVEN a kill $at WHEN the server restarts THEN the promotion completes once and Git and history agree',
    async ({ at, landed }) => {
      await using tmp = await tempDir('gantry-crash-');
      const dir = join(tmp.path, 'sandbox');
      const bare = join(dir, 'config.git');
      await initSandbox(dir, { yaml: true });
      const digest = await pushSandboxImage(dir);
      const tipBefore = execFileSync('git', ['rev-parse', 'main'], { cwd: bare, encoding: 'utf8' }).trim();

      const doomed = await serveProcess(dir, { GANTRY_CRASH_AT: at });
      // a refused request never reaches the crash point: the server is stopped then, not left running
      const r = await fetch(`${doomed.url}/api/v1/pipelines/app/phases/staging/promotions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }).catch(async (e: unknown) => {
        await doomed.stop();
        throw e;
      });
      if (r.status !== 202) await doomed.stop();
      expect(r.status).toBe(202);
      const { promotion } = (await r.json()) as { promotion: { id: string } };
      const end = await doomed.exited;
      expect(end.signal).toBe('SIGKILL');

      const commits = commitsWithTrailer(bare, promotion.id);
      expect(commits).toHaveLength(landed ? 1 : 0);
      if (!landed)
        expect(execFileSync('git', ['rev-parse', 'main'], { cwd: bare, encoding: 'utf8' }).trim()).toBe(tipBefore);

      const server = await serveProcess(dir);
      try {
        let p: PromotionWithEvents;
        for (let i = 0; ; i++) {
          p = (await (await fetch(`${server.url}/api/v1/promotions/${promotion.id}`)).json()) as PromotionWithEvents;
          if (['succeeded', 'failed', 'superseded'].includes(p.state)) break;
          if (i > 300) throw new Error(`promotion still ${p.state} after restart`);
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(p.state).toBe('succeeded');
        expect(p.toDigest).toBe(digest);
        // exactly one commit carries the promotion: recovery found it, or the retry wrote it once
        const after = commitsWithTrailer(bare, promotion.id);
        expect(after).toHaveLength(1);
        expect(p.commitSha).toBe(after[0]);
        if (landed) expect(after).toEqual(commits);
        else
          expect(p.events.map((e) => e.state)).toEqual([
            'queued',
            'running',
            'queued',
            'running',
            'committed',
            'pushed',
            'succeeded',
          ]);
      } finally {
        await server.stop();
      }
    },
  );
});
