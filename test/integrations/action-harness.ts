import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeployerRequest } from '@gantry/deployments';
import { fluxEventsFor } from '@gantry/deployments';
import type { TempDir, TestRegistry } from '@gantry/testing';
import { createBareRepo, runGit, startRegistry, tempDir } from '@gantry/testing';
import { gantry, json } from '../cli/run-cli.js';
import type { ServeProcess } from '../server/serve-process.js';
import { serveProcess } from '../server/serve-process.js';
import { GANTRY_BIN as BIN } from '../support/gantry-bin.js';
import { parse as parseYaml } from 'yaml';
import type { HealthEndpoint } from '../server/verified-sandbox.js';
import { healthEndpoint } from '../server/verified-sandbox.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ACTION_DIR = join(ROOT, 'integrations/github-action');
export const GITLAB_TEMPLATE = join(ROOT, 'integrations/gitlab/gantry.gitlab-ci.yml');
const FLUX_SECRET = 'flux-secret';
const ZERO = `sha256:${'0'.repeat(64)}`;

interface ActionInputs {
  readonly inputs: Readonly<Record<string, { readonly default?: string }>>;
}

/** What a run of the action's script left: exit code, its log, and the step outputs it wrote. */
export interface ActionRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
}

/** A running run.sh: its log so far, and its end. */
export interface RunningAction {
  printed(text: string): Promise<void>;
  readonly done: Promise<ActionRun>;
  kill(): void;
}

export interface ActionWorld {
  readonly tmp: TempDir;
  readonly registry: TestRegistry;
  readonly server: ServeProcess;
  readonly health: HealthEndpoint;
  /** The Gantry configuration's directory (its bare config repository is config.git). */
  readonly dir: string;
  /** The application's checkout, as actions/checkout leaves it; `sha` is its HEAD. */
  readonly checkout: string;
  readonly sha: string;
  readonly tokens: { readonly ci: string; readonly promoter: string; readonly viewer: string };
  /** The config repository's main branch head. */
  configHead(): Promise<string>;
  /** Flux's notification-controller reporting `commit` applied, then healthy (or its health check failing). */
  flux(commit: string, ok: boolean): Promise<void>;
  /** GET on the server's API with the viewer token. */
  api<T>(path: string): Promise<T>;
  close(): Promise<void>;
}

/**
 * oci (a real docker-registry) -> staging (applied by the Flux Kustomization flux-system/staging,
 * proven by an HTTP check) -> production (no deployer: nothing to verify).
 */
const gantryYaml = (registry: TestRegistry, healthUrl: string, pipeline: string) => `dataDir: .gantry
logLevel: warn
repositories:
  config: { url: ./config.git, branch: main }
registries:
  reg: { url: "${registry.url}", host: "${registry.host}" }
server:
  schedules: []
  webhooks:
    flux: { secret: ${FLUX_SECRET} }
pipelines:
  - name: ${pipeline}
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: reg, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        source: { type: git, repository: config, path: env/staging/app.yaml, updater: { type: image-path, path: image } }
        deployer: { kind: flux-kustomization, namespace: flux-system, name: staging }
        verify:
          checks:
            - { kind: http, name: health, url: "${healthUrl}", retries: 1, interval: 10ms, timeout: 2s }
      - name: production
        promotesFrom: staging
        source: { type: git, repository: config, path: env/production/app.yaml, updater: { type: image-path, path: image } }
`;

/** The application's repository with one commit by Ann, checked out as a CI job has it. */
function appCheckout(dir: string): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Ann Example',
        GIT_AUTHOR_EMAIL: 'ann@example.com',
        GIT_AUTHOR_DATE: '2026-03-01T09:00:00Z',
        GIT_COMMITTER_NAME: 'Ann Example',
        GIT_COMMITTER_EMAIL: 'ann@example.com',
        GIT_COMMITTER_DATE: '2026-03-01T09:00:00Z',
      },
    }).trim();
  git('init', '-q', '-b', 'main');
  execFileSync('sh', ['-c', 'echo "package main" > main.go'], { cwd: dir });
  git('add', 'main.go');
  git('commit', '-q', '-m', 'Fix checkout rounding (SHOP-12)');
  return git('rev-parse', 'HEAD');
}

/**
 * A server (`gantry serve`, as deployed) on a real registry and real Git, with ci, promoter and
 * viewer tokens; its pipeline (`app` unless named) reads the registry's repository `app`.
 */
export async function actionWorld(o: { pipeline?: string } = {}): Promise<ActionWorld> {
  const tmp = await tempDir('gantry-action-');
  const registry = await startRegistry();
  const health = await healthEndpoint();
  const dir = join(tmp.path, 'gantry');
  await mkdir(dir, { recursive: true });
  await createBareRepo(join(dir, 'config.git'), {
    'env/staging/app.yaml': `image: ${registry.host}/app@${ZERO}\n`,
    'env/production/app.yaml': `image: ${registry.host}/app@${ZERO}\n`,
  });
  await writeFile(join(dir, 'gantry.yaml'), gantryYaml(registry, health.url, o.pipeline ?? 'app'));
  const token = async (name: string, role: string) => {
    const r = await gantry(['token', 'create', '--name', name, '--role', role, '--json'], dir);
    if (r.code !== 0) throw new Error(`token create: ${r.stderr}`);
    return json<{ token: string }>(r).token;
  };
  const tokens = {
    ci: await token('ci-bot', 'ci'),
    promoter: await token('Release Bot <release-bot@example.com>', 'promoter'),
    viewer: await token('viewer', 'viewer'),
  };
  const server = await serveProcess(dir);
  const checkout = join(tmp.path, 'checkout');
  await mkdir(checkout);
  const sha = appCheckout(checkout);
  const post = async (req: DeployerRequest) => {
    const res = await fetch(`${server.url}/api/v1/webhooks/flux`, {
      method: 'POST',
      body: req.body,
      headers: { ...req.headers },
    });
    if (res.status >= 300) throw new Error(`flux webhook: ${res.status} ${await res.text()}`);
  };
  return {
    tmp,
    registry,
    server,
    health,
    dir,
    checkout,
    sha,
    tokens,
    configHead: async () => (await runGit(['rev-parse', 'refs/heads/main'], join(dir, 'config.git'))).trim(),
    async flux(commit, ok) {
      const ref = { kind: 'flux-kustomization', namespace: 'flux-system', name: 'staging' } as const;
      for (const req of fluxEventsFor({ ref, commit, branch: 'main', ok, time: new Date(), secret: FLUX_SECRET }))
        await post(req);
    },
    async api<T>(path: string) {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${tokens.viewer}` } });
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async close() {
      await server.stop();
      await health.close();
      await registry.stop();
      await tmp.remove();
    },
  };
}

/** GitHub's variables for a push to main of acme/app, run 4242, as a runner sets them. */
export const githubEnv = (sha: string): NodeJS.ProcessEnv => ({
  GITHUB_ACTIONS: 'true',
  GITHUB_SHA: sha,
  GITHUB_REF: 'refs/heads/main',
  GITHUB_REF_NAME: 'main',
  GITHUB_REF_TYPE: 'branch',
  GITHUB_REPOSITORY: 'acme/app',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_RUN_ID: '4242',
  GITHUB_WORKFLOW: 'deploy',
});

/** `KEY=value` lines of a GITHUB_OUTPUT file (the action writes single-line values). */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 1);
  }
  return out;
}

/**
 * Runs the action's script as its composite step does: `inputs` (else action.yml's defaults) as
 * INPUT_<NAME> (dashes as underscores), GitHub's variables, a GITHUB_OUTPUT file, and GANTRY_CLI set to the repository's
 * CLI instead of the published package.
 */
export function runAction(
  world: { readonly checkout: string; readonly sha: string; readonly tmp: { readonly path: string } },
  inputs: Readonly<Record<string, string>>,
): RunningAction {
  const outputFile = join(world.tmp.path, `github-output-${Math.random().toString(36).slice(2)}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    CI: 'true',
    ...githubEnv(world.sha),
    RUNNER_TEMP: world.tmp.path,
    GITHUB_OUTPUT: outputFile,
    GANTRY_CLI: `${process.execPath} ${BIN}`,
  };
  // as GitHub runs the step: every declared input, its default where the workflow gave none
  const declared = (parseYaml(readFileSync(join(ACTION_DIR, 'action.yml'), 'utf8')) as ActionInputs).inputs;
  for (const name of new Set([...Object.keys(declared), ...Object.keys(inputs)]))
    env[`INPUT_${name.toUpperCase().replaceAll('-', '_')}`] = inputs[name] ?? declared[name]?.default ?? '';
  // its own process group, so that a failed test ends the gantry commands it started too
  const child = spawn('bash', [join(ACTION_DIR, 'run.sh')], {
    cwd: world.checkout,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const w of watchers) w();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<ActionRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      void readFile(outputFile, 'utf8')
        .catch(() => '')
        .then((text) => resolve({ code: code ?? -1, stdout, stderr, outputs: parseOutputs(text) }));
    });
  });
  return {
    printed: (text) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (stdout.includes(text)) {
            watchers.delete(check);
            resolve();
          }
        };
        watchers.add(check);
        check();
        void done.then((r) => {
          if (!stdout.includes(text))
            reject(new Error(`run.sh ended (exit ${r.code}) before printing ${text}:\n${r.stdout}\n${r.stderr}`));
        });
      }),
    done,
    kill: () => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    },
  };
}
