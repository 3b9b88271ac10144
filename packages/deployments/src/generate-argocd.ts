import { createHash } from 'node:crypto';
import { GantryError } from '@gantry/core';
import { ARGOCD_TOKEN_HEADER } from './argocd-auth.js';
import { ARGOCD_WEBHOOK_BODY_TEMPLATE } from './argocd-template.js';
import type { DeployerRef } from './deployer-ref.js';
import type { DeployerRequest } from './generate-flux.js';
import { assertCommit } from './generate-flux.js';
import { goJson } from './go-json.js';

/*
 * The request Argo CD Notifications sends through the webhook service docs/argocd.md configures:
 * an Application (in the shape of the Kubernetes object Argo CD keeps) rendered through Gantry's
 * template, with the secret header. For `gantry sandbox deploy` and tests.
 */

export type ArgoCdDeployerRef = Extract<DeployerRef, { kind: 'argocd-application' }>;

export interface ArgoCdEventSpec {
  readonly ref: ArgoCdDeployerRef;
  /** The commit Argo CD synced (40 hex). */
  readonly commit: string;
  /** The branch the Application tracks (`spec.source.targetRevision`). */
  readonly branch?: string;
  /** true: synced and healthy (on-deployed); false: see `failure`. */
  readonly ok: boolean;
  /** What went wrong when not ok: the sync failed (on-sync-failed, the default) or health degraded (on-health-degraded). */
  readonly failure?: 'sync-failed' | 'degraded';
  /** The operation's (or, when degraded, the health's) message. */
  readonly message?: string;
  /** When the sync finished (or health changed). */
  readonly time: Date;
  /** The shared secret: sent as `X-Gantry-Token`. */
  readonly token?: string;
  readonly repoURL?: string;
  readonly path?: string;
  readonly destination?: { readonly server?: string; readonly namespace?: string };
  /** `context.argocdUrl` of argocd-notifications-cm. */
  readonly argocdUrl?: string;
}

/** Renders the notification for `spec`: the body Argo CD would POST, and its headers. */
export function argoEventFor(spec: ArgoCdEventSpec): DeployerRequest {
  assertCommit(spec.commit);
  const app = applicationFor(spec);
  const body = renderArgoCdTemplate(ARGOCD_WEBHOOK_BODY_TEMPLATE, {
    app,
    context: spec.argocdUrl !== undefined ? { argocdUrl: spec.argocdUrl } : {},
  });
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'Go-http-client/1.1',
      ...(spec.token !== undefined ? { [ARGOCD_TOKEN_HEADER]: spec.token } : {}),
    },
  };
}

/** The Application object (as Argo CD stores it) after a sync of `spec.commit`. */
export function applicationFor(spec: ArgoCdEventSpec): Record<string, unknown> {
  const t = spec.time.getTime();
  const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const failure = spec.ok ? undefined : (spec.failure ?? 'sync-failed');
  const synced = failure !== 'sync-failed';
  const source = {
    repoURL: spec.repoURL ?? 'https://github.com/argoproj/argocd-example-apps.git',
    path: spec.path ?? spec.ref.name,
    targetRevision: spec.branch ?? 'HEAD',
  };
  const operationState = {
    operation: { sync: { revision: spec.commit }, initiatedBy: { automated: true } },
    phase: synced ? 'Succeeded' : 'Failed',
    message: !synced
      ? (spec.message ?? 'one or more objects failed to apply, reason: Deployment.apps "app" is invalid')
      : failure === undefined
        ? (spec.message ?? 'successfully synced (all tasks run)')
        : 'successfully synced (all tasks run)',
    startedAt: at(t - 3000),
    finishedAt: at(failure === 'degraded' ? t - 60_000 : t),
    syncResult: { revision: spec.commit, source },
  };
  const health =
    failure === 'degraded'
      ? { status: 'Degraded', lastTransitionTime: at(t), ...(spec.message ? { message: spec.message } : {}) }
      : // A failed sync leaves the previous version running, and healthy.
        { status: 'Healthy', lastTransitionTime: at(synced ? t : t - 3_600_000) };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: spec.ref.name, namespace: spec.ref.namespace ?? 'argocd', uid: uidFor(spec.ref) },
    spec: {
      project: 'default',
      source,
      destination: {
        server: spec.destination?.server ?? 'https://kubernetes.default.svc',
        namespace: spec.destination?.namespace ?? spec.ref.name,
      },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
    status: {
      sync: { status: synced ? 'Synced' : 'OutOfSync', revision: spec.commit, comparedTo: { source } },
      health,
      operationState,
    },
  };
}

/**
 * Renders a template made only of text and `{{toJson .path.to.value}}` actions, as Argo CD's Go
 * templates do: a missing value renders `null`, values are encoded like Sprig's toJson (Go's
 * json.Marshal, map keys sorted). Anything else in `{{ }}` is refused rather than misrendered.
 */
export function renderArgoCdTemplate(template: string, vars: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{\{(.*?)\}\}/g, (action: string, inner: string) => {
    const m = /^\s*toJson\s+\.([A-Za-z0-9_.]+)\s*$/.exec(inner);
    if (!m?.[1]) throw new GantryError('internal', `cannot render template action ${action}`);
    let value: unknown = vars;
    for (const key of m[1].split('.')) {
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
    return goJson(value ?? null, { sortKeys: true });
  });
}

/** A stable UUID-shaped uid per Application, as Kubernetes would have given it. */
function uidFor(ref: ArgoCdDeployerRef): string {
  const h = createHash('sha256')
    .update(`Application/${ref.namespace ?? 'argocd'}/${ref.name}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
