import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import type { GantryClient } from '@gantry/client';
import { createClient } from '@gantry/client';
import type { DeployerRequest } from '@gantry/deployments';
import { fluxEventFor } from '@gantry/deployments';
import { tempDir } from '@gantry/testing';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';

export const FLUX_SECRET = 'flux-secret';
export const STAGING_KUSTOMIZATION = { kind: 'flux-kustomization', namespace: 'flux-system', name: 'staging' } as const;

/** A local service whose health endpoint answers what the test sets. */
export interface HealthEndpoint {
  readonly url: string;
  readonly status: { code: number };
  close(): Promise<void>;
}

export async function healthEndpoint(): Promise<HealthEndpoint> {
  const status = { code: 200 };
  const server: Server = createServer((_req, res) => {
    res.statusCode = status.code;
    res.end(status.code === 200 ? 'ok' : 'broken');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/healthz`,
    status,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * oci -> staging (applied by the Flux Kustomization flux-system/staging, proven by an HTTP
 * check) -> production (nothing proves it). `serverYaml` goes into `server:` (indented).
 */
const gantryYaml = (healthUrl: string, serverYaml: string) => `dataDir: .gantry
logLevel: warn
repositories:
  config: { url: ./config.git, branch: main }
registries:
  sandbox: { layout: ./registry, host: localhost:5000 }
server:
  schedules: []
  webhooks:
    flux: { secret: ${FLUX_SECRET} }
${serverYaml}pipelines:
  - name: app
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: sandbox, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        source:
          type: git
          repository: config
          path: env/staging/deployment.yaml
          updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST }
        deployer: { kind: flux-kustomization, namespace: flux-system, name: staging }
        verify:
          checks:
            - { kind: http, name: health, url: "${healthUrl}", retries: 1, interval: 10ms, timeout: 2s }
      - name: production
        promotesFrom: staging
        source:
          type: git
          repository: config
          path: env/production/deployment.yaml
          updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST }
`;

export interface VerifiedSandbox {
  readonly s: SandboxServer;
  readonly health: HealthEndpoint;
  /** The typed client, talking to the app in process. */
  client(token?: string): GantryClient;
  /** Pushes a new image and promotes staging to it; resolves once the promotion succeeded. */
  promoteStaging(token?: string): Promise<{ id: string; commit: string; digest: string }>;
  /** Flux reports `commit` reconciled (`ok`) or its health check failing, as notification-controller would. */
  flux(commit: string, o?: { ok?: boolean; name?: string }): Promise<Response>;
  post(path: string, req: DeployerRequest): Promise<Response>;
  /** A new server on the same directory and database (e.g. once tokens exist). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The sandbox with a deployer and a check on staging, its server answering through `app.request()`. */
export async function verifiedSandbox(o: { serverYaml?: string } = {}): Promise<VerifiedSandbox> {
  const health = await healthEndpoint();
  const tmp = await tempDir('gantry-verified-');
  const dir = join(tmp.path, 'sandbox');
  await initSandbox(dir, { yaml: true });
  await writeFile(join(dir, 'gantry.yaml'), gantryYaml(health.url, o.serverYaml ?? ''));
  let s = await sandboxServer({ tmp });
  const post = (path: string, req: DeployerRequest) =>
    s.api(path, { method: 'POST', body: req.body, headers: { ...req.headers } });
  const self: VerifiedSandbox = {
    get s() {
      return s;
    },
    health,
    client: (token) =>
      createClient({
        baseUrl: '',
        ...(token ? { token } : {}),
        fetch: (url, init) => Promise.resolve(s.server.app.request(String(url), init)),
      }),
    async promoteStaging(token) {
      const digest = await pushSandboxImage(s.dir);
      const r = await self.client(token).promote('app', 'staging');
      if (r.kind !== 'queued') throw new Error(`staging did not promote: ${JSON.stringify(r)}`);
      await s.server.deps.promotions.idle();
      const done = await self.client(token).getPromotion(r.promotion.id);
      if (done.state !== 'succeeded' || !done.commitSha) throw new Error(`promotion ${done.id} is ${done.state}`);
      return { id: done.id, commit: done.commitSha, digest };
    },
    flux: (commit, f = {}) =>
      post(
        '/api/v1/webhooks/flux',
        fluxEventFor({
          ref: { ...STAGING_KUSTOMIZATION, ...(f.name ? { name: f.name } : {}) },
          commit,
          branch: 'main',
          ok: f.ok ?? true,
          time: new Date(),
          secret: FLUX_SECRET,
        }),
      ),
    post,
    async restart() {
      s = await s.restart();
    },
    async close() {
      await s.close();
      await health.close();
    },
  };
  return self;
}
