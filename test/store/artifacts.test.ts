import { createHash } from 'node:crypto';
import type { NewArtifact, Store } from '@gantry/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from './backends.js';
import { backends } from './backends.js';

const digest = (v: string) => `sha256:${createHash('sha256').update(v).digest('hex')}`;
const sha = (v: string) => createHash('sha1').update(v).digest('hex');

/** A clock the test moves by hand. */
function clock(start = Date.parse('2026-03-01T10:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

const report = (v: string, o: Partial<NewArtifact> = {}): NewArtifact => ({
  kind: 'image',
  image: 'registry.example.com/acme/app',
  digest: digest(v),
  source: {
    repository: 'https://github.com/acme/app',
    commit: sha(v),
    branch: 'main',
    author: { name: 'Ann', email: 'ann@example.com' },
    message: `build ${v}`,
    time: '2026-03-01T09:00:00Z',
  },
  ci: { runUrl: `https://github.com/acme/app/actions/runs/${v}`, provider: 'github-actions' },
  pipelines: ['app'],
  verified: true,
  reportedBy: 'ci',
  ...o,
});

describe.each(backends)('artifact reports on $name', (backend) => {
  let fx: Fixture;
  beforeEach(async () => {
    if (backend.available) fx = await backend.setup();
  });
  afterEach(async () => {
    if (backend.available) await fx.cleanup();
  });

  describe.skipIf(!backend.available)('recording and finding', () => {
    it('GIVEN a report WHEN replayed THEN the second changes nothing (no row, no time moves)', async () => {
      const c = clock();
      const store = await fx.open({ now: c.now });
      const first = await store.recordArtifact(
        report('1', { steps: [{ name: 'build', status: 'succeeded', durationMs: 42_000 }] }),
      );
      expect(first.outcome).toBe('created');
      const before = await fx.dump();
      c.advance(60_000);
      const again = await store.recordArtifact(
        report('1', { steps: [{ name: 'build', status: 'succeeded', durationMs: 42_000 }] }),
      );
      expect(again.outcome).toBe('unchanged');
      expect(again.artifact).toEqual(first.artifact);
      expect(await fx.dump()).toBe(before);
      expect(first.artifact).toMatchObject({
        kind: 'image',
        digest: digest('1'),
        source: { commit: sha('1'), branch: 'main', author: { name: 'Ann', email: 'ann@example.com' } },
        sourceFrom: 'report',
        steps: [{ name: 'build', status: 'succeeded', durationMs: 42_000 }],
        reportedAt: '2026-03-01T10:00:00.000Z',
      });
    });

    it('GIVEN reports written with their audit entry THEN each answer is what a read returns, with one entry per change and none for a replay', async () => {
      const c = clock();
      const store = await fx.open({ now: c.now });
      const audit = (action: string) => (r: { artifact: { id: string }; outcome: string }) => ({
        actor: 'ci',
        action,
        subject: r.artifact.id,
        detail: { outcome: r.outcome },
      });
      const steps = [
        { name: 'build', status: 'succeeded' as const, durationMs: 1_000 },
        { name: 'test', status: 'running' as const },
      ];
      const created = await store.recordArtifact(report('a', { steps }), audit('artifact.report'));
      expect(created.artifact).toEqual(await store.getArtifact(created.artifact.id));
      c.advance(1_000);
      const replay = await store.recordArtifact(report('a', { steps }), audit('artifact.report'));
      expect(replay.outcome).toBe('unchanged');
      c.advance(1_000);
      // a new branch and pipeline, a step ended and a new one: one update, steps in their first order
      const updated = await store.recordArtifact(
        report('a', {
          source: { commit: sha('a'), branch: 'release' },
          pipelines: ['other'],
          steps: [
            { name: 'scan', status: 'succeeded' },
            { name: 'test', status: 'failed' },
          ],
        }),
        audit('artifact.report'),
      );
      expect(updated.outcome).toBe('updated');
      expect(updated.artifact).toEqual(await store.getArtifact(created.artifact.id));
      expect(updated.artifact.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
        'build:succeeded',
        'test:failed',
        'scan:succeeded',
      ]);
      expect((await store.newestArtifact('other', 'release'))?.id).toBe(created.artifact.id);
      expect(await store.newestArtifact('app', 'main')).toBeUndefined();
      c.advance(1_000);
      const step = await store.recordArtifactStep(
        created.artifact.id,
        { name: 'deploy', status: 'running' },
        audit('artifact.step'),
      );
      expect(step?.artifact).toEqual(await store.getArtifact(created.artifact.id));
      const entries = (await store.listAudit({})).items.filter((e) => e.subject === created.artifact.id);
      expect(entries.map((e) => `${e.action}:${(e.detail as { outcome: string }).outcome}`)).toEqual([
        'artifact.step:updated',
        'artifact.report:updated',
        'artifact.report:created',
      ]);
    });

    it('GIVEN a step reported running WHEN it ends, and then a late running arrives THEN it ends once, with the time between', async () => {
      const c = clock();
      const store = await fx.open({ now: c.now });
      const { artifact } = await store.recordArtifact(report('2'));
      const running = await store.recordArtifactStep(artifact.id, { name: 'test', status: 'running' });
      expect(running?.outcome).toBe('updated');
      c.advance(90_000);
      const done = await store.recordArtifactStep(artifact.id, {
        name: 'test',
        status: 'failed',
        url: 'https://ci/test',
      });
      expect(done?.artifact.steps).toEqual([
        {
          name: 'test',
          status: 'failed',
          url: 'https://ci/test',
          startedAt: '2026-03-01T10:00:00.000Z',
          finishedAt: '2026-03-01T10:01:30.000Z',
          durationMs: 90_000,
          updatedAt: '2026-03-01T10:01:30.000Z',
        },
      ]);
      c.advance(1_000);
      // a redelivered "running" says nothing new about a step that ended
      const late = await store.recordArtifactStep(artifact.id, { name: 'test', status: 'running' });
      expect(late?.outcome).toBe('unchanged');
      expect(late?.artifact.steps[0]?.status).toBe('failed');
      // a re-run that started after the end does
      const rerun = await store.recordArtifactStep(artifact.id, {
        name: 'test',
        status: 'running',
        startedAt: '2026-03-01T10:05:00.000Z',
      });
      expect(rerun?.artifact.steps[0]).toMatchObject({ status: 'running', startedAt: '2026-03-01T10:05:00.000Z' });
      expect(rerun?.artifact.steps[0]?.finishedAt).toBeUndefined();
      expect(
        await store.recordArtifactStep('00000000-0000-4000-8000-000000000000', { name: 'x', status: 'running' }),
      ).toBe(undefined);
    });

    it('GIVEN labels first and a CI report after THEN the report wins field by field; labels later never overwrite it', async () => {
      const store = await fx.open();
      const fromLabels = await store.recordArtifact(
        report('3', {
          source: { commit: sha('label'), repository: 'https://github.com/acme/app' },
          labelled: ['commit', 'repository'],
          ci: {},
          reportedBy: 'labels-bot',
        }),
      );
      expect(fromLabels.artifact.sourceFrom).toBe('labels');
      const ci = await store.recordArtifact(report('3', { source: { commit: sha('3'), branch: 'feature/x' } }));
      expect(ci.outcome).toBe('updated');
      expect(ci.artifact.source).toEqual({
        repository: 'https://github.com/acme/app',
        commit: sha('3'),
        branch: 'feature/x',
      });
      expect(ci.artifact.sourceFrom).toBe('report+labels');
      expect(ci.artifact.reportedBy).toBe('labels-bot');
      const labelsAgain = await store.recordArtifact(
        report('3', { source: { commit: sha('other') }, labelled: ['commit'], ci: {} }),
      );
      expect(labelsAgain.outcome).toBe('unchanged');
      expect(labelsAgain.artifact.source.commit).toBe(sha('3'));
    });

    it('GIVEN an unverified report WHEN the registry later holds it THEN verified, and it stays verified', async () => {
      const store = await fx.open();
      const a = await store.recordArtifact(report('4', { verified: false, unverifiedReason: 'registry down' }));
      expect(a.artifact).toMatchObject({ verified: false, unverifiedReason: 'registry down' });
      const b = await store.recordArtifact(report('4'));
      expect(b.artifact.verified).toBe(true);
      expect(b.artifact.unverifiedReason).toBeUndefined();
      const c = await store.recordArtifact(report('4', { verified: false, unverifiedReason: 'registry down' }));
      expect(c.outcome).toBe('unchanged');
    });

    it('GIVEN builds from several branches THEN newest per branch, branches most recent first, pages by digest and pipeline', async () => {
      const store = await fx.open();
      const ids: Record<string, string> = {};
      for (const [v, branch, pipeline] of [
        ['a', 'main', 'app'],
        ['b', 'feature/x', 'app'],
        ['c', 'main', 'app'],
        ['d', 'main', 'other'],
      ] as const) {
        ids[v] = (
          await store.recordArtifact(report(v, { source: { commit: sha(v), branch }, pipelines: [pipeline] }))
        ).artifact.id;
      }
      expect((await store.newestArtifact('app', 'main'))?.id).toBe(ids.c);
      expect((await store.newestArtifact('app', 'feature/x'))?.id).toBe(ids.b);
      expect(await store.newestArtifact('app', 'release')).toBeUndefined();
      expect(await store.artifactBranches('app')).toEqual(['main', 'feature/x']);
      expect(await store.artifactBranches('nothing')).toEqual([]);

      const first = await store.listArtifacts({ pipeline: 'app', limit: 2 });
      expect(first.items.map((a) => a.id)).toEqual([ids.c, ids.b]);
      const second = await store.listArtifacts({ pipeline: 'app', limit: 2, cursor: first.nextCursor as string });
      expect(second.items.map((a) => a.id)).toEqual([ids.a]);
      expect(second.nextCursor).toBeUndefined();
      expect((await store.listArtifacts({ digest: digest('d') })).items.map((a) => a.id)).toEqual([ids.d]);
      expect((await store.findArtifactByDigest(digest('b')))?.id).toBe(ids.b);
      expect((await store.getArtifact(ids.a as string))?.source.commit).toBe(sha('a'));
      await expect(store.listArtifacts({ cursor: 'bogus' })).rejects.toMatchObject({ code: 'invalid_cursor' });
    });

    it('GIVEN a chart version THEN it is one artifact, found by chart and version', async () => {
      const store = await fx.open();
      const chart: NewArtifact = {
        kind: 'chart',
        chart: 'oci://registry.example.com/charts/app',
        version: '1.2.0',
        source: { commit: sha('chart') },
        ci: {},
        pipelines: [],
        verified: false,
        unverifiedReason: 'no configured registry',
        reportedBy: 'ci',
      };
      const a = await store.recordArtifact(chart);
      const b = await store.recordArtifact(chart);
      expect(b.outcome).toBe('unchanged');
      expect((await store.findArtifactByChart('oci://registry.example.com/charts/app', '1.2.0'))?.id).toBe(
        a.artifact.id,
      );
    });

    it('GIVEN the same report from two stores at once THEN one artifact, the other sees it unchanged', async () => {
      // PostgreSQL: two pools, as two replicas; SQLite serves one process, whose calls take turns
      const one = await fx.open();
      const stores: Store[] = fx.replicas ? [one, await fx.open()] : [one, one];
      const results = await Promise.all(stores.map((s) => s.recordArtifact(report('race'))));
      expect(results.map((r) => r.outcome).sort()).toEqual(['created', 'unchanged']);
      expect(new Set(results.map((r) => r.artifact.id)).size).toBe(1);
    });

    it('GIVEN a recorded report and step WHEN both are replayed while another connection holds the locks a write needs THEN both answer unchanged, with nothing written (a replay neither writes nor locks a row), and a change waits for the lock', async () => {
      const store = await fx.open();
      const steps = [{ name: 'build', status: 'succeeded', durationMs: 42_000 }] as const;
      const created = await store.recordArtifact(report('held', { verified: false, steps: [...steps] }));
      const before = await fx.dump();
      const release = await fx.holdWrites();
      let waiting = true;
      try {
        const blocked = <T>(p: Promise<T>) =>
          Promise.race([p, new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 4_000).unref())]);
        const replay = await blocked(store.recordArtifact(report('held', { verified: false, steps: [...steps] })));
        const step = await blocked(store.recordArtifactStep(created.artifact.id, steps[0]));
        expect(replay).toEqual({ artifact: created.artifact, outcome: 'unchanged' });
        expect(step).toEqual({ artifact: created.artifact, outcome: 'unchanged' });
        // SQLite's driver waits out its busy timeout synchronously: only PostgreSQL can show a change waiting
        if (!fx.replicas) return;
        const change = store.recordArtifact(report('held', { verified: true })).finally(() => {
          waiting = false;
        });
        await store.recordArtifact(report('held', { verified: false }));
        expect(waiting).toBe(true);
        expect(await fx.dump()).toBe(before);
        await release();
        expect((await change).outcome).toBe('updated');
      } finally {
        if (waiting) await release();
      }
    });
  });
});
