import type { Logger, System } from '@gantry/core';
import type { Metrics } from '../metrics.js';
import { ApiError } from '../problem.js';
import type { Reconciler } from '../reconciler.js';
import type { Change } from './payloads.js';
import { gitPushOf, registryChanges } from './payloads.js';
import type { PullRequestChange } from './pull-request-event.js';
import { pullRequestOf } from './pull-request-event.js';
import { mergeRequestOf } from './merge-request-event.js';
import type { DeliveryLog } from './replays.js';
import { freshChanges } from './replays.js';
import { hasSignature, verifySignature } from './signature.js';

export type WebhookKind = 'registry' | 'git';

export interface WebhookResult {
  /** `pipeline/phase` of every phase the event concerns. */
  readonly matched: readonly string[];
  /** Every delivery id of this request was seen lately: acknowledged, nothing done. */
  readonly duplicate?: true;
}

export interface WebhookCallOptions {
  /** `?registry=`: the registry whose own secret may sign the notification. */
  readonly registry?: string;
  /** Where delivery ids are remembered; without it replays are not detected. */
  readonly deliveries?: DeliveryLog;
}

export interface WebhookHandler {
  /**
   * Refuses what is refused without reading the body: webhooks disabled (no secret that could
   * sign this kind), or no signature header at all. Call it before the body is read.
   */
  precheck(kind: WebhookKind, header: (name: string) => string | undefined, options?: WebhookCallOptions): void;
  handle(
    kind: WebhookKind,
    rawBody: Uint8Array,
    header: (name: string) => string | undefined,
    options?: WebhookCallOptions,
  ): Promise<WebhookResult>;
}

export interface WebhookHandlerOptions {
  readonly system: System;
  /** Shared secret; without one (and without per-source secrets) every webhook is refused. */
  readonly secret: string | undefined;
  /** Secrets of single sources: registry and repository names -> secret. */
  readonly sourceSecrets?: {
    readonly registries: Readonly<Record<string, string>>;
    readonly repositories: Readonly<Record<string, string>>;
  };
  /** Configured repository name -> remote URL, to recognise a Git host's push event. */
  readonly repositoryUrls: Readonly<Record<string, string>>;
  readonly reconciler: Reconciler;
  /** Told which configured repository a push changed, so its next read fetches. */
  readonly remoteChanged?: (repository: string) => void;
  /** Told which registry repository a push changed, so reads after it do not share an older answer. */
  readonly registryChanged?: (repository: string, registry: string | undefined) => void;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Configured repository name -> `owner/name` of its pull request provider (phases with `write: proposal`). */
  readonly providerRepositories?: Readonly<Record<string, string>>;
  /** A GitHub `pull_request` event about a provider's repository: merged or closed proposals settle. */
  readonly proposalChanged?: (change: PullRequestChange) => Promise<unknown>;
  /** A push reached these phases' Git branches: their open proposals are rebased onto it (in the background). */
  readonly proposalBaseMoved?: (phases: readonly { pipeline: string; phase: string }[]) => Promise<unknown>;
  /** A GitHub `status`/`check_run`/`check_suite` event: the open proposals whose head is `sha` read their checks. */
  readonly proposalChecksChanged?: (c: {
    provider: 'github';
    repository: string;
    sha: string;
  }) => Promise<ReadonlyArray<{ pipeline: string; phase: string }>>;
}

const normalise = (url: string) =>
  url
    .replace(/\.git$/, '')
    .replace(/\/$/, '')
    .toLowerCase();

function repositoryMatches(configuredUrl: string, identities: readonly string[]): boolean {
  const url = normalise(configuredUrl);
  return identities.some((id) => {
    const n = normalise(id);
    return n === url || url.endsWith(`/${n}`) || url.endsWith(`:${n}`);
  });
}

/** Which phases a change concerns, by the subjects their sources declare. */
function matchPhases(system: System, changes: readonly Change[], registry?: string) {
  const out: Array<{ pipeline: string; phase: string }> = [];
  for (const p of system.pipelines) {
    for (const ph of p.phases) {
      const s = ph.source.subject;
      if (!s) continue;
      const hit = changes.some((c) =>
        c.kind === 'oci' && s.kind === 'oci'
          ? s.repository === c.repository && (registry === undefined || registry === s.registry)
          : c.kind === 'git' && s.kind === 'git'
            ? c.repository === s.repository &&
              (s.branch === undefined || s.branch === c.branch) &&
              (c.paths.length === 0 || !s.paths || s.paths.some((path) => c.paths.includes(path)))
            : false,
      );
      if (hit) out.push({ pipeline: p.name, phase: ph.name });
    }
  }
  return out;
}

/** GitHub events that say a commit's checks changed (commit statuses, check runs, check suites). */
const CHECK_EVENTS = new Set(['status', 'check_run', 'check_suite']);

/** The repository and commit a `status`, `check_run` or `check_suite` event is about. */
function checkEventOf(body: unknown): { repository: string; sha: string } | undefined {
  const b = body as {
    sha?: unknown;
    check_run?: { head_sha?: unknown };
    check_suite?: { head_sha?: unknown };
    repository?: { full_name?: unknown };
  } | null;
  const sha = b?.sha ?? b?.check_run?.head_sha ?? b?.check_suite?.head_sha;
  const repository = b?.repository?.full_name;
  if (typeof sha !== 'string' || !/^[0-9a-f]{40}$/.test(sha) || typeof repository !== 'string' || !repository)
    return undefined;
  return { repository, sha };
}

/** Phases writing by proposal whose branch a push moved, whatever files it touched: their proposals may need a rebase. */
function proposalPhasesOn(system: System, changes: readonly Change[]) {
  const out: Array<{ pipeline: string; phase: string }> = [];
  for (const p of system.pipelines)
    for (const ph of p.phases) {
      const s = ph.source.subject;
      if (ph.write !== 'proposal' || s?.kind !== 'git') continue;
      if (
        changes.some(
          (c) => c.kind === 'git' && c.repository === s.repository && (s.branch === undefined || s.branch === c.branch),
        )
      )
        out.push({ pipeline: p.name, phase: ph.name });
    }
  return out;
}

/** A secret that may sign a webhook, and whom it speaks for (`*`: the server's shared secret). */
interface Signer {
  readonly secret: string;
  readonly owners: readonly string[];
}

/**
 * Registry and Git push webhooks: the signature is checked on the raw bytes against every
 * secret that may sign this kind (the server's, the named registry's, each repository's)
 * before anything parses the body; a repository's own secret then speaks only for that
 * repository. Delivery ids seen lately are acknowledged and ignored (replays). The phases
 * concerned reconcile, coalesced per pipeline.
 */
export function createWebhookHandler(o: WebhookHandlerOptions): WebhookHandler {
  // each distinct secret is tried once, however many sources share it
  const signers = (kind: WebhookKind, options: WebhookCallOptions): Signer[] => {
    const registrySecret = options.registry !== undefined ? o.sourceSecrets?.registries[options.registry] : undefined;
    const own: Array<[string, string]> =
      kind === 'registry'
        ? registrySecret
          ? [[registrySecret, `registry:${options.registry}`]]
          : []
        : Object.entries(o.sourceSecrets?.repositories ?? {}).map(([name, secret]) => [secret, name]);
    const bySecret = new Map<string, string[]>();
    for (const [secret, owner] of o.secret ? [...own, [o.secret, '*'] as [string, string]] : own) {
      if (secret.length > 0) bySecret.set(secret, [...(bySecret.get(secret) ?? []), owner]);
    }
    return [...bySecret].map(([secret, owners]) => ({ secret, owners }));
  };
  const reject = (kind: WebhookKind, message: string): never => {
    o.metrics.webhooks.inc({ kind, result: 'rejected' });
    o.logger.warn({ kind }, message);
    throw new ApiError('unauthorized', message);
  };
  const precheck: WebhookHandler['precheck'] = (kind, header, options = {}) => {
    if (signers(kind, options).length === 0)
      reject(kind, 'webhooks are disabled: set server.webhookSecret (or a source webhookSecret) in gantry.yaml');
    if (!hasSignature(header))
      reject(
        kind,
        'missing webhook signature (X-Hub-Signature-256, X-Gantry-Signature-256, X-Gitlab-Token or Authorization)',
      );
  };

  /** A signed `status`, `check_run` or `check_suite` event: the checks of the open proposals with that head are read again. */
  const checkEvent = async (body: unknown, verified: readonly Signer[]): Promise<WebhookResult> => {
    const c = checkEventOf(body);
    if (!c)
      throw new ApiError(
        'invalid_request',
        'not a GitHub status, check_run or check_suite event ({sha} or {check_run|check_suite: {head_sha}}, repository)',
      );
    const names = Object.entries(o.providerRepositories ?? {})
      .filter(([, full]) => full.toLowerCase() === c.repository.toLowerCase())
      .map(([name]) => name);
    const owners = new Set(verified.flatMap((s) => s.owners));
    if (names.length > 0 && !owners.has('*') && !names.some((n) => owners.has(n)))
      reject('git', 'the signature is not the secret of the repository this event names');
    if (names.length === 0 || !o.proposalChecksChanged) {
      o.metrics.webhooks.inc({ kind: 'git', result: 'ignored' });
      return { matched: [] };
    }
    const hit = await o.proposalChecksChanged({ provider: 'github', ...c });
    o.metrics.webhooks.inc({ kind: 'git', result: hit.length > 0 ? 'accepted' : 'ignored' });
    return { matched: hit.map((p) => `${p.pipeline}/${p.phase}`) };
  };

  /** A signed `pull_request` event: the proposal it names settles (merged, closed); other actions change nothing. */
  const pullRequest = async (
    body: unknown,
    verified: readonly Signer[],
    provider: 'github' | 'gitlab' = 'github',
  ): Promise<WebhookResult> => {
    const change = provider === 'gitlab' ? mergeRequestOf(body) : pullRequestOf(body);
    if (!change)
      throw new ApiError(
        'invalid_request',
        provider === 'gitlab'
          ? 'not a GitLab merge request event ({object_kind: merge_request, project, object_attributes})'
          : 'not a GitHub pull_request event ({action, number, pull_request, repository})',
      );
    const names = Object.entries(o.providerRepositories ?? {})
      .filter(([, full]) => full.toLowerCase() === change.repository.toLowerCase())
      .map(([name]) => name);
    const owners = new Set(verified.flatMap((s) => s.owners));
    if (names.length > 0 && !owners.has('*') && !names.some((n) => owners.has(n)))
      reject('git', 'the signature is not the secret of the repository this pull request names');
    if (names.length === 0 || !o.proposalChanged) {
      o.metrics.webhooks.inc({ kind: 'git', result: 'ignored' });
      return { matched: [] };
    }
    if (change.state === 'open') {
      // still open: its checks are read again and recorded; nothing settles
      await o.proposalChanged(change);
      o.metrics.webhooks.inc({ kind: 'git', result: 'ignored' });
      return { matched: [] };
    }
    o.metrics.webhooks.inc({ kind: 'git', result: 'accepted' });
    // the promotion settles before the answer: GitHub's delivery log then shows what it did
    const settled = (await o.proposalChanged(change)) as { pipeline: string; phase: string } | undefined;
    return { matched: settled ? [`${settled.pipeline}/${settled.phase}`] : [] };
  };

  return {
    precheck,
    async handle(kind, rawBody, header, options = {}) {
      precheck(kind, header, options);
      const verified = signers(kind, options).filter((s) => verifySignature(s.secret, rawBody, header));
      if (verified.length === 0) reject(kind, 'bad webhook signature');
      // only now, signed, is the body parsed
      let body: unknown;
      try {
        body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
      } catch {
        throw new ApiError('invalid_request', 'webhook body is not JSON');
      }
      let changes: Change[];
      if (kind === 'registry') {
        const found = registryChanges(body);
        if (!found)
          throw new ApiError(
            'invalid_request',
            'not a registry notification ({events:[...]} or {repository, tag, digest})',
          );
        changes = found;
      } else if (CHECK_EVENTS.has(header('x-github-event') ?? '')) {
        return checkEvent(body, verified);
      } else if (header('x-github-event') === 'pull_request') {
        return pullRequest(body, verified);
      } else if (header('x-gitlab-event') === 'Merge Request Hook') {
        // X-Gitlab-Token was compared with the secrets before the body was parsed
        return pullRequest(body, verified, 'gitlab');
      } else {
        const push = gitPushOf(body);
        const named = push
          ? Object.entries(o.repositoryUrls)
              .filter(([, url]) => repositoryMatches(url, push.identities))
              .map(([name]) => ({ kind: 'git' as const, repository: name, branch: push.branch, paths: push.paths }))
          : [];
        const owners = new Set(verified.flatMap((s) => s.owners));
        changes = owners.has('*') ? named : named.filter((c) => owners.has(c.repository));
        if (named.length > 0 && changes.length === 0)
          reject(kind, 'the signature is not the secret of the repository this push names');
      }
      if (options.deliveries) {
        const fresh = await freshChanges(kind, changes, rawBody, header, options.deliveries);
        if (fresh === 'duplicate') {
          o.metrics.webhooks.inc({ kind, result: 'duplicate' });
          o.logger.info({ kind }, 'webhook delivery seen before: acknowledged and ignored');
          return { matched: [], duplicate: true };
        }
        changes = fresh;
      }
      if (changes.length === 0) {
        o.metrics.webhooks.inc({ kind, result: 'ignored' });
        return { matched: [] };
      }
      for (const c of changes) {
        if (c.kind === 'git') o.remoteChanged?.(c.repository);
        else o.registryChanged?.(c.repository, options.registry);
      }
      const phases = matchPhases(o.system, changes, options.registry);
      o.metrics.webhooks.inc({ kind, result: phases.length > 0 ? 'accepted' : 'ignored' });
      const pipelines = [...new Set(phases.map((p) => p.pipeline))];
      if (pipelines.length > 0) {
        // reconcile in the background: the sender gets its answer at once
        o.reconciler.request(pipelines, { kind: 'webhook', source: kind }).catch(() => undefined);
      }
      const pushedBranches = proposalPhasesOn(o.system, changes);
      if (pushedBranches.length > 0 && o.proposalBaseMoved)
        o.proposalBaseMoved(pushedBranches).catch((e: unknown) =>
          o.logger.warn({ err: String(e) }, 'rebasing proposals after a push failed'),
        );
      return { matched: phases.map((p) => `${p.pipeline}/${p.phase}`) };
    },
  };
}
