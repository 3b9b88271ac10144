import type { Logger, System } from '@gantry/core';
import type { Metrics } from '../metrics.js';
import { ApiError } from '../problem.js';
import type { Reconciler } from '../reconciler.js';
import type { Change } from './payloads.js';
import { gitPushOf, registryChanges } from './payloads.js';
import { verifySignature } from './signature.js';

export type WebhookKind = 'registry' | 'git';

export interface WebhookResult {
  /** `pipeline/phase` of every phase the event concerns. */
  readonly matched: readonly string[];
}

export interface WebhookHandler {
  handle(
    kind: WebhookKind,
    rawBody: string,
    header: (name: string) => string | undefined,
    options?: { registry?: string },
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
  readonly metrics: Metrics;
  readonly logger: Logger;
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

/**
 * Registry and Git push webhooks: signature first (the server's secret, or the secret of
 * the registry or repository the payload names; nothing is acted on before it passes),
 * then the phases concerned reconcile, coalesced per pipeline.
 */
export function createWebhookHandler(o: WebhookHandlerOptions): WebhookHandler {
  return {
    async handle(kind, rawBody, header, options = {}) {
      const reject = (message: string): never => {
        o.metrics.webhooks.inc({ kind, result: 'rejected' });
        o.logger.warn({ kind }, message);
        throw new ApiError('unauthorized', message);
      };
      // parsing decides nothing yet: it only tells whose secret signs this payload
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      let changes: Change[] = [];
      const secrets: string[] = [];
      if (kind === 'registry') {
        const own = options.registry !== undefined ? o.sourceSecrets?.registries[options.registry] : undefined;
        if (own) secrets.push(own);
      } else {
        const push = gitPushOf(body);
        if (push) {
          changes = Object.entries(o.repositoryUrls)
            .filter(([, url]) => repositoryMatches(url, push.identities))
            .map(([name]) => ({ kind: 'git' as const, repository: name, branch: push.branch, paths: push.paths }));
          for (const c of changes) {
            const own = c.kind === 'git' ? o.sourceSecrets?.repositories[c.repository] : undefined;
            if (own) secrets.push(own);
          }
        }
      }
      if (o.secret) secrets.push(o.secret);
      if (secrets.length === 0)
        reject('webhooks are disabled: set server.webhookSecret (or a source webhookSecret) in gantry.yaml');
      if (!secrets.some((s) => verifySignature(s, rawBody, header))) reject('bad or missing webhook signature');
      if (body === undefined) throw new ApiError('invalid_request', 'webhook body is not JSON');
      if (kind === 'registry') {
        const found = registryChanges(body);
        if (!found)
          throw new ApiError(
            'invalid_request',
            'not a registry notification ({events:[...]} or {repository, tag, digest})',
          );
        changes = found;
      } else if (changes.length === 0) {
        o.metrics.webhooks.inc({ kind, result: 'ignored' });
        return { matched: [] };
      }
      for (const c of changes) if (c.kind === 'git') o.remoteChanged?.(c.repository);
      const phases = matchPhases(o.system, changes, options.registry);
      o.metrics.webhooks.inc({ kind, result: phases.length > 0 ? 'accepted' : 'ignored' });
      const pipelines = [...new Set(phases.map((p) => p.pipeline))];
      if (pipelines.length > 0) {
        // reconcile in the background: the sender gets its answer at once
        o.reconciler.request(pipelines, { kind: 'webhook', source: kind }).catch(() => undefined);
      }
      return { matched: phases.map((p) => `${p.pipeline}/${p.phase}`) };
    },
  };
}
