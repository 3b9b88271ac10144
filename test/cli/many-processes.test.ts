import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TRAILERS } from '@gantry/core';
import { writeLayoutImage } from '@gantry/oci';
import { createBareRepo, hasTool, runGit, tempDir } from '@gantry/testing';
import type { TempDir } from '@gantry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveProcess } from '../server/serve-process.js';
import { gantry, json } from './run-cli.js';

/** Pipelines promoted by CLI processes, and by the server beside them. */
const CLI = 10;
const SERVED = 4;
const ALL = CLI + SERVED;
const ROUNDS = 2;
const name = (i: number) => `svc-${i}`;
const file = (i: number) => `apps/svc-${i}/deployment.yaml`;
const ZERO = `sha256:${'0'.repeat(64)}`;

const deployment = (i: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name(i)}
spec:
  template:
    spec:
      containers:
        - name: app
          image: localhost:5000/${name(i)}@${ZERO}
`;

const config = `dataDir: .gantry
logLevel: warn
repositories:
  config: { url: ./config.git, branch: main }
registries:
  local: { layout: ./registry, host: localhost:5000 }
server:
  schedules: []
pipelines:
${Array.from(
  { length: ALL },
  (_, i) => `  - name: ${name(i)}
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: local, repository: ${name(i)}, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        source:
          type: git
          repository: config
          path: ${file(i)}
          updater: { type: kubernetes-image, container: app }
`,
).join('')}`;

interface CommitInfo {
  readonly sha: string;
  readonly pipeline: string;
  readonly promotionId: string;
  readonly files: readonly string[];
}

/** Every commit on the remote's main: its trailers and the files it changed. */
async function remoteCommits(bare: string): Promise<Map<string, CommitInfo>> {
  const out = await runGit(
    [
      'log',
      '--name-only',
      `--format=@@%H %(trailers:key=${TRAILERS.pipeline},valueonly,separator=)|%(trailers:key=${TRAILERS.promotionId},valueonly,separator=)`,
      'main',
    ],
    bare,
  );
  const commits = new Map<string, CommitInfo>();
  for (const block of out.split('@@').filter((b) => b.trim() !== '')) {
    const [head = '', ...files] = block.split('\n').filter((l) => l.trim() !== '');
    const [sha = '', rest = ''] = head.split(' ');
    const [pipeline = '', promotionId = ''] = rest.split('|');
    commits.set(sha, { sha, pipeline, promotionId, files });
  }
  return commits;
}

describe.skipIf(!hasTool('git'))('many Gantry processes on one data directory and repository', () => {
  let tmp: TempDir;
  let dir: string;
  let bare: string;
  beforeEach(async () => {
    tmp = await tempDir('gantry-many-');
    dir = tmp.path;
    bare = join(dir, 'config.git');
    await createBareRepo(bare, Object.fromEntries(Array.from({ length: ALL }, (_, i) => [file(i), deployment(i)])));
    await writeFile(join(dir, 'gantry.yaml'), config);
  });
  afterEach(() => tmp.remove());

  it('GIVEN CLI promotions and a server burst at once, repeated WHEN they all write THEN each reports its own commit, all land, and history matches Git', async () => {
    const server = await serveProcess(dir);
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        // GIVEN a new image for every pipeline
        const digests = await Promise.all(
          Array.from({ length: ALL }, (_, i) =>
            writeLayoutImage(join(dir, 'registry'), name(i), 'latest', { labels: { round: String(round) } }),
          ),
        );
        // WHEN CLI processes promote their pipelines while the server promotes the others
        const cli = Array.from({ length: CLI }, (_, i) => gantry(['promote', name(i), 'staging', '--json'], dir));
        const served = Array.from({ length: SERVED }, (_, k) =>
          fetch(`${server.url}/api/v1/pipelines/${name(CLI + k)}/phases/staging/promotions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ reason: `round ${round}` }),
          }).then(async (r) => ({ status: r.status, body: (await r.json()) as { promotion?: { id: string } } })),
        );
        const [outcomes, queued] = await Promise.all([Promise.all(cli), Promise.all(served)]);

        // THEN every CLI process exits 0 naming a commit of its own pipeline that changed its own file
        const commits = await remoteCommits(bare);
        for (const [i, r] of outcomes.entries()) {
          expect(r.code, `${name(i)}: ${r.stderr}`).toBe(0);
          const o = json<{ kind: string; promotionId: string; revision: { id: string } }>(r);
          expect(o.kind).toBe('promoted');
          const c = commits.get(o.revision.id);
          expect(c, `${name(i)}'s commit ${o.revision.id} is on the remote`).toBeDefined();
          expect(c).toMatchObject({ pipeline: name(i), promotionId: o.promotionId, files: [file(i)] });
          expect(await runGit(['show', `main:${file(i)}`], bare)).toContain(digests[i]);
          // AND the CLI's promotion is recorded where the server reads history, with its commit
          const history = (await (
            await fetch(`${server.url}/api/v1/pipelines/${name(i)}/phases/staging/history`)
          ).json()) as { items: Array<{ id: string; state: string; commitSha?: string }> };
          expect(history.items[0]).toMatchObject({ id: o.promotionId, state: 'succeeded', commitSha: o.revision.id });
          expect(history.items).toHaveLength(round);
        }
        // AND every server promotion succeeds with a commit of its own, in history as in Git
        for (const [k, q] of queued.entries()) {
          const i = CLI + k;
          expect(q.status, `${JSON.stringify(q.body)}\n${server.output().slice(-3000)}`).toBe(202);
          let promotion: { state: string; commitSha?: string; reason?: string } | undefined;
          for (let tries = 0; tries < 600; tries++) {
            const res = await fetch(`${server.url}/api/v1/promotions/${q.body.promotion?.id}`);
            promotion = (await res.json()) as typeof promotion;
            if (promotion?.state === 'succeeded' || promotion?.state === 'failed') break;
            await new Promise((r) => setTimeout(r, 100));
          }
          expect(promotion?.state, JSON.stringify(promotion)).toBe('succeeded');
          const fresh = await remoteCommits(bare);
          const c = fresh.get(promotion?.commitSha ?? '');
          expect(c).toMatchObject({ pipeline: name(i), promotionId: q.body.promotion?.id, files: [file(i)] });
          expect(await runGit(['show', `main:${file(i)}`], bare)).toContain(digests[i]);
          const history = (await (
            await fetch(`${server.url}/api/v1/pipelines/${name(i)}/phases/staging/history`)
          ).json()) as { items: Array<{ state: string; commitSha?: string }> };
          const succeeded = history.items.filter((h) => h.state === 'succeeded');
          expect(succeeded).toHaveLength(round);
          for (const h of succeeded) expect(fresh.get(h.commitSha ?? '')?.pipeline).toBe(name(i));
        }
      }
      // AND nothing was lost: one commit per promotion, ALL per round
      const all = [...(await remoteCommits(bare)).values()].filter((c) => c.promotionId !== '');
      expect(all).toHaveLength(ALL * ROUNDS);
    } finally {
      await server.stop();
    }
  }, 240_000);

  it('GIVEN a server on the data directory WHEN a second gantry serve starts on the same SQLite database THEN it refuses, saying to use PostgreSQL', async () => {
    const first = await serveProcess(dir);
    try {
      // WHEN
      const second = serveProcess(dir);
      // THEN
      await expect(second).rejects.toThrow(/another gantry serve \(pid \d+.*PostgreSQL/s);
      expect((await fetch(`${first.url}/readyz`)).ok).toBe(true);
    } finally {
      await first.stop();
    }
    // AND once the first has stopped, a server starts again
    const again = await serveProcess(dir);
    await again.stop();
  }, 120_000);
});
