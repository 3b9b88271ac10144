import type { Artifact, DeployerEventRecord, PromotionWithEvents } from '@gantry/store';
import { describe, expect, it } from 'vitest';
import type { ChainInput } from './chain.js';
import { assembleChain } from './chain.js';
import { createLinker } from './links.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const CONFIG_SHA = 'c'.repeat(40);
const SOURCE_SHA = 'f'.repeat(40);
const linker = createLinker({
  repositories: { config: { url: 'git@github.com:acme/config.git' } },
  registries: { ghcr: { url: 'https://ghcr.io', links: { image: 'https://reg.example/{repository}@{digest}' } } },
});
const resource = { kind: 'oci-image', repository: 'ghcr.io/acme/app', tag: '1.2.0', digest: DIGEST };

const artifact: Artifact = {
  id: '00000000-0000-4000-8000-000000000001',
  kind: 'image',
  image: 'ghcr.io/acme/app',
  digest: DIGEST,
  source: {
    repository: 'acme/app',
    commit: SOURCE_SHA,
    branch: 'main',
    author: { name: 'Ada', email: 'ada@example.com' },
    message: 'Fix the login\n\nlonger text',
    time: '2025-01-01T09:00:00.000Z',
  },
  sourceFrom: 'report',
  ci: { runUrl: 'https://github.com/acme/app/actions/runs/7', provider: 'github' },
  pipelines: ['app'],
  verified: true,
  reportedAt: '2025-01-01T09:05:00.000Z',
  reportedBy: 'ci-token',
  updatedAt: '2025-01-01T09:09:00.000Z',
  steps: [
    {
      name: 'build',
      status: 'succeeded',
      durationMs: 1000,
      updatedAt: '2025-01-01T09:06:00.000Z',
      finishedAt: '2025-01-01T09:06:00.000Z',
    },
    {
      name: 'test',
      status: 'succeeded',
      updatedAt: '2025-01-01T09:08:00.000Z',
      finishedAt: '2025-01-01T09:08:00.000Z',
    },
  ],
};

const promotion: PromotionWithEvents = {
  id: '00000000-0000-4000-8000-0000000000aa',
  pipeline: 'app',
  phase: 'staging',
  fromPhase: 'oci',
  toDigest: DIGEST,
  toVersion: 'app:1.2.0@aaaaaaaaaaaa',
  target: resource,
  trigger: { kind: 'person', actor: 'grace', author: { name: 'Grace Hopper', email: 'grace@example.com' } },
  reason: 'ship the fix',
  state: 'succeeded',
  commitSha: CONFIG_SHA,
  attempts: 1,
  deployment: {
    state: 'healthy',
    at: '2025-01-01T10:02:00.000Z',
    deployer: 'flux',
    healthySince: '2025-01-01T10:02:00.000Z',
  },
  verification: { state: 'verified', at: '2025-01-01T10:03:00.000Z', run: 1 },
  createdAt: '2025-01-01T10:00:00.000Z',
  updatedAt: '2025-01-01T10:03:00.000Z',
  events: [
    { state: 'queued', at: '2025-01-01T10:00:00.000Z', detail: {} },
    { state: 'running', at: '2025-01-01T10:00:01.000Z', detail: {} },
    { state: 'pushed', at: '2025-01-01T10:00:02.000Z', detail: {} },
    { state: 'succeeded', at: '2025-01-01T10:00:03.000Z', detail: {} },
  ],
};

const event = (state: DeployerEventRecord['state'], at: string): DeployerEventRecord => ({
  id: `e-${state}`,
  key: `k-${state}`,
  receivedAt: at,
  deployer: 'flux',
  object: { kind: 'Kustomization', namespace: 'flux-system', name: 'staging' },
  commit: CONFIG_SHA,
  state,
  message: `${state}!`,
  occurredAt: at,
  matched: ['app/staging'],
});

const base: ChainInput = {
  pipeline: 'app',
  phase: 'staging',
  version: promotion.toVersion,
  digest: DIGEST,
  resource,
  current: true,
  config: { repository: 'config', branch: 'main' },
  deployerEvents: [],
  linker,
};

describe('assembleChain', () => {
  it('GIVEN every record WHEN assembled THEN each link is done with who, when and its page', () => {
    const chain = assembleChain({
      ...base,
      promotion,
      artifact,
      deployerEvents: [
        event('progressing', '2025-01-01T10:00:30.000Z'),
        event('applied', '2025-01-01T10:01:00.000Z'),
        event('healthy', '2025-01-01T10:02:00.000Z'),
      ],
      checks: [
        {
          promotionId: promotion.id,
          run: 1,
          name: 'health',
          result: { status: 'passed' },
          recordedAt: '2025-01-01T10:03:00.000Z',
        },
      ],
    });
    expect(chain.chain.map((l) => [l.kind, l.state, l.at, l.by])).toEqual([
      ['source', 'done', '2025-01-01T09:00:00.000Z', 'Ada'],
      ['ci', 'done', '2025-01-01T09:08:00.000Z', 'github (ci-token)'],
      ['image', 'done', '2025-01-01T09:05:00.000Z', 'ci-token'],
      ['config', 'done', '2025-01-01T10:00:02.000Z', 'Grace Hopper'],
      ['applied', 'done', '2025-01-01T10:01:00.000Z', 'flux Kustomization flux-system/staging'],
      ['healthy', 'done', '2025-01-01T10:02:00.000Z', 'flux Kustomization flux-system/staging'],
      ['verified', 'done', '2025-01-01T10:03:00.000Z', 'checks: health'],
    ]);
    expect(chain.links).toEqual({
      sourceCommit: `https://github.com/acme/app/commit/${SOURCE_SHA}`,
      ciRun: 'https://github.com/acme/app/actions/runs/7',
      image: `https://reg.example/acme/app@${DIGEST}`,
      configCommit: `https://github.com/acme/config/commit/${CONFIG_SHA}`,
    });
    expect(chain.promotionId).toBe(promotion.id);
    const source = chain.chain[0];
    expect(source?.kind === 'source' && source.summary).toBe('fffffff Fix the login (main)');
  });

  it('GIVEN no report WHEN the image labels name the commit THEN the source link says so and CI is unknown', () => {
    const chain = assembleChain({
      ...base,
      promotion: { ...promotion, deployment: undefined, verification: undefined } as PromotionWithEvents,
      labels: { sha: SOURCE_SHA, url: 'https://gitlab.com/acme/app', message: 'from labels' },
    });
    const [source, ci, , , applied, healthy, verified] = chain.chain;
    expect(source).toMatchObject({ state: 'done', from: 'labels', sha: SOURCE_SHA });
    expect(source?.url).toBe(`https://gitlab.com/acme/app/-/commit/${SOURCE_SHA}`);
    expect(ci).toMatchObject({ state: 'unknown', steps: [] });
    // pushed, not yet reported: waiting for the deployer, not unknown
    expect([applied?.state, healthy?.state, verified?.state]).toEqual(['pending', 'pending', 'pending']);
  });

  it('GIVEN a failing step and a degraded deployment WHEN assembled THEN those links failed', () => {
    const chain = assembleChain({
      ...base,
      promotion: {
        ...promotion,
        deployment: { state: 'degraded', at: '2025-01-01T10:05:00.000Z', deployer: 'flux', message: 'crash loop' },
        verification: { state: 'failed', at: '2025-01-01T10:06:00.000Z', run: 2, failed: ['health'] },
      },
      artifact: { ...artifact, steps: [{ name: 'scan', status: 'failed', updatedAt: artifact.updatedAt }] },
      deployerEvents: [event('applied', '2025-01-01T10:01:00.000Z')],
    });
    expect(chain.chain.map((l) => l.state)).toEqual(['done', 'failed', 'done', 'done', 'done', 'failed', 'failed']);
    expect(chain.chain[5]?.summary).toBe('flux reported degraded: crash loop');
    expect(chain.chain[6]?.summary).toBe('verification failed: health');
  });

  it('GIVEN a version written outside Gantry WHEN assembled THEN the config link is the Git commit and nothing verified it', () => {
    const chain = assembleChain({
      ...base,
      configCommit: {
        sha: CONFIG_SHA,
        time: '2025-01-02T08:00:00.000Z',
        author: 'Linus <l@example.com>',
        message: 'hand edit',
      },
    });
    const config = chain.chain[3];
    expect(config).toMatchObject({ kind: 'config', state: 'done', by: 'Linus', at: '2025-01-02T08:00:00.000Z' });
    expect(config?.summary).toBe('ccccccc hand edit (written outside Gantry)');
    expect(chain.chain[6]).toMatchObject({ state: 'unknown' });
    expect(chain.promotionId).toBeUndefined();
  });

  it('GIVEN a rollback WHEN assembled THEN the config link names what it reverts', () => {
    const rollbackOf = '00000000-0000-4000-8000-0000000000bb';
    const chain = assembleChain({
      ...base,
      promotion: { ...promotion, trigger: { kind: 'person', actor: 'grace', rollbackOf }, reason: 'bad build' },
    });
    expect(chain.chain[3]).toMatchObject({ rollbackOf, by: 'grace' });
    expect(chain.chain[3]?.summary).toBe('ccccccc rollback succeeded: bad build');
  });
});
