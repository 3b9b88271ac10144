import type {
  ApiCheckResults,
  ApiDeployerEvents,
  ApiEvent,
  ApiHistory,
  ApiHold,
  ApiHoldList,
  ApiMe,
  ApiPhaseDetail,
  ApiPipelineList,
  ApiPipelineListQuery,
  ApiPipelinePage,
  ApiPipelineStatus,
  ApiPlan,
  ApiProblem,
  ApiPromoteBody,
  ApiPromoteResult,
  ApiPromotion,
  ApiPromotionDetail,
  ApiWhy,
} from '@gantry/api';
import type { ApiOverrideBody, ApiOverrideList, ApiOverrideResult } from '@gantry/api';
import type {
  ApiArtifact,
  ApiArtifactList,
  ApiArtifactReport,
  ApiArtifactReportResult,
  ApiArtifactStepReport,
} from '@gantry/api';
import type { ApiDeliveryMetrics } from '@gantry/api';
import type { ApiChain, ApiLineage } from '@gantry/api';
import { ApiProblemError, ApiUnreachableError } from './problem-error.js';
import { readSse } from './sse.js';

export interface ClientOptions {
  /** e.g. `http://127.0.0.1:8080`; empty for same-origin (the dashboard). */
  readonly baseUrl: string;
  readonly token?: string;
  readonly fetch?: typeof fetch;
}

export type { ApiMe };

export interface HistoryQuery {
  readonly phase?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export interface DeployerEventsQuery {
  /** Only reports no phase matched: `deployer:` mappings to fix. */
  readonly unmatched?: boolean;
  /** The previous page's `nextCursor`. */
  readonly cursor?: string;
  /** 1..500 (default 50). */
  readonly limit?: number;
}

/** `GET /api/v1/metrics`: times as ISO 8601 or dates (`2025-03-01`); `since` (`30d`) instead of `from`. */
export interface MetricsQuery {
  readonly from?: string;
  readonly to?: string;
  readonly since?: string;
  readonly pipeline?: string;
  readonly phase?: string;
  readonly bucket?: 'day' | 'week';
}

/** `GET /api/v1/artifacts`: newest first. With `pipeline` and `branch` and no build: a 404 `no_branch_build` whose `branches` lists those with builds. */
export interface ArtifactsQuery {
  readonly pipeline?: string;
  readonly branch?: string;
  readonly digest?: string;
  readonly cursor?: string;
  /** 1..500 (default 50). */
  readonly limit?: number;
}

export interface ReadOptions {
  /** Re-read from Git and registries now instead of answering from the last observation. */
  readonly refresh?: boolean;
}

/** The Gantry API, typed by the schemas the server validates with. */
export interface GantryClient {
  me(): Promise<ApiMe>;
  /** `refresh` re-reads every phase before answering; otherwise the server's last observation. */
  listPipelines(options?: ReadOptions): Promise<ApiPipelineList>;
  /**
   * The pipelines matching a filter, sorted and paged by the server (`nextCursor` for the next
   * page): for clients that want part of a large fleet, and the dashboard's first rows.
   */
  pipelinePage(query: ApiPipelineListQuery): Promise<ApiPipelinePage>;
  getPipeline(pipeline: string, options?: ReadOptions): Promise<ApiPipelineStatus>;
  getPhase(pipeline: string, phase: string): Promise<ApiPhaseDetail>;
  /** The plan a promotion would run: from upstream, a rollback, or a release of a version or digest (the diff preview). */
  plan(
    pipeline: string,
    phase: string,
    options?: { rollbackOf?: string; version?: string; digest?: string },
  ): Promise<ApiPlan>;
  /** How a version got into a phase (default: what it runs now): source commit to verified, with links. */
  chain(pipeline: string, phase: string, options?: { version?: string; digest?: string }): Promise<ApiChain>;
  /** A pipeline's versions and where each has been (entered, left, verified per phase), newest first. */
  lineage(pipeline: string, options?: { limit?: number }): Promise<ApiLineage>;
  promote(pipeline: string, phase: string, body?: ApiPromoteBody): Promise<ApiPromoteResult>;
  getPromotion(id: string): Promise<ApiPromotionDetail>;
  history(pipeline: string, query?: HistoryQuery): Promise<ApiHistory>;
  /** Every pipeline's promotions, newest first (`phase`: into phases of that name). */
  allHistory(query?: HistoryQuery): Promise<ApiHistory>;
  /** Every recorded check result of a promotion's verification, all runs, in the order they were recorded. */
  checkResults(id: string): Promise<ApiCheckResults>;
  /**
   * Runs a succeeded promotion's verification again (a new run); answers at once with the
   * promotion, its verification `running` — follow it on the event stream or with getPromotion.
   */
  reverify(id: string): Promise<ApiPromotion>;
  /** Deployer reports (Flux, Argo CD) as recorded, newest first, each with the `deployer:` mapping that would match it. */
  deployerEvents(query?: DeployerEventsQuery): Promise<ApiDeployerEvents>;
  /** Approves the version a waiting promotion carries; answers the promotion as its gates now judge it. */
  approve(id: string, options?: { comment?: string }): Promise<ApiPromotion>;
  /** Rejects the version a waiting promotion carries; a rejection says why. */
  reject(id: string, options: { comment: string }): Promise<ApiPromotion>;
  /**
   * Every gate's verdict for a version entering the phase (default: the upstream's), holds in
   * force, unfinished promotions. `as: 'person'`: judged as the caller's own release by hand
   * (default: as automation would meet it).
   */
  why(pipeline: string, phase: string, options?: { digest?: string; as?: 'automation' | 'person' }): Promise<ApiWhy>;
  /** Pins a phase at a version (default: the one it holds now): automation leaves it there until unpinned. */
  pin(pipeline: string, phase: string, options: { reason: string; digest?: string }): Promise<ApiHold>;
  /** Releases a phase's pin; a 404 when it is not pinned. */
  unpin(pipeline: string, phase: string, options?: { reason?: string }): Promise<ApiHold>;
  /** Pauses a pipeline, or one phase of it: automation moves nothing there until resumed. */
  pause(pipeline: string, options: { reason: string; phase?: string }): Promise<ApiHold>;
  /** Resumes a paused pipeline (or phase); a 404 when it is not paused. */
  resume(pipeline: string, options?: { phase?: string; reason?: string }): Promise<ApiHold>;
  /** Pins and pauses in force, of one pipeline or all. */
  holds(options?: { pipeline?: string }): Promise<ApiHoldList>;
  /**
   * Overrides a window gate (closed window or freeze) of a phase with a reason, for one version
   * or any (admins only); answers the override and the phase's waiting promotions as judged now.
   */
  override(pipeline: string, phase: string, gate: string, body: ApiOverrideBody): Promise<ApiOverrideResult>;
  /** The overrides of a phase in force now. */
  overrides(pipeline: string, phase: string): Promise<ApiOverrideList>;
  /**
   * Follows the event stream until `signal` aborts or the server closes it; `onOpen` is called
   * once the server accepted the connection. A refused connection (401, 403) throws ApiProblemError.
   */
  events(onEvent: (event: ApiEvent) => void, signal?: AbortSignal, onOpen?: () => void): Promise<void>;
  /** Reports what CI built (role ci or above); idempotent per digest and step (`outcome: unchanged` for a replay). */
  reportArtifact(report: ApiArtifactReport): Promise<ApiArtifactReportResult>;
  /** Reports one step of an artifact's CI run as it starts or ends. */
  reportArtifactStep(id: string, step: ApiArtifactStepReport): Promise<ApiArtifactReportResult>;
  listArtifacts(query?: ArtifactsQuery): Promise<ApiArtifactList>;
  getArtifact(id: string): Promise<ApiArtifact>;
  /** Delivery metrics (DORA) of a period [from, to), per phase and in total; `to` defaults to now, `from` to 30 days before. */
  deliveryMetrics(query?: MetricsQuery): Promise<ApiDeliveryMetrics>;
}

const enc = encodeURIComponent;

/** The events `events()` hands on; others (`ready`, newer kinds) are skipped. */
const EVENT_TYPES: ReadonlySet<string> = new Set<ApiEvent['type']>(['promotion', 'phase', 'hold', 'artifact']);

export function createClient(o: ClientOptions): GantryClient {
  const f = o.fetch ?? globalThis.fetch.bind(globalThis);
  const base = o.baseUrl.replace(/\/$/, '');

  const headersFor = (accept: string): Record<string, string> =>
    o.token ? { accept, authorization: `Bearer ${o.token}` } : { accept };

  /** The server's problem+json, or one made from the status when the body is not one. */
  const problemOf = async (res: Response, what: string): Promise<ApiProblemError> => {
    const problem = (await res.json().catch(() => undefined)) as ApiProblem | undefined;
    return new ApiProblemError(
      problem?.code
        ? problem
        : {
            type: 'about:blank',
            title: res.statusText,
            status: res.status,
            code: `http_${res.status}`,
            detail: `${what}: ${res.status} ${res.statusText}`,
          },
    );
  };

  async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers = headersFor('application/json');
    if (body !== undefined) headers['content-type'] = 'application/json';
    // the server refuses a mutating request a cross-site page could send; say this is none
    if (method !== 'GET') headers['x-gantry-request'] = '1';
    let res: Response;
    try {
      res = await f(`${base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (e) {
      throw new ApiUnreachableError(base || '(same origin)', e);
    }
    if (!res.ok) throw await problemOf(res, `${method} ${path}`);
    return (await res.json()) as T;
  }

  const q = (params: Record<string, string | number | undefined>) => {
    const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
    return entries.length ? `?${entries.map(([k, v]) => `${k}=${enc(String(v))}`).join('&')}` : '';
  };

  const readQuery = (o: ReadOptions) => q({ refresh: o.refresh ? 'true' : undefined });
  // label and state repeat: one parameter per term
  const pageQuery = (o: ApiPipelineListQuery) => {
    const many = (v: string | readonly string[] | undefined) =>
      v === undefined ? [] : typeof v === 'string' ? [v] : v;
    const text = [
      ...(o.q !== undefined ? [['q', o.q]] : []),
      ...many(o.label).map((v) => ['label', v]),
      ...many(o.state).map((v) => ['state', v]),
      ...(o.sort !== undefined ? [['sort', o.sort]] : []),
      ...(o.limit !== undefined ? [['limit', String(o.limit)]] : []),
      ...(o.cursor !== undefined ? [['cursor', o.cursor]] : []),
    ]
      .map(([k, v]) => `${k}=${enc(v ?? '')}`)
      .join('&');
    return text ? `?${text}` : '';
  };

  return {
    me: () => call('GET', '/api/v1/me'),
    listPipelines: (opts = {}) => call('GET', `/api/v1/pipelines${readQuery(opts)}`),
    pipelinePage: (query) => call('GET', `/api/v1/pipelines${pageQuery(query)}`),
    getPipeline: (p, opts = {}) => call('GET', `/api/v1/pipelines/${enc(p)}${readQuery(opts)}`),
    getPhase: (p, ph) => call('GET', `/api/v1/pipelines/${enc(p)}/phases/${enc(ph)}`),
    plan: (p, ph, opts = {}) =>
      call(
        'GET',
        `/api/v1/pipelines/${enc(p)}/phases/${enc(ph)}/plan${q({ rollbackOf: opts.rollbackOf, version: opts.version, digest: opts.digest })}`,
      ),
    chain: (p, ph, opts = {}) =>
      call(
        'GET',
        `/api/v1/pipelines/${enc(p)}/phases/${enc(ph)}/chain${q({ version: opts.version, digest: opts.digest })}`,
      ),
    lineage: (p, opts = {}) => call('GET', `/api/v1/pipelines/${enc(p)}/lineage${q({ limit: opts.limit })}`),
    promote: (p, ph, body = {}) => call('POST', `/api/v1/pipelines/${enc(p)}/phases/${enc(ph)}/promotions`, body),
    getPromotion: (id) => call('GET', `/api/v1/promotions/${enc(id)}`),
    history: (p, query = {}) => call('GET', `/api/v1/pipelines/${enc(p)}/history${q({ ...query })}`),
    deliveryMetrics: (query = {}) => call('GET', `/api/v1/metrics${q({ ...query })}`),
    allHistory: (query = {}) => call('GET', `/api/v1/promotions${q({ ...query })}`),
    checkResults: (id) => call('GET', `/api/v1/promotions/${enc(id)}/checks`),
    reverify: (id) => call('POST', `/api/v1/promotions/${enc(id)}/verify`),
    approve: (id, opts = {}) =>
      call('POST', `/api/v1/promotions/${enc(id)}/approve`, opts.comment ? { comment: opts.comment } : {}),
    reject: (id, opts) => call('POST', `/api/v1/promotions/${enc(id)}/reject`, { comment: opts.comment }),
    why: (p, ph, opts = {}) =>
      call('GET', `/api/v1/pipelines/${enc(p)}/phases/${enc(ph)}/why${q({ digest: opts.digest, as: opts.as })}`),
    pin: (p, ph, opts) =>
      call('POST', `/api/v1/pipelines/${enc(p)}/phases/${enc(ph)}/pin`, {
        reason: opts.reason,
        ...(opts.digest ? { digest: opts.digest } : {}),
      }),
    unpin: (p, ph, opts = {}) =>
      call(
        'DELETE',
        `/api/v1/pipelines/${enc(p)}/phases/${enc(ph)}/pin`,
        opts.reason ? { reason: opts.reason } : undefined,
      ),
    pause: (p, opts) =>
      call('POST', `/api/v1/pipelines/${enc(p)}/pause`, {
        reason: opts.reason,
        ...(opts.phase !== undefined ? { phase: opts.phase } : {}),
      }),
    resume: (p, opts = {}) =>
      call(
        'DELETE',
        `/api/v1/pipelines/${enc(p)}/pause${q({ phase: opts.phase })}`,
        opts.reason ? { reason: opts.reason } : undefined,
      ),
    holds: (opts = {}) => call('GET', `/api/v1/holds${q({ pipeline: opts.pipeline })}`),
    override: (p, ph, gate, body) =>
      call('POST', `/api/v1/pipelines/${enc(p)}/phases/${enc(ph)}/gates/${enc(gate)}/override`, body),
    overrides: (p, ph) => call('GET', `/api/v1/pipelines/${enc(p)}/phases/${enc(ph)}/gates/overrides`),
    deployerEvents: (query = {}) =>
      call(
        'GET',
        `/api/v1/deployer-events${q({
          unmatched: query.unmatched === undefined ? undefined : String(query.unmatched),
          cursor: query.cursor,
          limit: query.limit,
        })}`,
      ),
    reportArtifact: (report) => call('POST', '/api/v1/artifacts', report),
    reportArtifactStep: (id, step) => call('POST', `/api/v1/artifacts/${enc(id)}/steps`, step),
    listArtifacts: (query = {}) => call('GET', `/api/v1/artifacts${q({ ...query })}`),
    getArtifact: (id) => call('GET', `/api/v1/artifacts/${enc(id)}`),
    async events(onEvent, signal, onOpen) {
      const headers = headersFor('text/event-stream');
      const res = await f(`${base}/api/v1/events`, { headers, ...(signal ? { signal } : {}) }).catch((e: unknown) => {
        if (signal?.aborted) return undefined;
        throw new ApiUnreachableError(base || '(same origin)', e);
      });
      if (res && !res.ok) throw await problemOf(res, 'GET /api/v1/events');
      if (!res?.body) return;
      onOpen?.();
      try {
        for await (const m of readSse(res.body)) {
          if (EVENT_TYPES.has(m.event)) onEvent(JSON.parse(m.data) as ApiEvent);
        }
      } catch (e) {
        if (!signal?.aborted) throw e;
      }
    },
  };
}
