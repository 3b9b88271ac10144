import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createClient } from '@gantry/client';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import type { ApiEvent } from '@gantry/server';
import { signBody } from '@gantry/server';
import { commitToBareRepo, readBareFile, tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { sandboxServer } from './sandbox-server.js';
import { until } from './until.js';

const SECRET = 'git-hook-secret';

/** A YAML sandbox whose gantry.yaml gets `edit` applied before the server starts. */
async function sandboxWith(edit: (yaml: string) => string, listen = false) {
  const tmp = await tempDir('gantry-triggers-');
  const dir = join(tmp.path, 'sandbox');
  await initSandbox(dir, { yaml: true });
  const file = join(dir, 'gantry.yaml');
  await writeFile(file, edit(await readFile(file, 'utf8')));
  return sandboxServer({ tmp, listen });
}

describe('triggers: Git push webhooks, schedules, the event stream', () => {
  it('GIVEN someone edits staging in Git WHEN GitHub and GitLab push events arrive THEN the phase is re-read, and a bad token reconciles nothing', async () => {
    const s = await sandboxWith((y) => `${y}server:\n  webhookSecret: ${SECRET}\n  schedules: []\n`);
    try {
      const bare = s.bare;
      const path = 'env/staging/deployment.yaml';
      const text = await readBareFile(bare, 'main', path);
      const sha = await commitToBareRepo(bare, {
        files: { [path]: text.replace('replicas: 1', 'replicas: 2') },
        message: 'scale staging by hand',
      });

      const github = JSON.stringify({
        ref: 'refs/heads/main',
        repository: { full_name: 'example/config', clone_url: bare },
        commits: [{ modified: [path] }],
      });
      const hub = await s.api('/api/v1/webhooks/git', {
        method: 'POST',
        body: github,
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-hub-signature-256': signBody(SECRET, github),
        },
      });
      expect(hub.status).toBe(202);
      expect(await hub.json()).toEqual({ matched: ['app/staging'] });
      await until(async () => {
        const ph = (await (await s.api('/api/v1/pipelines/app/phases/staging')).json()) as {
          status: { setBy?: { id: string } };
        };
        return ph.status.setBy?.id === sha ? true : undefined;
      }, 'staging to show the hand-made commit');

      const gitlab = JSON.stringify({
        object_kind: 'push',
        ref: 'refs/heads/main',
        project: { path_with_namespace: 'example/config' },
        repository: { git_http_url: bare },
        commits: [],
      });
      const bad = await s.api('/api/v1/webhooks/git', {
        method: 'POST',
        body: gitlab,
        headers: { 'x-gitlab-token': 'wrong' },
      });
      expect(bad.status).toBe(401);
      const lab = await s.api('/api/v1/webhooks/git', {
        method: 'POST',
        body: gitlab,
        headers: { 'x-gitlab-token': SECRET },
      });
      // a push without a file list concerns every phase of the repository
      expect(await lab.json()).toEqual({ matched: ['app/staging', 'app/production'] });
    } finally {
      await s.close();
    }
  });

  it('GIVEN an interval schedule over auto-promoting staging WHEN an image is pushed THEN the schedule promotes it', async () => {
    const s = await sandboxWith(
      (y) =>
        `${y.replace('promotesFrom: oci', 'promotesFrom: oci\n        autoPromote: true')}server:\n  schedules:\n    - { select: 'environment=staging', every: 300ms }\n`,
    );
    try {
      const digest = await pushSandboxImage(s.dir);
      const p = await until(async () => {
        const h = (await (await s.api('/api/v1/pipelines/app/phases/staging/history')).json()) as {
          items: Array<{ state: string; toDigest: string; trigger: { kind: string } }>;
        };
        return h.items.find((x) => x.toDigest === digest && x.state === 'succeeded');
      }, 'the scheduled auto-promotion');
      expect(p.trigger.kind).toBe('schedule');
    } finally {
      await s.close();
    }
  });

  it('GIVEN a cron schedule (with seconds) WHEN an image is pushed THEN the schedule promotes it', async () => {
    const s = await sandboxWith(
      (y) =>
        `${y.replace('promotesFrom: oci', 'promotesFrom: oci\n        autoPromote: true')}server:\n  schedules:\n    - { select: 'app/*', cron: '* * * * * *' }\n`,
    );
    try {
      const digest = await pushSandboxImage(s.dir);
      const p = await until(async () => {
        const h = (await (await s.api('/api/v1/pipelines/app/phases/staging/history')).json()) as {
          items: Array<{ state: string; toDigest: string; trigger: { kind: string; schedule?: string } }>;
        };
        return h.items.find((x) => x.toDigest === digest && x.state === 'succeeded');
      }, 'the cron auto-promotion');
      expect(p.trigger).toEqual({ kind: 'schedule', schedule: 'cron * * * * * *: app/*' });
    } finally {
      await s.close();
    }
  });

  it('GIVEN a client on the event stream WHEN a promotion runs elsewhere THEN it sees every state, then the phase change', async () => {
    const s = await sandboxWith((y) => `${y}server:\n  schedules: []\n`, true);
    try {
      const client = createClient({ baseUrl: s.server.url ?? '' });
      const events: ApiEvent[] = [];
      const ac = new AbortController();
      let opened!: () => void;
      const open = new Promise<void>((r) => {
        opened = r;
      });
      const following = client.events(
        (e) => events.push(e),
        ac.signal,
        () => opened(),
      );
      await open;
      const digest = await pushSandboxImage(s.dir);
      const queued = await client.promote('app', 'staging');
      expect(queued.kind).toBe('queued');
      await until(
        async () =>
          events.some((e) => e.type === 'phase' && e.status.phase === 'staging' && e.status.digest === digest)
            ? true
            : undefined,
        'the phase event',
      );
      ac.abort();
      await following;
      const states = events.flatMap((e) => (e.type === 'promotion' ? [e.promotion.state] : []));
      expect(states).toEqual(['queued', 'running', 'committed', 'pushed', 'succeeded']);
    } finally {
      await s.close();
    }
  });
});
