import { readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiArtifact } from '@gantry/api';
import type { ApiPromotionDetail } from '@gantry/server';
import { hasTool, pushTestImage, readBareFile, runGit } from '@gantry/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { ActionWorld, RunningAction } from './action-harness.js';
import { ACTION_DIR, actionWorld, ROOT, runAction } from './action-harness.js';

const declaredOutputs = Object.keys(
  (parseYaml(readFileSync(join(ACTION_DIR, 'action.yml'), 'utf8')) as { outputs: Record<string, unknown> }).outputs,
);

describe.skipIf(!hasTool('docker-registry') || !hasTool('bash'))(
  "the GitHub Action's script against gantry serve, a real registry and real Git",
  () => {
    let w: ActionWorld;
    const running: RunningAction[] = [];
    let pushes = 0;
    /** CI built and pushed a new app:latest; its digest. */
    const build = () => pushTestImage(w.registry.url, 'app', 'latest', { labels: { build: String(++pushes) } });
    const run = (inputs: Record<string, string>) => {
      const r = runAction(w, { server: w.server.url, ...inputs });
      running.push(r);
      return r;
    };
    const configCommit = async (sha: string) => {
      const [author, ...body] = (
        await runGit(['log', '-1', '--format=%an <%ae>%n%B', sha], join(w.dir, 'config.git'))
      ).split('\n');
      return { author, message: body.join('\n') };
    };

    beforeAll(async () => {
      w = await actionWorld();
    }, 180_000);
    afterEach(() => {
      for (const r of running.splice(0)) r.kill();
    });
    afterAll(async () => {
      await w?.close();
    });

    it('GIVEN a pushed build, a ci token and a promoter token WHEN the action reports, promotes to the next phase behind and tracks, and Flux reports the commit healthy THEN the artifact has its source facts, staging holds it in a config commit by the token holder, track ends verified, and the outputs say so', async () => {
      const digest = await build();
      const image = `${w.registry.host}/app`;
      const before = await w.configHead();
      const action = run({
        token: w.tokens.ci,
        'promote-token': w.tokens.promoter,
        image,
        digest,
        steps: 'build=success:1m12s@https://github.com/acme/app/actions/runs/4242/job/1\ntest=success:2m scan=skipped',
        pipeline: 'app',
        phase: '',
        reason: 'CI run 4242',
        report: 'true',
        promote: 'true',
        track: 'true',
        timeout: '2m',
      });
      // Flux sees the commit Gantry pushed and reports it, as notification-controller would
      await action.printed('"type":"promotion","state":"succeeded"');
      const commit = await w.configHead();
      expect(commit).not.toBe(before);
      await w.flux(commit, true);
      const r = await action.done;
      expect(r.code, r.stdout + r.stderr).toBe(0);

      // the log shows each gantry command as a person would type it
      expect(r.stderr).toContain(
        `+ gantry artifact report --image ${image} --digest ${digest} --step build=succeeded:1m12s@https://github.com/acme/app/actions/runs/4242/job/1 --step test=succeeded:2m --step scan=skipped --json`,
      );
      expect(r.stderr).toContain('+ gantry promote app --reason CI\\ run\\ 4242 --json');
      expect(r.stderr).toContain(`+ gantry track app staging --digest ${digest} --timeout 2m --json`);
      expect(r.stderr).toContain('next phase behind: staging');

      // outputs, each one the action declares
      expect(r.outputs).toMatchObject({
        'artifact-verified': 'true',
        promoted: 'true',
        phase: 'staging',
        commit,
        outcome: 'verified',
      });
      expect(declaredOutputs).toEqual(expect.arrayContaining(Object.keys(r.outputs)));

      // the artifact: what GitHub's variables and the checkout say
      const artifact = await w.api<ApiArtifact>(`/api/v1/artifacts/${r.outputs['artifact-id']}`);
      expect(artifact).toMatchObject({
        image,
        digest,
        verified: true,
        pipelines: ['app'],
        reportedBy: 'ci-bot',
        source: {
          repository: 'https://github.com/acme/app',
          commit: w.sha,
          branch: 'main',
          author: { name: 'Ann Example', email: 'ann@example.com' },
          message: 'Fix checkout rounding (SHOP-12)',
        },
        ci: { runUrl: 'https://github.com/acme/app/actions/runs/4242', provider: 'github-actions' },
      });
      expect(artifact.steps.map((s) => [s.name, s.status, s.durationMs ?? null, s.url ?? null])).toEqual([
        ['build', 'succeeded', 72_000, 'https://github.com/acme/app/actions/runs/4242/job/1'],
        ['test', 'succeeded', 120_000, null],
        ['scan', 'skipped', null, null],
      ]);

      // the promotion: the config commit holds the digest, authored by the promoter token's holder
      const promotion = await w.api<ApiPromotionDetail>(`/api/v1/promotions/${r.outputs['promotion-id']}`);
      expect(promotion).toMatchObject({
        pipeline: 'app',
        phase: 'staging',
        toDigest: digest,
        state: 'succeeded',
        commitSha: commit,
        reason: 'CI run 4242',
      });
      expect(promotion.verification?.state).toBe('verified');
      expect(r.outputs.version).toBe(promotion.toVersion);
      expect(await readBareFile(join(w.dir, 'config.git'), 'main', 'env/staging/app.yaml')).toBe(
        `image: ${image}@${digest}\n`,
      );
      const c = await configCommit(commit);
      expect(c.author).toBe('Release Bot <release-bot@example.com>');
      expect(c.message).toContain('Gantry-Reason: CI run 4242');
    }, 180_000);

    it('GIVEN promote without track WHEN the action promotes staging, then production, then production again THEN it waits for each promotion to be pushed (outcome succeeded, the commit as output), and the last is in sync', async () => {
      const digest = await build();
      const staging = await run({
        token: w.tokens.promoter,
        report: 'false',
        promote: 'true',
        pipeline: 'app',
        phase: 'staging',
      }).done;
      expect(staging.code, staging.stdout + staging.stderr).toBe(0);
      expect(staging.stderr).toContain('+ gantry promote app staging --wait --json');
      expect(staging.outputs).toMatchObject({ phase: 'staging', outcome: 'succeeded', promoted: 'true' });

      const production = await run({
        token: w.tokens.promoter,
        report: 'false',
        promote: 'true',
        pipeline: 'app',
        phase: 'production',
      }).done;
      expect(production.code, production.stdout + production.stderr).toBe(0);
      expect(production.outputs).toMatchObject({
        phase: 'production',
        outcome: 'succeeded',
        promoted: 'true',
        commit: await w.configHead(),
      });
      expect(await readBareFile(join(w.dir, 'config.git'), 'main', 'env/production/app.yaml')).toContain(digest);

      const again = await run({
        token: w.tokens.promoter,
        report: 'false',
        promote: 'true',
        pipeline: 'app',
        phase: 'production',
      }).done;
      expect(again.code, again.stderr).toBe(0);
      expect(again.outputs).toMatchObject({ phase: 'production', outcome: 'in-sync', promoted: 'false' });
      expect(declaredOutputs).toEqual(expect.arrayContaining(Object.keys(again.outputs)));
    }, 180_000);

    it('GIVEN the action tracking its promotion WHEN Flux reports the health check failing THEN the script exits 1 with outcome failed and the reason', async () => {
      const digest = await build();
      const action = run({
        token: w.tokens.promoter,
        digest,
        report: 'false',
        promote: 'true',
        track: 'true',
        pipeline: 'app',
        phase: 'staging',
        timeout: '2m',
      });
      await action.printed('"type":"promotion","state":"succeeded"');
      await w.flux(await w.configHead(), false);
      const r = await action.done;
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.outputs).toMatchObject({ phase: 'staging', outcome: 'failed' });
      expect(r.stderr).toContain('the deployer reported degraded');
    }, 180_000);

    it('GIVEN only a ci token WHEN the action is asked to promote THEN the server refuses it, nothing is written, and the step fails', async () => {
      await build();
      const before = await w.configHead();
      const r = await run({ token: w.tokens.ci, report: 'false', promote: 'true', pipeline: 'app', phase: 'staging' })
        .done;
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('has ci');
      expect(await w.configHead()).toBe(before);
      expect(r.outputs.promoted).toBeUndefined();
    }, 120_000);
  },
);

interface ActionYaml {
  name?: string;
  description?: string;
  inputs: Record<string, { description?: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description?: string; value?: string }>;
  runs: { using?: string; steps?: Array<{ id?: string; run?: string; uses?: string; env?: Record<string, string> }> };
}

/** The ```yaml blocks of a docs page. */
const yamlBlocks = (file: string) =>
  [...readFileSync(join(ROOT, file), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

describe("the GitHub Action's definition", () => {
  const action = parseYaml(readFileSync(join(ACTION_DIR, 'action.yml'), 'utf8')) as ActionYaml;
  const script = readFileSync(join(ACTION_DIR, 'run.sh'), 'utf8');
  const envName = (input: string) => `INPUT_${input.toUpperCase().replaceAll('-', '_')}`;

  it('GIVEN action.yml THEN it is a composite action with a name, a description, described inputs and outputs, and a step running run.sh', () => {
    expect(action.name).toBeTruthy();
    expect(action.description).toBeTruthy();
    expect(action.runs.using).toBe('composite');
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description, name).toBeTruthy();
      // composite actions take only text: a default that is not a string would be YAML's, not GitHub's
      if (input.default !== undefined) expect(typeof input.default, name).toBe('string');
    }
    const main = action.runs.steps?.find((s) => s.run?.includes('run.sh'));
    expect(main?.run).toBe('"$GITHUB_ACTION_PATH/run.sh"');
    expect(main?.id).toBe('gantry');
    for (const [name, output] of Object.entries(action.outputs)) {
      expect(output.description, name).toBeTruthy();
      expect(output.value).toBe(`\${{ steps.gantry.outputs.${name} }}`);
    }
    expect(statSync(join(ACTION_DIR, 'run.sh')).mode & 0o111).not.toBe(0);
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(script).toContain('\nset -euo pipefail\n');
  });

  it('GIVEN run.sh THEN every input it reads is declared and passed to it as INPUT_<NAME>, and every declared input is passed', () => {
    const main = action.runs.steps?.find((s) => s.run?.includes('run.sh'));
    const read = [...script.matchAll(/\b(?:input|enabled) ([A-Z_]+)\b/g)].map((m) => m[1] as string);
    expect(read.length).toBeGreaterThan(10);
    const declared = Object.keys(action.inputs);
    for (const name of new Set(read)) {
      const input = name.toLowerCase().replaceAll('_', '-');
      expect(declared, `run.sh reads INPUT_${name}`).toContain(input);
    }
    for (const input of declared) expect(main?.env?.[envName(input)], input).toBe(`\${{ inputs.${input} }}`);
    expect(Object.keys(main?.env ?? {}).sort()).toEqual(declared.map(envName).sort());
  });

  it('GIVEN the gantry package THEN the action installs the same version by default', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'packages/gantry/package.json'), 'utf8')) as { version: string };
    expect(action.inputs.version?.default).toBe(pkg.version);
    expect(yamlBlocks('docs/ci-integrations.md').join('\n')).toContain(`integrations/github-action@v${pkg.version}`);
  });

  it('GIVEN the workflows in the docs THEN each use of the action passes only inputs it declares', () => {
    const uses: Array<Record<string, unknown>> = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) for (const n of node) walk(n);
      else if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        if (typeof o.uses === 'string' && o.uses.includes('/integrations/github-action@'))
          uses.push((o.with ?? {}) as Record<string, unknown>);
        for (const v of Object.values(o)) walk(v);
      }
    };
    for (const block of yamlBlocks('docs/ci-integrations.md')) walk(parseYaml(block));
    expect(uses.length).toBeGreaterThanOrEqual(3);
    for (const w of uses) expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(Object.keys(w)));
  });

  it('GIVEN inputs that ask for nothing, or a report without its digest THEN run.sh exits 2 saying what is missing, before running anything', async () => {
    const world = { checkout: ROOT, sha: 'a'.repeat(40), tmp: { path: tmpdir() } };
    const none = await runAction(world, { server: 'http://127.0.0.1:1', token: 't', report: 'false' }).done;
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('nothing to do: set report, promote or track to true');
    const noDigest = await runAction(world, { server: 'http://127.0.0.1:1', token: 't', image: 'ghcr.io/acme/app' })
      .done;
    expect(noDigest.code).toBe(2);
    expect(noDigest.stderr).toContain('report: give inputs image and digest');
    const notBoolean = await runAction(world, { server: 'http://127.0.0.1:1', token: 't', track: 'yes please' }).done;
    expect(notBoolean.code).toBe(2);
    expect(notBoolean.stderr).toContain('input track is "yes please"; give true or false');
    expect(none.stderr + noDigest.stderr + notBoolean.stderr).not.toContain('+ gantry');
  });
});
