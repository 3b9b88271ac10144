import type { Logger } from '@gantry/core';
import { SourceError, silentLogger } from '@gantry/core';
import type { HelmRepositoryConfig } from './config.js';
import { DEFAULT_HELM_STALE_AFTER, DEFAULT_HELM_TIMEOUT, displayRepositoryUrl } from './config.js';
import type { HelmIndex } from './index-file.js';
import { parseHelmIndex } from './index-file.js';

export interface HelmRepositoryClientOptions {
  /** The configured name, for messages; default: the URL. */
  readonly name?: string;
  readonly logger?: Logger;
  /** Shared request counter; a fresh one when absent. */
  readonly counter?: { requests: number };
  /** Milliseconds now; injected by tests so freshness never depends on the wall clock. */
  readonly now?: () => number;
}

/** A Helm chart repository reached over HTTP(S). */
export interface HelmRepositoryClient {
  readonly name: string;
  /** The repository URL without credentials or trailing slash. */
  readonly url: string;
  /**
   * The repository's index. Readers at the same time share one request; an index looked at
   * less than `staleAfter` ago is answered from memory; an older one is revalidated with
   * `If-None-Match`/`If-Modified-Since`, and a 304 keeps the parsed index.
   */
  index(options?: { readonly signal?: AbortSignal }): Promise<HelmIndex>;
  /** The repository changed (a webhook said so): the next read asks the server, whatever its age. */
  changed(): void;
}

interface Cached {
  readonly index: HelmIndex;
  readonly etag?: string;
  readonly lastModified?: string;
  /** When the request that produced or confirmed it started. */
  readonly checkedAt: number;
  readonly generation: number;
}

/** Waits for `promise`, or rejects as soon as this caller's own signal aborts (the shared request goes on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export function createHelmRepositoryClient(
  config: HelmRepositoryConfig,
  options: HelmRepositoryClientOptions = {},
): HelmRepositoryClient {
  const url = displayRepositoryUrl(config.url);
  const indexUrl = new URL('index.yaml', `${config.url.replace(/\/+$/, '')}/`);
  const where = `${url}/index.yaml`;
  const name = options.name ?? url;
  const timeout = config.timeout ?? DEFAULT_HELM_TIMEOUT;
  const staleAfter = config.staleAfter ?? DEFAULT_HELM_STALE_AFTER;
  const now = options.now ?? Date.now;
  const counter = options.counter ?? { requests: 0 };
  const logger = (options.logger ?? silentLogger).child({ helmRepository: name });
  const authorization = config.auth
    ? `Basic ${Buffer.from(`${config.auth.username}:${config.auth.password}`).toString('base64')}`
    : undefined;
  const context = { registry: name, url: where };

  let cached: Cached | undefined;
  let generation = 0;
  let inflight: { promise: Promise<HelmIndex>; generation: number } | undefined;

  /** One GET of index.yaml, body included, within the timeout. */
  async function fetchIndex(forGeneration: number): Promise<HelmIndex> {
    const started = now();
    const headers: Record<string, string> = { accept: 'application/yaml, text/yaml, */*' };
    if (authorization) headers.authorization = authorization;
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
    // fetch adds `Cache-Control: no-cache` to conditional requests, and servers that honour it
    // (Express's static files among them) then resend the whole index; ask to revalidate instead
    if (cached) headers['cache-control'] = 'max-age=0';
    const signal = AbortSignal.timeout(timeout.ms);
    counter.requests++;
    let res: Response;
    let body: string | undefined;
    try {
      res = await fetch(indexUrl, { headers, signal, redirect: 'follow' });
      logger.debug({ url: where, status: res.status }, 'helm repository request');
      if (res.status === 200) body = await res.text();
      else await res.body?.cancel();
    } catch (e) {
      const timedOut = signal.aborted;
      const cause = (e as { cause?: { code?: string } }).cause;
      const why = timedOut ? `timed out after ${timeout.ms} ms` : (cause?.code ?? (e as Error).message);
      throw new SourceError(
        timedOut ? 'registry_timeout' : 'registry_unreachable',
        `Helm repository ${name} is unreachable at ${where}: ${why}`,
        { ...context, ...(timedOut ? { timeout } : {}) },
        { cause: e },
      );
    }
    if (res.status === 304 && cached) {
      cached = { ...cached, checkedAt: started, generation: forGeneration };
      return cached.index;
    }
    if (res.status === 401 || res.status === 403) {
      throw new SourceError(
        'registry_unauthorized',
        `Helm repository ${name} refused access to ${where} (HTTP ${res.status}${config.auth ? ', after authenticating' : ', no credentials configured'})`,
        { ...context, status: res.status },
      );
    }
    if (body === undefined) {
      const what = res.status === 404 ? 'no index.yaml there (HTTP 404): is this a Helm repository URL?' : '';
      throw new SourceError(
        'registry_error',
        `Helm repository ${name} answered HTTP ${res.status} for ${where}${what ? `; ${what}` : ''}`,
        { ...context, status: res.status },
      );
    }
    const index = parseHelmIndex(body, where);
    const etag = res.headers.get('etag') ?? undefined;
    const lastModified = res.headers.get('last-modified') ?? undefined;
    cached = {
      index,
      ...(etag ? { etag } : {}),
      ...(lastModified ? { lastModified } : {}),
      checkedAt: started,
      generation: forGeneration,
    };
    return index;
  }

  return {
    name,
    url,
    index(o) {
      if (cached && cached.generation === generation && now() - cached.checkedAt < staleAfter.ms) {
        return Promise.resolve(cached.index);
      }
      if (!inflight || inflight.generation !== generation) {
        const started = fetchIndex(generation);
        const entry = { generation, promise: started };
        inflight = entry;
        const clear = () => {
          if (inflight === entry) inflight = undefined;
        };
        started.then(clear, clear);
      }
      return untilAborted(inflight.promise, o?.signal);
    },
    changed() {
      generation++;
    },
  };
}
