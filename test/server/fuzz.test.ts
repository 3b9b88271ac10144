import { createHmac } from 'node:crypto';
import { pushSandboxImage } from '@gantry/cli';
import { ERROR_CODES } from '@gantry/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';

/**
 * Property: whatever a client sends (method, path parameters, query, headers, body),
 * the API answers without a 500, and every error is problem+json with a registered code
 * whose status it carries. Seeded and bounded so it runs in seconds; a failure prints
 * its seed and counterexample (fast-check's report): rerun it with GANTRY_FUZZ_SEED.
 */
const SEED = Number(process.env.GANTRY_FUZZ_SEED ?? 20_261_129);
const RUNS = Number(process.env.GANTRY_FUZZ_RUNS ?? 200);
const SECRET = 'fuzz-webhook-secret';

interface Route {
  readonly method: string;
  readonly path: string;
}

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array<ArrayBuffer>;
}

/** Every route the app registered (middleware excepted), so a new route is fuzzed without a change here. */
function routesOf(s: SandboxServer): Route[] {
  const seen = new Map<string, Route>();
  for (const r of s.server.app.routes) {
    if (r.method === 'ALL' && r.path.endsWith('*')) continue; // middleware
    seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  }
  return [...seen.values()];
}

const printable = (maxLength: number) => fc.stringMatching(new RegExp(`^[ -~]{0,${maxLength}}$`));

const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('app', 'staging', 'production', 'oci', 'nope', 'registry', 'git') },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constantFrom('..', '.', ' ', 'a'.repeat(400), '%', 'null', '__proto__', 'constructor') },
);

const query = fc.dictionary(
  fc.oneof(
    fc.constantFrom('refresh', 'cursor', 'limit', 'phase', 'rollbackOf', 'registry', 'pipeline'),
    fc.string({ maxLength: 10 }),
  ),
  fc.oneof(
    fc.constantFrom('true', 'false', '0', '-1', '500', '501', '1e3', 'garbage', '', 'staging', 'app'),
    fc.uuid(),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
  ),
  { maxKeys: 4 },
);

const digest = fc.oneof(
  fc.stringMatching(/^sha256:[0-9a-f]{64}$/),
  fc.constantFrom('sha256:0', 'md5:abc', ''),
  fc.string({ maxLength: 80 }),
);

const target = fc.record(
  {
    kind: fc.oneof(fc.constantFrom('oci-image', 'helm-chart', 'git-commit', 'bundle'), fc.string({ maxLength: 12 })),
    repository: fc.oneof(
      fc.constantFrom('localhost:5000/app', 'evil.example.com/x', 'localhost:5000/app\nevil: 1'),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
    ),
    digest,
    tag: fc.string({ maxLength: 20 }),
    name: fc.string({ maxLength: 20 }),
    version: fc.oneof(fc.constant('1.2.3'), fc.string({ maxLength: 20 })),
    commit: fc.oneof(fc.stringMatching(/^[0-9a-f]{40}$/), fc.string({ maxLength: 20 })),
    artifacts: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  },
  { requiredKeys: [] },
);

/** Digests the sandbox's registry holds and promotions the run made, so some requests name real things. */
const known = { digests: ['sha256:0'], promotions: [] as string[] };
/** One of the promotions made so far (a random id before there is one). */
const knownPromotion = fc
  .tuple(fc.nat(), fc.uuid())
  .map(([i, id]) => known.promotions[i % (known.promotions.length || 1)] ?? id);

const realTarget = fc.record(
  {
    kind: fc.constant('oci-image'),
    repository: fc.constantFrom('localhost:5000/app', 'localhost:5000/other'),
    digest: fc.constant(null).map(() => known.digests[0] as string),
    tag: fc.constantFrom('latest', 'v1', 'not a tag'),
  },
  { requiredKeys: ['kind', 'repository', 'digest'] },
);

const promoteBody = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record(
      {
        target: fc.oneof(realTarget, target),
        rollbackOf: fc.oneof(knownPromotion, fc.uuid()),
        reason: fc.string({ unit: 'grapheme', maxLength: 80 }),
      },
      { requiredKeys: [] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        target: fc.oneof(target, fc.jsonValue({ maxDepth: 2 })),
        rollbackOf: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })),
        reason: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 600 }), fc.jsonValue({ maxDepth: 1 })),
        extra: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    ),
  },
);

const registryEvent = fc.oneof(
  fc.record(
    {
      repository: fc.oneof(fc.constant('app'), fc.string({ maxLength: 30 })),
      tag: fc.string({ maxLength: 20 }),
      digest,
    },
    { requiredKeys: [] },
  ),
  fc.record({
    events: fc.array(
      fc.record(
        {
          id: fc.string({ maxLength: 20 }),
          action: fc.constantFrom('push', 'pull', 'delete', ''),
          target: fc.record(
            {
              repository: fc.oneof(fc.constant('app'), fc.string({ maxLength: 20 })),
              tag: fc.string({ maxLength: 10 }),
              digest,
              mediaType: fc.string({ maxLength: 30 }),
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
  }),
);

const gitPush = fc.record(
  {
    ref: fc.oneof(fc.constantFrom('refs/heads/main', 'refs/tags/v1'), fc.string({ maxLength: 30 })),
    repository: fc.record(
      { full_name: fc.string({ maxLength: 20 }), clone_url: fc.string({ maxLength: 40 }) },
      { requiredKeys: [] },
    ),
    project: fc.record({ git_http_url: fc.string({ maxLength: 40 }) }, { requiredKeys: [] }),
    commits: fc.array(fc.record({ modified: fc.array(fc.string({ maxLength: 30 }), { maxLength: 3 }) }), {
      maxLength: 3,
    }),
  },
  { requiredKeys: [] },
);

const anyBody = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: promoteBody.map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: registryEvent.map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: gitPush.map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => new Uint8Array(b)) },
);

/** Mostly the body the route reads, so requests reach its handler; sometimes anything. */
const bodyFor = (path: string): fc.Arbitrary<string | Uint8Array<ArrayBuffer> | undefined> => {
  const usual = path.endsWith('/promotions')
    ? fc.oneof(
        { weight: 2, arbitrary: fc.constantFrom('{}', '{"reason":"fuzz"}') },
        { weight: 1, arbitrary: realTarget.map((target) => JSON.stringify({ target, reason: 'fuzz' })) },
        { weight: 2, arbitrary: promoteBody.map((b) => JSON.stringify(b)) },
      )
    : path.endsWith('/webhooks/registry')
      ? registryEvent.map((b) => JSON.stringify(b))
      : path.endsWith('/webhooks/git')
        ? gitPush.map((b) => JSON.stringify(b))
        : anyBody;
  return fc.oneof({ weight: 3, arbitrary: usual }, { weight: 1, arbitrary: anyBody });
};

/** A header that is mostly what a well-behaved client sends (or absent), sometimes noise. */
const header = (usual: fc.Arbitrary<string | undefined>, noise: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 6, arbitrary: usual }, { weight: 1, arbitrary: noise });

/** Headers of every kind, each mostly usual, sometimes noise: the guards' and parsers' inputs. */
const anyHeaders = fc.record({
  'content-type': header(
    fc.constantFrom('application/json', 'application/json; charset=utf-8', undefined),
    fc.oneof(
      fc.constantFrom(
        'application/merge-patch+json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        '',
      ),
      printable(40),
    ),
  ),
  'x-gantry-request': header(fc.constantFrom('1', undefined), printable(10)),
  origin: header(
    fc.constantFrom(undefined, 'http://localhost'),
    fc.oneof(fc.constantFrom('http://evil.example', 'null', 'file://'), printable(40)),
  ),
  host: header(
    fc.constantFrom(undefined, 'localhost', '127.0.0.1:8080'),
    fc.oneof(fc.constantFrom('[::1]', 'evil.example', ''), printable(30)),
  ),
  authorization: header(
    fc.constantFrom('TOKEN', undefined),
    fc.oneof(fc.constantFrom('Bearer gty_nope', 'Bearer ', 'Basic Zm9vOmJhcg=='), printable(60)),
  ),
  'if-none-match': header(fc.constant(undefined), printable(40)),
  'accept-encoding': header(fc.constantFrom('gzip', undefined), fc.constantFrom('br', 'identity', '*', '')),
  'x-github-event': header(fc.constantFrom('push', undefined), fc.oneof(fc.constant('ping'), printable(20))),
  'x-gitlab-event': header(fc.constantFrom(undefined, 'Push Hook'), printable(20)),
  'x-github-delivery': header(fc.option(fc.uuid(), { nil: undefined }), printable(40)),
  'x-gitlab-token': header(fc.constant(undefined), fc.oneof(fc.constant(SECRET), printable(30))),
  'x-gantry-signature-256': header(fc.constantFrom('SIGN', undefined), printable(70)),
});

/** What the CLI, the dashboard or a signed webhook sends: it passes the guards and reaches the handler. */
const wellBehaved = fc.record({
  'content-type': fc.constant('application/json'),
  host: fc.constantFrom('localhost', '127.0.0.1:8080'),
  authorization: fc.constant('TOKEN'),
  'x-github-event': fc.constant('push'),
  'x-github-delivery': fc.uuid(),
  'x-gantry-signature-256': fc.constant('SIGN'),
});

const headers = fc.oneof(
  { weight: 1, arbitrary: wellBehaved as fc.Arbitrary<Record<string, string | undefined>> },
  { weight: 1, arbitrary: anyHeaders },
);

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Path parameters by name: mostly real names, so requests get past the 404s to the handlers. */
const paramValue = (name: string): fc.Arbitrary<string> => {
  const usual: Record<string, fc.Arbitrary<string>> = {
    pipeline: fc.constant('app'),
    phase: fc.constantFrom('staging', 'production', 'oci'),
    id: fc.oneof(knownPromotion, fc.uuid()),
  };
  return fc.oneof({ weight: 4, arbitrary: usual[name] ?? segment }, { weight: 1, arbitrary: segment });
};

/** Routes that read a body or parameters are where the mistakes are: they get most of the requests. */
const weightOf = (r: Route): number =>
  (r.path.match(/:/g)?.length ?? 0) * 2 + (r.method === 'POST' ? 10 : 0) + (r.path.includes('history') ? 2 : 0) + 1;

function request(routes: readonly Route[], token: string | undefined) {
  // unbiased: fast-check favours the first choices otherwise, and every route must get its share
  const route = fc.noBias(fc.constantFrom(...routes.flatMap((r) => Array.from({ length: weightOf(r) }, () => r))));
  return route.chain((r) => {
    const names = [...r.path.matchAll(/:([A-Za-z]+)|\*/g)].map((m) => m[1] ?? '*');
    return fc
      .record({
        otherMethod: fc.oneof(
          { weight: 5, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
        ),
        params: fc.tuple(...names.map(paramValue)),
        query,
        headers,
        body: bodyFor(r.path),
      })
      .map(({ otherMethod, params, query: q, headers: h, body: b }): { route: Route; sent: Sent } => {
        let i = 0;
        const path = r.path.replace(/:[A-Za-z]+|\*/g, () => encodeURIComponent(params[i++] ?? ''));
        const search = new URLSearchParams(q).toString();
        const method = otherMethod ?? (r.method === 'ALL' ? 'GET' : r.method);
        const sent: Record<string, string> = {};
        for (const [k, v] of Object.entries(h)) {
          if (v === undefined) continue;
          if (v === 'TOKEN') {
            if (token !== undefined) sent[k] = `Bearer ${token}`;
          } else sent[k] = v;
        }
        const withBody = method !== 'GET' && method !== 'HEAD' && b !== undefined;
        if (sent['x-gantry-signature-256'] === 'SIGN') {
          sent['x-gantry-signature-256'] = `sha256=${createHmac('sha256', SECRET)
            .update(withBody ? b : '')
            .digest('hex')}`;
        }
        return {
          route: r,
          sent: {
            method,
            url: `http://localhost${path}${search ? `?${search}` : ''}`,
            headers: sent,
            ...(withBody ? { body: b } : {}),
          },
        };
      });
  });
}

/** What a run saw: statuses by route and problem codes, to show the requests reached the handlers. */
interface Seen {
  readonly statuses: Map<string, Set<number>>;
  readonly codes: Set<string>;
}

/** Sends one request and checks the promise; returns a description of what broke it, or nothing. */
async function violation(s: SandboxServer, sent: Sent, route: Route, seen: Seen): Promise<string | undefined> {
  const res = await s.server.app.request(sent.url, {
    method: sent.method,
    headers: sent.headers,
    ...(sent.body !== undefined ? { body: sent.body } : {}),
  });
  const key = `${sent.method} ${route.path}`;
  seen.statuses.set(key, (seen.statuses.get(key) ?? new Set()).add(res.status));
  if (res.status === 202 && route.path.endsWith('/promotions')) {
    const queued = (await res.json()) as { promotion?: { id?: string } };
    if (queued.promotion?.id) known.promotions.push(queued.promotion.id);
  }
  if (res.status < 400 || sent.method === 'HEAD') {
    // an event stream never ends by itself
    if (!res.bodyUsed) await res.body?.cancel();
    return res.status >= 500 ? `status ${res.status}` : undefined;
  }
  const text = await res.text();
  if (res.status >= 500) return `status ${res.status}: ${text.slice(0, 300)}`;
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) return `status ${res.status} as ${type}: ${text.slice(0, 200)}`;
  const problem = JSON.parse(text) as { code?: unknown; status?: unknown };
  if (typeof problem.code !== 'string' || !Object.hasOwn(ERROR_CODES, problem.code)) {
    return `unregistered code ${String(problem.code)}`;
  }
  seen.codes.add(problem.code);
  if (problem.status !== res.status) return `problem.status ${String(problem.status)} but HTTP ${res.status}`;
  return undefined;
}

async function fuzz(s: SandboxServer, token: string | undefined, runs: number, seed: number): Promise<Seen> {
  const routes = routesOf(s);
  expect(routes.map((r) => r.path)).toEqual(
    expect.arrayContaining([
      '/api/v1/pipelines/:pipeline/phases/:phase/promotions',
      '/api/v1/webhooks/registry',
      '/api/v1/webhooks/git',
    ]),
  );
  const seen: Seen = { statuses: new Map(), codes: new Set() };
  await fc.assert(
    fc.asyncProperty(request(routes, token), async ({ route, sent }) => {
      const broken = await violation(s, sent, route, seen);
      if (broken) throw new Error(`${sent.method} ${sent.url} -> ${broken}`);
    }),
    { seed, numRuns: runs, endOnFailure: true },
  );
  await s.server.deps.promotions.idle();
  return seen;
}

/** The run got past the guards into the handlers: promotions planned and refused for their content. */
function expectDepth(seen: Seen): void {
  const promote = seen.statuses.get('POST /api/v1/pipelines/:pipeline/phases/:phase/promotions') ?? new Set();
  expect([...promote].some((st) => st < 300)).toBe(true);
  // refusals only a handler gives, past the host, origin, content-type and token guards
  const handlers = ['invalid_request', 'invalid_target', 'target_not_found', 'phase_not_writable', 'unknown_phase'];
  expect(handlers.filter((c) => seen.codes.has(c)).length).toBeGreaterThanOrEqual(2);
}

describe('fuzzing the API boundary: random requests never get a 500', () => {
  let open: SandboxServer;
  let guarded: SandboxServer;
  let token = '';
  beforeAll(async () => {
    const webhooks = `server:\n  webhookSecret: ${SECRET}\n  schedules: []\n`;
    open = await sandboxServer({ serverYaml: webhooks });
    const first = await sandboxServer({ serverYaml: webhooks });
    token = (await first.server.store.createToken({ name: 'fuzz-admin', role: 'admin' })).token;
    guarded = await first.restart();
    // a new image: staging is behind, so some random requests queue real promotions (and roll them back)
    await pushSandboxImage(open.dir);
    await pushSandboxImage(guarded.dir);
    await open.api('/api/v1/pipelines?refresh=true');
    await guarded.api('/api/v1/pipelines?refresh=true', { token });
    const list = (await (await open.api('/api/v1/pipelines')).json()) as {
      pipelines: { phases: { digest?: string }[] }[];
    };
    known.digests = list.pipelines.flatMap((p) => p.phases.flatMap((ph) => (ph.digest ? [ph.digest] : [])));
    expect(known.digests.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await open?.close();
    await guarded?.close();
  });

  it(`GIVEN an open server (no tokens) WHEN ${RUNS} random requests arrive (seed ${SEED}) THEN no 500, every error a registered problem`, async () => {
    expectDepth(await fuzz(open, undefined, RUNS, SEED));
  });

  it(`GIVEN a server with tokens WHEN ${RUNS} random requests arrive (seed ${SEED + 1}) THEN no 500, every error a registered problem`, async () => {
    expect(guarded.server.deps.open).toBe(false);
    expectDepth(await fuzz(guarded, token, RUNS, SEED + 1));
  });
});
