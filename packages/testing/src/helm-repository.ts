import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import semver from 'semver';
import send from 'send';
import { stringify } from 'yaml';
import { tempDir } from './temp-dir.js';

const run = promisify(execFile);

/** One chart version to publish, as its `Chart.yaml` says. */
export interface HelmTestChart {
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  /** The index entry's `created`; default: now. */
  readonly created?: Date;
}

/** What the server saw of one request: enough to assert caching and auth. */
export interface HelmRepositoryRequest {
  readonly method: string;
  readonly path: string;
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: string;
  /** Whether it carried an Authorization header at all (right or wrong). */
  readonly authorization: boolean;
  readonly status: number;
}

/** A published chart archive. */
export interface PublishedChart {
  /** The archive's file name in the repository, e.g. `app-1.2.0.tgz`. */
  readonly file: string;
  /** Hex SHA-256 of the archive, as the index lists it. */
  readonly digest: string;
  readonly url: string;
}

export interface StartHelmRepositoryOptions {
  /** When set, every request needs these Basic credentials (401 otherwise). */
  readonly auth?: { readonly username: string; readonly password: string };
}

export interface TestHelmRepository {
  /** `http://127.0.0.1:<port>/charts`: the URL `helm repo add` would take. */
  readonly url: string;
  /** The directory served: `index.yaml` and the archives. */
  readonly dir: string;
  /** Every request so far, in order. */
  requests(): readonly HelmRepositoryRequest[];
  /**
   * Packages a chart directory (Chart.yaml, values.yaml, a template) into `<name>-<version>.tgz`
   * with the system `tar`, and rewrites `index.yaml` as `helm repo index` does: every archive,
   * newest version first, its SHA-256 digest and a URL relative to the repository.
   */
  publish(chart: HelmTestChart): Promise<PublishedChart>;
  /** Writes `index.yaml` as given, for broken or hand-written indexes. */
  writeIndex(text: string): Promise<void>;
  /** Stops the server and removes its files. Safe to call twice. */
  stop(): Promise<void>;
}

interface Entry extends HelmTestChart {
  readonly digest: string;
  readonly file: string;
}

function authorized(req: IncomingMessage, auth: StartHelmRepositoryOptions['auth']): boolean {
  if (!auth) return true;
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString();
  const i = decoded.indexOf(':');
  return decoded.slice(0, i) === auth.username && decoded.slice(i + 1) === auth.password;
}

/** `index.yaml` as `helm repo index` writes it: keys in order, versions newest first. */
function indexYaml(entries: readonly Entry[], generated: Date): string {
  const byChart = new Map<string, Entry[]>();
  for (const e of entries) byChart.set(e.name, [...(byChart.get(e.name) ?? []), e]);
  const charts = Object.fromEntries(
    [...byChart.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, list]) => [
        name,
        [...list]
          .sort((a, b) => semver.rcompare(a.version, b.version))
          .map((e) => ({
            apiVersion: 'v2',
            ...(e.appVersion !== undefined ? { appVersion: e.appVersion } : {}),
            created: (e.created ?? generated).toISOString(),
            description: 'A Helm chart for Kubernetes',
            digest: e.digest,
            name: e.name,
            type: 'application',
            urls: [e.file],
            version: e.version,
          })),
      ]),
  );
  return stringify({ apiVersion: 'v1', entries: charts, generated: generated.toISOString() });
}

/**
 * A classic Helm chart repository on 127.0.0.1: static files served by `send` (the static file
 * server of Express), which answers conditional requests with ETag and Last-Modified as web
 * servers and object stores do, behind optional Basic auth. Every request is recorded.
 */
export async function startHelmRepository(options: StartHelmRepositoryOptions = {}): Promise<TestHelmRepository> {
  const work = await tempDir('gantry-helm-repo-');
  const dir = join(work.path, 'repo');
  const build = join(work.path, 'build');
  await mkdir(dir, { recursive: true });
  const entries: Entry[] = [];
  const log: HelmRepositoryRequest[] = [];
  await writeFile(join(dir, 'index.yaml'), indexYaml([], new Date()));

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    res.on('finish', () =>
      log.push({
        method: req.method ?? 'GET',
        path,
        ...(req.headers['if-none-match'] ? { ifNoneMatch: req.headers['if-none-match'] } : {}),
        ...(req.headers['if-modified-since'] ? { ifModifiedSince: req.headers['if-modified-since'] } : {}),
        authorization: req.headers.authorization !== undefined,
        status: res.statusCode,
      }),
    );
    if (!authorized(req, options.auth)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="charts"', 'content-type': 'text/plain' });
      res.end('Unauthorized\n');
      return;
    }
    if (!path.startsWith('/charts/')) {
      res.writeHead(404).end();
      return;
    }
    send(req, path.slice('/charts'.length), { root: dir, dotfiles: 'deny' }).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/charts`;

  let stopped = false;
  return {
    url,
    dir,
    requests: () => [...log],
    async publish(chart) {
      const chartDir = join(build, `${chart.name}-${chart.version}`, chart.name);
      await mkdir(join(chartDir, 'templates'), { recursive: true });
      await writeFile(
        join(chartDir, 'Chart.yaml'),
        stringify({
          apiVersion: 'v2',
          name: chart.name,
          description: 'A Helm chart for Kubernetes',
          type: 'application',
          version: chart.version,
          ...(chart.appVersion !== undefined ? { appVersion: chart.appVersion } : {}),
        }),
      );
      await writeFile(join(chartDir, 'values.yaml'), 'replicaCount: 1\nimage:\n  repository: nginx\n  tag: ""\n');
      await writeFile(
        join(chartDir, 'templates', 'configmap.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  version: {{ .Chart.Version | quote }}\n',
      );
      const file = `${chart.name}-${chart.version}.tgz`;
      await run('tar', ['-czf', join(dir, file), '-C', join(chartDir, '..'), chart.name]);
      const digest = createHash('sha256')
        .update(await readFile(join(dir, file)))
        .digest('hex');
      const kept = entries.filter((e) => !(e.name === chart.name && e.version === chart.version));
      entries.splice(0, entries.length, ...kept, { ...chart, digest, file });
      await writeFile(join(dir, 'index.yaml'), indexYaml(entries, new Date()));
      return { file, digest, url: `${url}/${file}` };
    },
    writeIndex: (text) => writeFile(join(dir, 'index.yaml'), text),
    async stop() {
      if (stopped) return;
      stopped = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await work.remove();
    },
  };
}
