import type { Logger } from '@gantry/core';
import { SourceError, silentLogger } from '@gantry/core';
import { z } from 'zod';
import { createAuthenticator } from './auth.js';
import type { RemoteRegistryConfig } from './config.js';
import type { Clock, RequestBudget } from './budget.js';
import { createRequestBudget, DEFAULT_LIMITS, systemClock } from './budget.js';
import { DEFAULT_CACHE_TTL, DEFAULT_TIMEOUT } from './config.js';
import type { HttpOptions, RateLimitNotice, RegistryRequest, RequestCounter } from './http.js';
import { authorizedRequest, displayUrl, registryErrorDetail, send } from './http.js';
import { createCoalescer } from './limit.js';
import { inCachedRound, sharedInRound } from './read-session.js';
import type { RetryPolicy } from './retry.js';
import { DEFAULT_RETRY } from './retry.js';
import { nextLink } from './link-header.js';
import type { Descriptor, Manifest } from './manifest.js';
import { digestOf, parseManifest } from './manifest.js';
import { MANIFEST_ACCEPT } from './media-types.js';
import { checkReference, checkRepository, isDigest, refName } from './names.js';
import type { ReadOptions, ReferrersOptions, RegistryReader, TagListOptions } from './reader.js';
import type { PushSide } from './push.js';
import { createPushSide } from './push.js';
import { filterReferrers, referrersTag } from './referrers.js';
import type { RegistryResponse } from './registry-response.js';

export interface RegistryClientOptions {
  /** The configured name, for messages; default: the host. */
  readonly name?: string;
  readonly logger?: Logger;
  /** Shared request counter; a fresh one when absent. */
  readonly counter?: RequestCounter;
  /** Where `DOCKER_CONFIG` is read; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** The host's request budget, shared by registries on one host; one of `config.limits` when absent. */
  readonly budget?: RequestBudget;
  /** Time for the budget, back-off and cache ages; tests inject a virtual clock. */
  readonly clock?: Clock;
  readonly retry?: RetryPolicy;
  /** Jitter of back-offs (0..1); tests pass a fixed one. */
  readonly random?: () => number;
  /** Told when the host asks to wait (429/503), before the request waits. */
  readonly onRateLimited?: (notice: RateLimitNotice) => void;
}

/** A remote OCI Distribution registry: the read side plus pushing blobs and manifests. */
export interface RegistryClient extends RegistryReader, PushSide {
  readonly kind: 'remote';
  readonly url: string;
}

const tagListSchema = z.object({ name: z.string().optional(), tags: z.array(z.string()).nullish() });

/** Manifests are immutable by digest; a bounded cache saves requests on every status. */
const MANIFEST_CACHE_LIMIT = 2_000;
/**
 * A tag's digest (a short string) is what makes the next read of the tag a conditional one
 * (304) instead of a full one: every tag a fleet watches must fit, or a round that reads more
 * tags than the cache holds evicts each before it is read again and never gets a 304.
 * 100,000 tags are ~20 MB.
 */
const TAG_CACHE_LIMIT = 100_000;
/** Tag lists are larger (every tag of a repository); one per repository a select lists. */
const TAG_LIST_CACHE_LIMIT = 10_000;
const CACHED_BLOB_MAX_BYTES = 256 * 1024;
/** Small blobs (image configs) kept, by their bytes in all: a count alone would allow 2,000 x 256 KiB. */
const BLOB_CACHE_MAX_BYTES = 16 * 1024 * 1024;
/** A registry that keeps sending `Link: next` forever is broken; stop, do not loop. */
const MAX_TAG_PAGES = 10_000;
let clients = 0;

/** A tag list or a tag's digest as last answered, with its validator. */
interface Cached<T> {
  readonly value: T;
  readonly etag?: string;
  /** When the request that gave or confirmed it started. */
  readonly checkedAt: number;
  /** The repository's generation it was asked in: a push webhook since makes it stale. */
  readonly generation: number;
}

/** `If-None-Match` with a digest (quoted, as Distribution's manifest ETag) or a validator as given. */
function conditional(validator: string | undefined, asGiven = false): Record<string, string> {
  if (validator === undefined) return {};
  // fetch adds `Cache-Control: no-cache` to conditional requests, and a server may then resend the whole body
  return { 'if-none-match': asGiven ? validator : `"${validator}"`, 'cache-control': 'max-age=0' };
}

/** Keeps `value` as the most recently used entry, dropping the least recently used beyond `limit`. */
function remember<V>(cache: Map<string, V>, key: string, value: V, limit: number): V {
  cache.delete(key);
  if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

/** The entry, moved to the most recently used end (so a cache over a limit drops what nobody reads). */
function recall<V>(cache: Map<string, V>, key: string): V | undefined {
  const value = cache.get(key);
  if (value !== undefined) {
    cache.delete(key);
    cache.set(key, value);
  }
  return value;
}

export function createRegistryClient(
  config: RemoteRegistryConfig,
  options: RegistryClientOptions = {},
): RegistryClient {
  const base = new URL(config.url.endsWith('/') ? config.url : `${config.url}/`);
  const host = config.host ?? base.host;
  const name = options.name ?? host;
  const clock = options.clock ?? systemClock;
  const ttl = (config.cacheTtl ?? DEFAULT_CACHE_TTL).ms;
  const http: HttpOptions = {
    registry: name,
    timeout: config.timeout ?? DEFAULT_TIMEOUT,
    counter: options.counter ?? { requests: 0 },
    logger: (options.logger ?? silentLogger).child({ registry: name }),
    budget: options.budget ?? createRequestBudget({ ...DEFAULT_LIMITS, ...config.limits }, clock),
    clock,
    retry: options.retry ?? DEFAULT_RETRY,
    ...(options.random ? { random: options.random } : {}),
    ...(options.onRateLimited ? { onRateLimited: options.onRateLimited } : {}),
  };
  const id = ++clients;
  const once = createCoalescer();
  const auth = createAuthenticator({
    auth: config.auth,
    registryHost: base.host,
    env: options.env ?? process.env,
    fetchToken: (url, headers, signal) => send(http, url, { headers }, signal),
  });
  const manifests = new Map<string, Manifest>();
  const blobs = new Map<string, Uint8Array>();
  const blobsInFlight = new Map<string, Promise<Uint8Array>>();
  let blobBytes = 0;
  const rememberBlob = (digest: string, bytes: Uint8Array): Uint8Array => {
    if (bytes.byteLength > CACHED_BLOB_MAX_BYTES || blobs.has(digest)) return bytes;
    blobBytes += bytes.byteLength;
    blobs.set(digest, bytes);
    for (const [d, b] of blobs) {
      if (blobBytes <= BLOB_CACHE_MAX_BYTES) break;
      blobs.delete(d);
      blobBytes -= b.byteLength;
    }
    return bytes;
  };
  /** `<repository>` -> its tags; `<repository>:<tag>` -> the tag's digest (the ETag Distribution gives it). */
  const tagLists = new Map<string, Cached<string[]>>();
  const tagDigests = new Map<string, Cached<string>>();
  // callers asking the same thing at once share one request, but only within one generation of
  // the repository: a request that began before a push the caller knows of is stale news to it
  const generations = new Map<string, number>();
  const gen = (repository: string) => generations.get(repository) ?? 0;
  /** A cached answer a round of cached reads may use without asking: of this generation, younger than the TTL. */
  const fresh = (c: Cached<unknown>, repository: string): boolean =>
    c.generation === gen(repository) && inCachedRound() && clock.now() - c.checkedAt < ttl;

  const v2 = (path: string) => new URL(`v2/${path}`, base);
  const pull = (repository: string) => `repository:${repository}:pull`;
  const request = (req: RegistryRequest) => authorizedRequest(http, auth, req);

  /** Maps a non-success response to a SourceError; `what` names the thing asked for. */
  const fail = async (
    res: RegistryResponse,
    url: URL,
    what: string,
    context: Record<string, unknown>,
  ): Promise<never> => {
    const detail = await registryErrorDetail(res);
    const ctx = { registry: name, url: displayUrl(url), status: res.status, ...context };
    if (res.status === 401 || res.status === 403) {
      throw new SourceError(
        'registry_unauthorized',
        `registry ${name} refused access to ${what} (HTTP ${res.status}${config.auth ? ', after authenticating' : ', no credentials configured'})`,
        ctx,
      );
    }
    throw new SourceError(
      'registry_error',
      `registry ${name} answered HTTP ${res.status} for ${what}${detail ? ` (${detail})` : ''}`,
      ctx,
    );
  };

  const notFound = (repository: string, reference: string): SourceError =>
    new SourceError('manifest_not_found', `${host}/${refName(repository, reference)} not found in registry ${name}`, {
      registry: name,
      repository,
      reference,
    });

  const getManifest = async (
    repository: string,
    reference: string,
    o?: ReadOptions,
    how?: { unconditional?: boolean },
  ): Promise<Manifest> => {
    checkRepository(repository);
    checkReference(repository, reference);
    const cached = isDigest(reference) ? recall(manifests, reference) : undefined;
    if (cached) return cached;
    // by tag: the manifest last seen there, if still held, is asked for conditionally
    const known = how?.unconditional ? undefined : knownTag(repository, reference);
    const held = known ? recall(manifests, known.value) : undefined;
    if (held && known && fresh(known, repository)) return held;
    const generation = gen(repository);
    const started = clock.now();
    const url = v2(`${repository}/manifests/${reference}`);
    const res = await request({
      method: 'GET',
      url,
      headers: { accept: MANIFEST_ACCEPT.join(', '), ...conditional(held?.digest) },
      scope: pull(repository),
      signal: o?.signal,
    });
    if (res.status === 304 && held) {
      rememberTag(repository, reference, held.digest, started, generation);
      return held;
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw notFound(repository, reference);
    }
    if (!res.ok) return fail(res, url, refName(repository, reference), { repository, reference });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const digest = digestOf(bytes);
    if (isDigest(reference) && reference !== digest) {
      throw new SourceError('digest_mismatch', `manifest ${refName(repository, reference)} has digest ${digest}`, {
        registry: name,
        repository,
        reference,
        digest,
      });
    }
    const parsed = parseManifest(bytes, digest, res.headers.get('content-type') ?? undefined, {
      registry: name,
      repository,
      reference,
    });
    rememberTag(repository, reference, digest, started, generation);
    return remember(manifests, digest, parsed, MANIFEST_CACHE_LIMIT);
  };

  /** What a tag pointed at when last asked: its digest, to ask again conditionally. */
  const knownTag = (repository: string, reference: string) =>
    isDigest(reference) ? undefined : recall(tagDigests, `${repository}:${reference}`);
  const rememberTag = (
    repository: string,
    reference: string,
    digest: string,
    checkedAt: number,
    generation: number,
  ) => {
    if (!isDigest(reference))
      remember(tagDigests, `${repository}:${reference}`, { value: digest, checkedAt, generation }, TAG_CACHE_LIMIT);
  };

  const resolveNow = async (repository: string, reference: string, o?: ReadOptions): Promise<string> => {
    checkRepository(repository);
    checkReference(repository, reference);
    if (isDigest(reference) && manifests.has(reference)) return reference;
    const known = knownTag(repository, reference);
    if (known && fresh(known, repository)) return known.value;
    const generation = gen(repository);
    const started = clock.now();
    const url = v2(`${repository}/manifests/${reference}`);
    const res = await request({
      method: 'HEAD',
      url,
      // Distribution's manifest ETag is the quoted digest: a 304 says the tag still points there
      headers: { accept: MANIFEST_ACCEPT.join(', '), ...conditional(known?.value) },
      scope: pull(repository),
      signal: o?.signal,
    });
    await res.body?.cancel();
    if (res.status === 304 && known) {
      rememberTag(repository, reference, known.value, started, generation);
      return known.value;
    }
    if (res.status === 404) throw notFound(repository, reference);
    if (!res.ok) return fail(res, url, refName(repository, reference), { repository, reference });
    const header = res.headers.get('docker-content-digest');
    // Registries need not send the header; the digest is then the hash of the body.
    const digest =
      header && isDigest(header)
        ? header
        : (await getManifest(repository, reference, o, { unconditional: true })).digest;
    rememberTag(repository, reference, digest, started, generation);
    return digest;
  };

  const getBlob = async (repository: string, digest: string, o?: ReadOptions): Promise<Uint8Array> => {
    checkRepository(repository);
    const cached = blobs.get(digest);
    if (cached) return cached;
    if (!isDigest(digest)) throw new SourceError('invalid_reference', `"${digest}" is not a digest`, { digest });
    const url = v2(`${repository}/blobs/${digest}`);
    const res = await request({ method: 'GET', url, scope: pull(repository), signal: o?.signal });
    if (res.status === 404) {
      await res.body?.cancel();
      throw new SourceError('blob_not_found', `blob ${digest} not found in ${host}/${repository}`, {
        registry: name,
        repository,
        digest,
      });
    }
    if (!res.ok) return fail(res, url, `blob ${digest} of ${repository}`, { repository, digest });
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (digest.startsWith('sha256:') && digestOf(bytes) !== digest) {
      throw new SourceError('digest_mismatch', `blob ${digest} of ${repository} does not match its digest`, {
        registry: name,
        repository,
        digest,
      });
    }
    return rememberBlob(digest, bytes);
  };

  /**
   * Every page of the tag list. A single-page list that came with an ETag is asked for again
   * with `If-None-Match` (a 304 keeps it); Distribution 2.8 sends none for tag lists, others do.
   */
  const listTags = async (repository: string, o?: TagListOptions): Promise<string[]> => {
    checkRepository(repository);
    const cacheKey = `${repository} ${o?.pageSize ?? ''}`;
    const known = recall(tagLists, cacheKey);
    if (known && fresh(known, repository)) return [...known.value];
    const generation = gen(repository);
    const started = clock.now();
    const tags: string[] = [];
    let url: URL | undefined = v2(`${repository}/tags/list`);
    if (o?.pageSize !== undefined) url.searchParams.set('n', String(o.pageSize));
    const seen = new Set<string>();
    let etag: string | undefined;
    while (url) {
      if (seen.has(url.href) || seen.size >= MAX_TAG_PAGES) {
        throw new SourceError('registry_error', `registry ${name} paginates the tags of ${repository} in a loop`, {
          registry: name,
          repository,
        });
      }
      const first = seen.size === 0;
      seen.add(url.href);
      const res = await request({
        method: 'GET',
        url,
        headers: first ? conditional(known?.etag, true) : {},
        scope: pull(repository),
        signal: o?.signal,
      });
      if (first && res.status === 304 && known) {
        remember(tagLists, cacheKey, { ...known, checkedAt: started, generation }, TAG_LIST_CACHE_LIMIT);
        return [...known.value];
      }
      if (res.status === 404) {
        await res.body?.cancel();
        throw new SourceError(
          'repository_not_found',
          `repository ${host}/${repository} not found in registry ${name}`,
          {
            registry: name,
            repository,
          },
        );
      }
      if (!res.ok) return fail(res, url, `the tags of ${repository}`, { repository });
      const page = tagListSchema.safeParse(await res.json().catch(() => undefined));
      if (!page.success) {
        throw new SourceError('registry_error', `registry ${name} sent an invalid tag list for ${repository}`, {
          registry: name,
          repository,
        });
      }
      tags.push(...(page.data.tags ?? []));
      const next = nextLink(res.headers.get('link'), url);
      // Credentials go to the registry's own origin only.
      if (next && next.origin !== base.origin) {
        throw new SourceError('registry_error', `registry ${name} links the next tag page to another origin`, {
          registry: name,
          repository,
          link: displayUrl(next),
        });
      }
      // a validator of the first page says nothing about the others
      etag = first && !next ? (res.headers.get('etag') ?? undefined) : undefined;
      url = next;
    }
    remember(
      tagLists,
      cacheKey,
      { value: [...tags], ...(etag ? { etag } : {}), checkedAt: started, generation },
      TAG_LIST_CACHE_LIMIT,
    );
    return tags;
  };

  const changed = (repository: string) => {
    generations.set(repository, gen(repository) + 1);
  };
  const pushed = createPushSide({ http, request, fail, v2, name, host, manifests });
  const pushSide: PushSide = {
    ...pushed,
    // what this client pushed, its own later reads see
    async pushManifest(repository, reference, manifest, mediaType, o) {
      try {
        return await pushed.pushManifest(repository, reference, manifest, mediaType, o);
      } finally {
        changed(repository);
      }
    },
  };
  /** In a round of cached reads each question is asked once; elsewhere callers at the same moment share one request. */
  const ask = <T>(key: string, task: () => Promise<T>): Promise<T> =>
    sharedInRound(`${id} ${key}`, () => once(key, task)) ?? once(key, task);

  return {
    kind: 'remote',
    name,
    host,
    url: config.url,
    location: displayUrl(base),
    ...pushSide,

    resolve: (repository, reference, o) =>
      ask(`resolve ${repository}@${gen(repository)} ${reference}`, () => resolveNow(repository, reference, o)),
    manifest: (repository, reference, o) =>
      ask(`manifest ${repository}@${gen(repository)} ${reference}`, () => getManifest(repository, reference, o)),
    blob(repository, digest, o) {
      const cached = blobs.get(digest);
      if (cached) return Promise.resolve(cached);
      const ask = () => once(`blob ${repository} ${digest}`, () => getBlob(repository, digest, o));
      // the same bytes (one digest) asked for in another repository at this moment: share that answer,
      // so a fleet's images built alike fetch their common config once; asked here if it fails there
      const shared = blobsInFlight.get(digest);
      if (shared) return shared.catch(ask);
      const asked = ask();
      blobsInFlight.set(digest, asked);
      const done = () => {
        if (blobsInFlight.get(digest) === asked) blobsInFlight.delete(digest);
      };
      asked.then(done, done);
      return asked;
    },
    tags: (repository, o) =>
      ask(`tags ${repository}@${gen(repository)} ${o?.pageSize ?? ''}`, () => listTags(repository, o)),
    changed,
    async referrers(repository: string, digest: string, o?: ReferrersOptions): Promise<Descriptor[]> {
      checkRepository(repository);
      checkReference(repository, digest);
      const url = v2(`${repository}/referrers/${digest}`);
      if (o?.artifactType) url.searchParams.set('artifactType', o.artifactType);
      const res = await request({
        method: 'GET',
        url,
        headers: { accept: MANIFEST_ACCEPT[0] as string },
        scope: pull(repository),
        signal: o?.signal,
      });
      if (res.ok) {
        const bytes = new Uint8Array(await res.arrayBuffer());
        const index = parseManifest(bytes, digestOf(bytes), res.headers.get('content-type') ?? undefined);
        return index.kind === 'index' ? filterReferrers(index.body.manifests, o?.artifactType) : [];
      }
      if (res.status !== 404) return fail(res, url, `the referrers of ${refName(repository, digest)}`, { repository });
      await res.body?.cancel();
      // No referrers API: the spec's fallback is an index tagged `<alg>-<hex>`.
      try {
        const index = await getManifest(repository, referrersTag(digest), o);
        return index.kind === 'index' ? filterReferrers(index.body.manifests, o?.artifactType) : [];
      } catch (e) {
        if (e instanceof SourceError && e.code === 'manifest_not_found') return [];
        throw e;
      }
    },
  };
}
