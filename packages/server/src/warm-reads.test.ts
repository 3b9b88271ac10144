import type { Pipeline, Resource } from '@gantry/core';
import type { GitRepositories } from '@gantry/git';
import { describe, expect, it } from 'vitest';
import { warmGitReads } from './warm-reads.js';

/** A pipeline whose staging file is in `config` (default branch) and production file in `prod@live`. */
const pipeline = (i: number): Pipeline<Resource> =>
  ({
    name: `svc-${i}`,
    phases: [
      { name: 'oci', source: { subject: { kind: 'oci', registry: 'r', repository: `svc-${i}` } } },
      { name: 'staging', source: { subject: { kind: 'git', repository: 'config', paths: [`s/${i}.yaml`] } } },
      {
        name: 'production',
        source: { subject: { kind: 'git', repository: 'prod', branch: 'live', paths: [`p/${i}.yaml`] } },
      },
      { name: 'elsewhere', source: { subject: { kind: 'git', repository: 'unknown', paths: ['x.yaml'] } } },
    ],
  }) as unknown as Pipeline<Resource>;

/** Repositories that record what they are asked. */
function recording() {
  const asked: string[] = [];
  const repositories: Pick<GitRepositories, 'repository'> = {
    repository(name) {
      if (name === 'unknown') throw new Error('no such repository');
      return {
        defaultBranch: 'main',
        async snapshot(branch: string, paths: readonly string[]) {
          asked.push(`snapshot ${name}@${branch} ${paths.join(',')}`);
          return { revision: 'tip', files: {} };
        },
        async lastChange(branch: string, tip: string, path: string) {
          asked.push(`lastChange ${name}@${branch} ${tip} ${path}`);
          return undefined;
        },
      } as unknown as ReturnType<GitRepositories['repository']>;
    },
  };
  return { asked, repositories };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('warming a round of Git reads', () => {
  it('GIVEN 20 pipelines over two repositories WHEN a round warms THEN each repository and branch is asked once for all its files, and once for the index of their changes', async () => {
    const { asked, repositories } = recording();
    const pipelines = Array.from({ length: 20 }, (_, i) => pipeline(i));
    warmGitReads(pipelines, repositories);
    await settle();
    expect(asked.sort()).toEqual([
      'lastChange config@main tip s/0.yaml',
      'lastChange prod@live tip p/0.yaml',
      `snapshot config@main ${pipelines.map((_, i) => `s/${i}.yaml`).join(',')}`,
      `snapshot prod@live ${pipelines.map((_, i) => `p/${i}.yaml`).join(',')}`,
    ]);
  });

  it('GIVEN a handful of pipelines WHEN a round warms THEN nothing is asked ahead: they read as they go', async () => {
    const { asked, repositories } = recording();
    warmGitReads([pipeline(1), pipeline(2)], repositories);
    await settle();
    expect(asked).toEqual([]);
  });
});
