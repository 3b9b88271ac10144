import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReferrersRegistryOptions {
  /** Answers a request with this status instead of serving it (a registry failing on one route). */
  readonly fail?: (request: { readonly method: string; readonly path: string }) => number | undefined;
}

export interface ReferrersRegistry {
  readonly url: string;
  /** The referrers requests served, with their `artifactType` filter. */
  readonly referrersRequests: { readonly digest: string; readonly artifactType: string | null }[];
  stop(): Promise<void>;
}

interface Referrer {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly annotations?: Record<string, string>;
}

const body = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });

/** What the distribution spec says a referrers descriptor is: the manifest's artifactType, else its config's media type. */
function referrerOf(
  bytes: Buffer,
  contentType: string | undefined,
): { subject: string; referrer: Referrer } | undefined {
  let m: {
    mediaType?: string;
    artifactType?: string;
    config?: { mediaType?: string };
    subject?: { digest?: string };
    annotations?: Record<string, string>;
  };
  try {
    m = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const subject = m.subject?.digest;
  if (!subject) return undefined;
  const artifactType = m.artifactType ?? m.config?.mediaType;
  return {
    subject,
    referrer: {
      mediaType: m.mediaType ?? contentType ?? 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      size: bytes.byteLength,
      ...(artifactType ? { artifactType } : {}),
      ...(m.annotations ? { annotations: m.annotations } : {}),
    },
  };
}

/**
 * A registry that serves the OCI referrers API (distribution spec v1.1) in front of
 * Debian's docker-registry, which has none: manifests are stored by the real registry;
 * a pushed manifest with a `subject` is answered with `OCI-Subject` and listed by
 * `GET /v2/<name>/referrers/<digest>`, filtered by `artifactType` (`OCI-Filters-Applied`).
 */
export async function startReferrersRegistry(
  upstream: string,
  options: ReferrersRegistryOptions = {},
): Promise<ReferrersRegistry> {
  const referrers = new Map<string, Referrer[]>();
  const referrersRequests: ReferrersRegistry['referrersRequests'] = [];

  const forward = async (req: IncomingMessage, url: URL, payload?: Buffer) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host') headers[k] = v;
    const up = await fetch(new URL(url.pathname + url.search, upstream), {
      method: req.method ?? 'GET',
      headers,
      redirect: 'manual',
      ...(payload ? { body: payload } : {}),
    });
    const out: Record<string, string> = {};
    up.headers.forEach((v, k) => {
      if (!['content-encoding', 'transfer-encoding', 'connection'].includes(k)) out[k] = v;
    });
    return { up, out, answer: req.method === 'HEAD' ? undefined : Buffer.from(await up.arrayBuffer()) };
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://registry');
    const failure = options.fail?.({ method: req.method ?? 'GET', path: url.pathname });
    if (failure !== undefined) {
      res.writeHead(failure, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'injected failure' }] }));
      return;
    }
    const referrersPath = /^\/v2\/(.+)\/referrers\/(sha256:[a-f0-9]{64})$/.exec(url.pathname);
    if (req.method === 'GET' && referrersPath) {
      const [, name, digest] = referrersPath as unknown as [string, string, string];
      const artifactType = url.searchParams.get('artifactType');
      referrersRequests.push({ digest, artifactType });
      const all = referrers.get(`${name}@${digest}`) ?? [];
      const manifests = artifactType === null ? all : all.filter((r) => r.artifactType === artifactType);
      res.writeHead(200, {
        'content-type': 'application/vnd.oci.image.index.v1+json',
        ...(artifactType === null ? {} : { 'oci-filters-applied': 'artifactType' }),
      });
      res.end(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
      return;
    }
    const manifestPath = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    const payload = req.method === 'GET' || req.method === 'HEAD' ? undefined : await body(req);
    const { up, out, answer } = await forward(req, url, payload);
    if (req.method === 'PUT' && manifestPath && up.status === 201 && payload) {
      const found = referrerOf(payload, req.headers['content-type']);
      if (found) {
        const key = `${manifestPath[1]}@${found.subject}`;
        const list = (referrers.get(key) ?? []).filter((r) => r.digest !== found.referrer.digest);
        referrers.set(key, [...list, found.referrer]);
        out['oci-subject'] = found.subject;
      }
    }
    if (req.method === 'DELETE' && manifestPath && up.ok) {
      for (const [key, list] of referrers)
        referrers.set(
          key,
          list.filter((r) => r.digest !== manifestPath[2]),
        );
    }
    res.writeHead(up.status, out);
    res.end(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    referrersRequests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
