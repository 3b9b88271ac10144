import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import type { GitHttpServer, GitHubFake, TempDir } from '@gantry/testing';
import { startGitHttpServer, startGitHubFake, tempDir } from '@gantry/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { gantry, json } from '../cli/run-cli.js';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';
import { until } from './until.js';

const TOKEN = 'ghp_proposalsStatusToken00000000000000';

const yaml = (gitUrl: string, apiUrl: string) => `dataDir: .gantry
logLevel: warn
repositories:
  config:
    url: ${gitUrl}/config.git
    branch: main
    provider: { kind: github, repository: acme/config, token: ${TOKEN}, apiUrl: "${apiUrl}", pollInterval: 0s }
registries:
  sandbox: { layout: ./registry, host: localhost:5000 }
server:
  schedules: []
pipelines:
  - name: app
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: sandbox, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        write: proposal
        source:
          type: git
          repository: config
          path: env/staging/deployment.yaml
          updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST }
`;

interface PhaseJson {
  phase: string;
  proposal?: { promotionId: string; version: string; provider: string; number: number; url: string };
}
interface PipelineJson {
  pipeline: string;
  phases: PhaseJson[];
}

describe('gantry status shows an open proposal on its phase (API, remote and local CLI)', () => {
  let tmp: TempDir;
  let git: GitHttpServer;
  let github: GitHubFake;
  let s: SandboxServer | undefined;

  afterEach(async () => {
    await s?.close();
    await github?.stop();
    await git?.stop();
  });

  it('GIVEN a promotion proposed as a pull request WHEN status is read THEN the phase shows it (proposed #1, its URL in JSON) until it is merged', async () => {
    tmp = await tempDir('gantry-proposals-status-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    git = await startGitHttpServer({ root: dir });
    github = await startGitHubFake({
      repositories: { 'acme/config': join(dir, 'config.git') },
      tokens: { [TOKEN]: 'gantry-bot' },
    });
    await writeFile(join(dir, 'gantry.yaml'), yaml(git.url, github.url));
    const server = await sandboxServer({ tmp, listen: true });
    s = server;
    await pushSandboxImage(dir, new Date(Date.UTC(2030, 0, 1)));
    await server.server.deps.state.refresh(['app']);
    const res = await server.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
    expect(res.status).toBe(202);
    const { promotion } = (await res.json()) as { promotion: { id: string; toVersion: string } };
    await server.server.deps.promotions.idle();

    // THEN the API's phase status carries it
    const url = 'https://github.test/acme/config/pull/1';
    const staging = async () =>
      ((await (await server.api('/api/v1/pipelines/app')).json()) as PipelineJson).phases.find(
        (p) => p.phase === 'staging',
      );
    const expected = { promotionId: promotion.id, provider: 'github', number: 1, url, version: promotion.toVersion };
    await until(async () => ((await staging())?.proposal ? true : undefined), 'the proposal on the phase status');
    expect((await staging())?.proposal).toEqual(expected);
    expect(
      (
        (await (await server.api('/api/v1/pipelines')).json()) as { pipelines: PipelineJson[] }
      ).pipelines[0]?.phases.find((p) => p.phase === 'staging')?.proposal,
    ).toEqual(expected);

    // AND the CLI against the server (remote mode): the table says proposed #1, --json has the URL
    const env = { GANTRY_SERVER: server.server.url };
    const table = await gantry(['status'], dir, env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/staging .*proposed #1 \(/);
    const remote = await gantry(['status', '--json'], dir, env);
    expect(json<PipelineJson[]>(remote)[0]?.phases.find((p) => p.phase === 'staging')?.proposal).toEqual(expected);

    // AND in local mode (the data directory's store, no server asked)
    const local = await gantry(['status', '--json'], dir);
    expect(local.code, local.stderr).toBe(0);
    expect(json<PipelineJson[]>(local)[0]?.phases.find((p) => p.phase === 'staging')?.proposal).toEqual(expected);

    // WHEN it is merged THEN the phase runs the version and shows no proposal
    await github.merge('acme/config', 1);
    await server.server.deps.promotions.checkProposals({ force: true });
    await until(async () => ((await staging())?.proposal ? undefined : true), 'the proposal gone from the status');
  });
});
