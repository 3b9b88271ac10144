import { spawn } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiArtifact } from '@gantry/api';
import { hasTool, pushTestImage, readBareFile, runGit } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { ActionWorld } from './action-harness.js';
import { actionWorld, GITLAB_TEMPLATE, ROOT } from './action-harness.js';
import { GANTRY_BIN } from '../support/gantry-bin.js';

type Job = Record<string, unknown> & {
  extends?: string | string[];
  variables?: Record<string, string>;
  before_script?: string[];
  script?: string[];
  stage?: string;
};
type Pipeline = Record<string, unknown>;

const template = parseYaml(readFileSync(GITLAB_TEMPLATE, 'utf8')) as Pipeline;

/** The pipeline of docs/ci-integrations.md: its ```yaml block with `include:`. */
const docsPipeline = (): Pipeline => {
  const blocks = [...readFileSync(join(ROOT, 'docs/ci-integrations.md'), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)];
  const block = blocks.map((m) => m[1] ?? '').find((b) => /^include:/m.test(b));
  if (!block) throw new Error('docs/ci-integrations.md has no GitLab pipeline');
  return parseYaml(block) as Pipeline;
};

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** GitLab's merge for `extends:`: hashes deep-merged, anything else (scripts too) replaced. */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObject(b) && isObject(v) ? merge(b, v) : v;
  }
  return out;
}

/** A job as GitLab runs it: its `extends:` chain resolved, in order, against `jobs`. */
function resolve(jobs: Pipeline, name: string, seen: string[] = []): Job {
  if (seen.includes(name)) throw new Error(`extends loop: ${[...seen, name].join(' -> ')}`);
  const job = jobs[name];
  if (!isObject(job)) throw new Error(`no job ${name}`);
  const parents = job.extends === undefined ? [] : ([] as unknown[]).concat(job.extends);
  let base: Record<string, unknown> = {};
  for (const p of parents) base = merge(base, resolve(jobs, String(p), [...seen, name]));
  const { extends: _, ...own } = job;
  return merge(base, own) as Job;
}

/** `$VAR` and `${VAR}` as GitLab expands them in `variables:` values. */
const expand = (value: string, env: Readonly<Record<string, string | undefined>>) =>
  value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, n: string) => env[n] ?? '');

describe('the GitLab CI template', () => {
  it('GIVEN the template THEN it is YAML whose hidden jobs .gantry-report, .gantry-promote and .gantry-track extend .gantry, each resolving to an image, the install and a gantry command', () => {
    const hidden = Object.keys(template).filter((k) => k.startsWith('.'));
    expect(hidden).toEqual(['.gantry', '.gantry-report', '.gantry-promote', '.gantry-track']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'packages/gantry/package.json'), 'utf8')) as { version: string };
    for (const [name, command] of [
      ['.gantry-report', 'gantry artifact report'],
      ['.gantry-promote', 'gantry promote'],
      ['.gantry-track', 'gantry track'],
    ] as const) {
      const job = resolve(template, name);
      expect(job.image, name).toBe('node:20');
      expect(job.variables?.GANTRY_VERSION).toBe(pkg.version);
      expect(job.before_script?.join('\n')).toContain('npm install --global');
      expect(job.script?.join('\n'), name).toContain(command);
    }
  });

  it('GIVEN the pipeline in the docs THEN it includes the template and its jobs extend hidden jobs the template has', () => {
    const pipeline = docsPipeline();
    expect(JSON.stringify(pipeline.include)).toContain('gantry.gitlab-ci.yml');
    const extending = Object.entries(pipeline).filter(([, j]) => isObject(j) && typeof j.extends === 'string');
    expect(extending.map(([, j]) => (j as Job).extends)).toEqual([
      '.gantry-report',
      '.gantry-promote',
      '.gantry-track',
    ]);
    for (const [name] of extending) expect(() => resolve({ ...template, ...pipeline }, name)).not.toThrow();
  });
});

describe.skipIf(!hasTool('docker-registry') || !hasTool('sh'))(
  "the docs' GitLab pipeline run against gantry serve, a real registry and real Git",
  () => {
    let w: ActionWorld;
    let shims: string;

    beforeAll(async () => {
      w = await actionWorld({ pipeline: 'shop' }); // as the docs' pipeline names it
      // the repository's build of the CLI as `gantry`, of the version the template wants: nothing is installed
      shims = join(w.tmp.path, 'bin');
      await mkdir(shims);
      await writeFile(join(shims, 'gantry'), `#!/bin/sh\nexec "${process.execPath}" "${GANTRY_BIN}" "$@"\n`);
      await chmod(join(shims, 'gantry'), 0o755);
    }, 180_000);
    afterAll(async () => {
      await w?.close();
    });

    /** Runs a job's before_script and script in one `sh -e`, as a runner does, with GitLab's variables. */
    const runJob = (name: string, dotenv: Record<string, string>) => {
      const pipeline = docsPipeline();
      const job = resolve({ ...template, ...pipeline }, name);
      const predefined: Record<string, string> = {
        GITLAB_CI: 'true',
        CI: 'true',
        CI_COMMIT_SHA: w.sha,
        CI_COMMIT_BRANCH: 'main',
        CI_PROJECT_URL: 'https://gitlab.com/acme/shop',
        CI_COMMIT_AUTHOR: 'Ann Example <ann@example.com>',
        CI_COMMIT_MESSAGE: 'Fix checkout rounding (SHOP-12)',
        CI_COMMIT_TIMESTAMP: '2026-03-01T10:00:00+01:00',
        CI_PIPELINE_ID: '77',
        CI_PIPELINE_URL: 'https://gitlab.com/acme/shop/-/pipelines/77',
        CI_REGISTRY_IMAGE: `${w.registry.host}/app`,
      };
      // project CI/CD variables (Settings > CI/CD) win over the YAML's, as in GitLab
      const project = {
        GANTRY_SERVER: w.server.url,
        GANTRY_TOKEN: w.tokens.ci,
        GANTRY_PROMOTE_TOKEN: w.tokens.promoter,
      };
      const env: Record<string, string> = { ...predefined, ...dotenv };
      const yamlVariables = { ...(pipeline.variables as Record<string, string>), ...job.variables };
      for (const [k, v] of Object.entries(yamlVariables)) env[k] = expand(String(v), env);
      Object.assign(env, project);
      const script = ['set -e', ...(job.before_script ?? []), ...(job.script ?? [])].join('\n');
      return new Promise<{ code: number; stdout: string; stderr: string }>((done, reject) => {
        const child = spawn('sh', ['-c', script], {
          cwd: w.checkout,
          // a runner's environment: no variables of the machine running the test (GITHUB_* there would win)
          env: { PATH: `${shims}:${process.env.PATH}`, HOME: w.tmp.path, NO_COLOR: '1', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
        });
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
        });
        child.on('error', reject);
        child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
      });
    };

    it('GIVEN a pushed build WHEN the report, staging and staging-verified jobs run and Flux reports the commit healthy THEN the artifact has GitLab’s facts, staging holds the digest, and the track job ends verified', async () => {
      const digest = await pushTestImage(w.registry.url, 'app', 'latest', { labels: { build: 'gitlab' } });
      const dotenv = { GANTRY_DIGEST: digest }; // the build job's dotenv report

      const report = await runJob('report', dotenv);
      expect(report.code, report.stdout + report.stderr).toBe(0);
      expect(report.stdout + report.stderr).not.toContain('npm');
      const list = await w.api<{ items: ApiArtifact[] }>(`/api/v1/artifacts?digest=${encodeURIComponent(digest)}`);
      expect(list.items).toHaveLength(1);
      const artifact = list.items[0] as ApiArtifact;
      expect(artifact).toMatchObject({
        image: `${w.registry.host}/app`,
        digest,
        verified: true,
        reportedBy: 'ci-bot',
        source: {
          repository: 'https://gitlab.com/acme/shop',
          commit: w.sha,
          branch: 'main',
          author: { name: 'Ann Example', email: 'ann@example.com' },
          message: 'Fix checkout rounding (SHOP-12)',
          time: '2026-03-01T09:00:00.000Z',
        },
        ci: { runUrl: 'https://gitlab.com/acme/shop/-/pipelines/77', provider: 'gitlab-ci' },
      });
      expect(artifact.steps.map((s) => `${s.name}=${s.status}`)).toEqual([
        'build=succeeded',
        'test=succeeded',
        'scan=succeeded',
      ]);

      const before = await w.configHead();
      const staging = await runJob('staging', dotenv);
      expect(staging.code, staging.stdout + staging.stderr).toBe(0);
      expect(staging.stdout).toContain('promoted shop/staging');
      const commit = await w.configHead();
      expect(commit).not.toBe(before);
      expect(await readBareFile(join(w.dir, 'config.git'), 'main', 'env/staging/app.yaml')).toContain(digest);
      const message = await runGit(['log', '-1', '--format=%an%n%B', commit], join(w.dir, 'config.git'));
      expect(message).toContain('Release Bot'); // GANTRY_PROMOTE_TOKEN, not the ci token
      expect(message).toContain('Gantry-Reason: pipeline 77');

      await w.flux(commit, true);
      const verified = await runJob('staging-verified', dotenv);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      expect(verified.stdout.trimEnd().split('\n').at(-1)).toMatch(/^verified: shop\/staging /);
    }, 180_000);
  },
);
