/**
 * The fleet of issue 15, generated: pipelines oci -> staging -> production spread over many bare
 * config repositories (one commit each, written with git fast-import) and two docker-registry
 * processes (one image repository per pipeline; the blobs are uploaded once and mounted into
 * each repository, so only the manifest is per repository).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { deployment, fakeDigest, servicePath } from './realistic-repo.js';
import { git } from './sh.js';

export const PIPELINES_PER_REPOSITORY = 200;
export const TEAMS = ['payments', 'search', 'web', 'platform', 'data'] as const;

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** The shared blobs: a config and a one-file layer (the bytes of a tiny, valid tar.gz are not needed to serve manifests). */
const CONFIG = Buffer.from(
  JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} }),
);
const LAYER = Buffer.from('gantry fleet bench layer\n');

/** The manifest of pipeline `i`'s image: the shared blobs, an annotation that makes its digest its own. */
export function fleetManifest(i: number): { bytes: Buffer; digest: string } {
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(CONFIG), size: CONFIG.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(LAYER), size: LAYER.length }],
      annotations: { 'dev.gantry.bench.service': `svc-${i}` },
    }),
  );
  return { bytes, digest: sha(bytes) };
}

/** Which registry (0 or 1) holds pipeline `i`'s image, and which config repository its files. */
export const registryOf = (i: number): number => i % 2;
export const repositoryOf = (i: number): number => Math.floor(i / PIPELINES_PER_REPOSITORY);

/** One pipeline in seven has production behind staging. */
const behind = (i: number): boolean => i % 7 === 0;

/** The URLs of the bare repositories `generateFleetRepos` writes for `pipelines` pipelines under `dir`. */
export function fleetRepoUrls(dir: string, pipelines: number): string[] {
  return Array.from(
    { length: Math.ceil(pipelines / PIPELINES_PER_REPOSITORY) },
    (_, k) => `file://${join(dir, `repo-${k}.git`)}`,
  );
}

/** Bare repositories `repo-<k>.git` under `dir`, `PIPELINES_PER_REPOSITORY` pipelines each (two files per pipeline). */
export async function generateFleetRepos(dir: string, pipelines: number): Promise<string[]> {
  const count = Math.ceil(pipelines / PIPELINES_PER_REPOSITORY);
  const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  await Promise.all(
    Array.from({ length: count }, async (_, k) => {
      const bare = join(dir, `repo-${k}.git`);
      await rm(bare, { recursive: true, force: true });
      await mkdir(bare, { recursive: true });
      await git(['init', '-q', '--bare', '-b', 'main', bare]);
      const files: string[] = [];
      for (let i = k * PIPELINES_PER_REPOSITORY; i < Math.min(pipelines, (k + 1) * PIPELINES_PER_REPOSITORY); i++) {
        const head = fleetManifest(i).digest;
        // one in seven: production behind staging; one in eleven: staging behind the registry too
        const staging = i % 11 === 0 ? fakeDigest(`older-${i}`) : head;
        const production = behind(i) ? fakeDigest(`old-${i}`) : staging;
        files.push(`M 100644 inline ${servicePath(i, 'staging')}\n${data(deployment(i, 'staging', staging))}`);
        files.push(`M 100644 inline ${servicePath(i, 'production')}\n${data(deployment(i, 'production', production))}`);
      }
      const stream = `commit refs/heads/main\ncommitter Bench <bench@example.com> 1700000000 +0000\n${data('fleet layout')}${files.join('')}\n`;
      await new Promise<void>((resolve, reject) => {
        const p = spawn('git', ['fast-import', '--quiet'], { cwd: bare, stdio: ['pipe', 'ignore', 'inherit'] });
        p.on('error', reject);
        p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`))));
        p.stdin.end(stream);
      });
    }),
  );
  return fleetRepoUrls(dir, pipelines);
}

async function ok(res: Response, what: string, ...statuses: number[]): Promise<Response> {
  if (!statuses.includes(res.status)) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  await res.body?.cancel();
  return res;
}

async function uploadBlob(url: string, repository: string, bytes: Buffer): Promise<void> {
  const start = await ok(
    await fetch(`${url}/v2/${repository}/blobs/uploads/`, { method: 'POST' }),
    'blob upload start',
    202,
  );
  const location = new URL(start.headers.get('location') ?? '', url);
  location.searchParams.set('digest', sha(bytes));
  await ok(
    await fetch(location, {
      method: 'PUT',
      body: new Uint8Array(bytes),
      headers: { 'content-type': 'application/octet-stream' },
    }),
    'blob upload',
    201,
  );
}

/**
 * Pushes pipeline images `from..to-1` (tag `latest`) into the two registries: blobs mounted from
 * `base` (uploaded once per registry), then the manifest. 3 requests per repository.
 */
export async function pushFleetImages(registries: readonly string[], from: number, to: number): Promise<void> {
  for (const url of registries) {
    await uploadBlob(url, 'base', CONFIG);
    await uploadBlob(url, 'base', LAYER);
  }
  let next = from;
  await Promise.all(
    Array.from({ length: 24 }, async () => {
      while (next < to) {
        const i = next++;
        const url = registries[registryOf(i)] as string;
        const repo = `svc-${i}`;
        for (const blob of [CONFIG, LAYER])
          await ok(
            await fetch(`${url}/v2/${repo}/blobs/uploads/?mount=${sha(blob)}&from=base`, { method: 'POST' }),
            `mount into ${repo}`,
            201,
          );
        const m = fleetManifest(i);
        await ok(
          await fetch(`${url}/v2/${repo}/manifests/latest`, {
            method: 'PUT',
            body: new Uint8Array(m.bytes),
            headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
          }),
          `manifest of ${repo}`,
          201,
        );
      }
    }),
  );
}

/** gantry.yaml of the fleet: `pipelines` pipelines over the repositories and the two registries. */
export function fleetConfig(pipelines: number, repos: readonly string[], registries: readonly string[]): string {
  const lines = ['repositories:'];
  repos.forEach((url, k) => {
    lines.push(`  config-${k}: { url: "${url}", branch: main }`);
  });
  lines.push('registries:');
  registries.forEach((url, r) => {
    // the bench's own registries on this machine: far above the default budget of 10/s, which
    // would spread the first observation of 10,000 image repositories over more than 16 minutes
    lines.push(`  registry-${r}: { url: "${url}", limits: { requestsPerSecond: 5000, concurrency: 16 } }`);
  });
  lines.push('server:', '  schedules: []', 'pipelines:');
  for (let i = 0; i < pipelines; i++) {
    const repo = `config-${repositoryOf(i)}`;
    lines.push(
      `  - name: svc-${String(i).padStart(5, '0')}`,
      '    resource: oci-image',
      `    labels: { team: ${TEAMS[i % TEAMS.length]} }`,
      '    phases:',
      '      - name: oci',
      `        source: { type: oci, registry: registry-${registryOf(i)}, repository: svc-${i}, select: { by: tag, tag: latest } }`,
      '      - name: staging',
      '        promotesFrom: oci',
      `        source: { type: git, repository: ${repo}, path: ${servicePath(i, 'staging')}, updater: { type: kubernetes-image, container: app } }`,
      '      - name: production',
      '        promotesFrom: staging',
      `        source: { type: git, repository: ${repo}, path: ${servicePath(i, 'production')}, updater: { type: kubernetes-image, container: app } }`,
    );
  }
  return `${lines.join('\n')}\n`;
}
