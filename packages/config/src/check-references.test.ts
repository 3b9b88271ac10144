import type { OciImage } from '@gantry/core';
import { definePipeline, ociImage } from '@gantry/core';
import { gitBranch, gitFile, gitFiles } from '@gantry/git';
import { ociImageSource } from '@gantry/oci';
import { kubernetesImage } from '@gantry/updaters';
import { describe, expect, it } from 'vitest';
import { checkReferences, gitBranchProblem, gitPathProblem, subjectProblems } from './check-references.js';

const known = { repositories: ['config'], registries: ['ghcr'] };
const updater = kubernetesImage({ container: 'app' });

describe('gitPathProblem', () => {
  it.each([['env/staging/deployment.yaml'], ['deployment.yaml'], ['a/.gitkeep'], ['charts/app/values.yaml']])(
    'GIVEN %s WHEN checked THEN it is a path inside the repository',
    (path) => {
      expect(gitPathProblem(path, 'config')).toBeUndefined();
    },
  );

  it.each([
    ['../x', 'leaves the repository'],
    ['env/../../x', 'leaves the repository'],
    ['/etc/passwd', 'is absolute'],
    ['C:/x', 'is absolute'],
    ['.git/config', 'inside .git'],
    ['sub/.git/hooks/pre-commit', 'inside .git'],
    ['env/', 'names a directory'],
    ['', 'is empty'],
    ['a\nb', 'control character'],
  ])('GIVEN %j WHEN checked THEN refused: %s', (path, why) => {
    const problem = gitPathProblem(path, 'config');
    expect(problem).toContain(why);
    expect(problem).toContain('inside repository "config"');
  });
});

describe('gitBranchProblem', () => {
  it.each([['main'], ['env/production'], ['release-1.2']])('GIVEN %s WHEN checked THEN accepted', (b) => {
    expect(gitBranchProblem(b)).toBeUndefined();
  });
  it.each([['-x'], ['a..b'], ['a b'], ['a~1'], ['x.lock'], ['.hidden'], ['a/'], ['@'], ['a@{1}'], ['a:b']])(
    'GIVEN %j WHEN checked THEN refused as git would',
    (b) => {
      expect(gitBranchProblem(b)).toBe(`"${b}" is not a valid git branch name`);
    },
  );
});

describe('subjectProblems and checkReferences', () => {
  it('GIVEN an OCI source on an unknown registry WHEN checked THEN its registry field, with the known names', () => {
    const src = ociImageSource({ registry: 'hub', repository: 'app', select: { by: 'tag', tag: 'latest' } });
    expect(subjectProblems(src.subject, known)).toEqual([
      { field: ['registry'], message: 'unknown registry "hub"; known: ghcr', value: 'hub' },
    ]);
  });

  it('GIVEN no registries configured WHEN an OCI source names one THEN the message says where to add it', () => {
    const src = ociImageSource({ registry: 'hub', repository: 'app', select: { by: 'tag', tag: 'latest' } });
    expect(subjectProblems(src.subject, { repositories: [], registries: [] })[0]?.message).toBe(
      'unknown registry "hub"; known: (none: add one under registries: in gantry.yaml)',
    );
  });

  it('GIVEN a git file with an unknown repository, a bad branch and a path outside WHEN checked THEN each field', () => {
    const src = gitFile({ repository: 'confg', branch: '-x', path: '../x.yaml', updater });
    expect(subjectProblems(src.subject, known).map((p) => [p.field.join('.'), p.value])).toEqual([
      ['repository', 'confg'],
      ['branch', '-x'],
      ['path', '../x.yaml'],
    ]);
  });

  it('GIVEN a bundle of files WHEN one path escapes THEN its place in the list', () => {
    const src = gitFiles<{ image: OciImage; other: OciImage }>({
      repository: 'config',
      files: { image: { path: 'a.yaml', updater }, other: { path: '/abs.yaml', updater } },
    });
    expect(subjectProblems(src.subject, known).map((p) => p.field)).toEqual([['paths', 1]]);
  });

  it('GIVEN a git branch source WHEN its repository is unknown THEN refused', () => {
    expect(subjectProblems(gitBranch({ repository: 'app', branch: 'main' }).subject, known)[0]?.message).toBe(
      'unknown repository "app"; known: config',
    );
  });

  it('GIVEN pipelines WHEN checked THEN each problem carries its pipeline and phase index', () => {
    const good = definePipeline({
      name: 'good',
      resource: ociImage,
      phases: [{ name: 'staging', source: gitFile({ repository: 'config', path: 'env/s.yaml', updater }) }],
    });
    const bad = definePipeline({
      name: 'bad',
      resource: ociImage,
      phases: [
        { name: 'oci', source: ociImageSource({ registry: 'ghcr', repository: 'x', select: { by: 'tag', tag: 't' } }) },
        { name: 'prod', source: gitFile({ repository: 'config', path: '.git/HEAD', updater }) },
      ],
    });
    expect(checkReferences([good, bad], known)).toMatchObject([{ pipeline: 1, phase: 1, field: ['path'] }]);
  });
});
