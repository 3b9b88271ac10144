import { createHash } from 'node:crypto';
import { GantryError } from '@gantry/core';
import type { DeployerRef } from './deployer-ref.js';
import { FLUX_SIGNATURE_HEADER, signFluxBody } from './flux-signature.js';
import { goJson, sortedRecord } from './go-json.js';

/*
 * The requests notification-controller sends a `generic` / `generic-hmac` Provider, for the
 * sandbox to play Flux (`gantry sandbox deploy`) and for tests. Shapes follow the controllers:
 * kustomize-controller reports the applied change set (reason Progressing), then
 * ReconciliationSucceeded or HealthCheckFailed / ReconciliationFailed; helm-controller reports
 * UpgradeSucceeded or UpgradeFailed. The body is encoded like Go's json.Marshal of Flux's Event.
 */

export type FluxDeployerRef = Extract<DeployerRef, { kind: 'flux-kustomization' | 'flux-helmrelease' }>;

export interface FluxEventSpec {
  readonly ref: FluxDeployerRef;
  /** The config-repository commit the source reconciled (40 hex). */
  readonly commit: string;
  readonly branch: string;
  /** true: applied and healthy; false: see `failure`. */
  readonly ok: boolean;
  /** Kustomization failures: a health check timing out (degraded, the default) or the apply failing. */
  readonly failure?: 'health-check' | 'reconcile';
  /** Replaces the controller's message of the final event. */
  readonly message?: string;
  /** When the reconciliation finished. */
  readonly time: Date;
  /** HelmRelease chart version; default `0.1.0+<first 12 of commit>`, as a chart built from Git with reconcileStrategy: Revision. */
  readonly chartVersion?: string;
  /** The Provider Secret's `token`: signs the body (`generic-hmac`). Without it the request is a `generic` one. */
  readonly secret?: string;
  /** Metadata keys with their API group, as notification-controller sent them before v1.5 (Flux 2.5). */
  readonly prefixedMetadata?: boolean;
}

/** A request as a deployer would send it: POST this body with these headers. */
export interface DeployerRequest {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

const CONTROLLERS = {
  'flux-kustomization': {
    kind: 'Kustomization',
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    group: 'kustomize.toolkit.fluxcd.io',
    controller: 'kustomize-controller',
  },
  'flux-helmrelease': {
    kind: 'HelmRelease',
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    group: 'helm.toolkit.fluxcd.io',
    controller: 'helm-controller',
  },
} as const;

interface EventParts {
  readonly severity: 'info' | 'error';
  readonly reason: string;
  readonly message: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly time: Date;
}

/** The event that settles one reconciliation of `spec.commit`: healthy, or failed/degraded. */
export function fluxEventFor(spec: FluxEventSpec): DeployerRequest {
  const events = fluxEventsFor(spec);
  const last = events[events.length - 1];
  if (!last) throw new Error('unreachable: a reconciliation always ends with an event');
  return last;
}

/**
 * Every request one reconciliation of `spec.commit` sends, in order: for a Kustomization the
 * change set (applied) one second before the final event, for a HelmRelease the Helm action's result.
 */
export function fluxEventsFor(spec: FluxEventSpec): DeployerRequest[] {
  assertCommit(spec.commit);
  const c = CONTROLLERS[spec.ref.kind];
  const key = (k: string) => (spec.prefixedMetadata ? `${c.group}/${k}` : k);
  const { namespace, name } = spec.ref;
  const parts: EventParts[] = [];
  if (spec.ref.kind === 'flux-kustomization') {
    const revision = `${spec.branch}@sha1:${spec.commit}`;
    const applied = new Date(spec.time.getTime() - 1000);
    parts.push({
      severity: 'info',
      reason: 'Progressing',
      message: `Deployment/${namespace}/${name} configured\nService/${namespace}/${name} unchanged`,
      metadata: { [key('revision')]: revision },
      time: applied,
    });
    if (spec.ok) {
      parts.push({
        severity: 'info',
        reason: 'ReconciliationSucceeded',
        message: spec.message ?? 'Reconciliation finished in 1.2s, next run in 10m0s',
        metadata: { [key('revision')]: revision, [key('commit_status')]: 'update' },
        time: spec.time,
      });
    } else if ((spec.failure ?? 'health-check') === 'health-check') {
      parts.push({
        severity: 'error',
        reason: 'HealthCheckFailed',
        message:
          spec.message ??
          `health check failed after 30s: timeout waiting for: [Deployment/${namespace}/${name} status: 'InProgress']`,
        metadata: { [key('revision')]: revision },
        time: spec.time,
      });
    } else {
      parts.push({
        severity: 'error',
        reason: 'ReconciliationFailed',
        message:
          spec.message ??
          `Deployment/${namespace}/${name} dry-run failed: Deployment.apps "${name}" is invalid: spec.template.spec.containers[0].image: Required value`,
        metadata: { [key('revision')]: revision },
        time: spec.time,
      });
    }
  } else {
    const version = spec.chartVersion ?? `0.1.0+${spec.commit.slice(0, 12)}`;
    const metadata: Record<string, string> = { [key('revision')]: version };
    // helm-controller >= v0.37 adds a token (the values digest); notification-controller >= v1.5 drops it.
    if (spec.prefixedMetadata) metadata[key('token')] = `sha256:${hex(`${namespace}/${name}/${version}`)}`;
    parts.push(
      spec.ok
        ? {
            severity: 'info',
            reason: 'UpgradeSucceeded',
            message:
              spec.message ??
              `Helm upgrade succeeded for release ${namespace}/${name}.v2 with chart ${name}@${version}`,
            metadata,
            time: spec.time,
          }
        : {
            severity: 'error',
            reason: 'UpgradeFailed',
            message:
              spec.message ??
              `Helm upgrade failed for release ${namespace}/${name} with chart ${name}@${version}: context deadline exceeded`,
            metadata,
            time: spec.time,
          },
    );
  }
  return parts.map((p) => request(spec, p));
}

function request(spec: FluxEventSpec, p: EventParts): DeployerRequest {
  const c = CONTROLLERS[spec.ref.kind];
  const { namespace, name } = spec.ref;
  // Field order of Flux's Event and of Kubernetes' ObjectReference: Go marshals struct fields in order.
  const event = {
    involvedObject: {
      kind: c.kind,
      namespace,
      name,
      uid: uidFor(spec.ref),
      apiVersion: c.apiVersion,
      resourceVersion: String(Math.floor(p.time.getTime() / 1000) % 1_000_000),
    },
    severity: p.severity,
    timestamp: p.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    message: p.message,
    reason: p.reason,
    metadata: sortedRecord(p.metadata),
    reportingController: c.controller,
    reportingInstance: `${c.controller}-${hex(c.controller).slice(0, 9)}-${hex(namespace).slice(0, 5)}`,
  };
  const body = goJson(event);
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'Gotk-Component': c.controller,
      'User-Agent': 'Go-http-client/1.1',
      ...(spec.secret !== undefined ? { [FLUX_SIGNATURE_HEADER]: signFluxBody(body, spec.secret) } : {}),
    },
  };
}

/** A stable UUID-shaped uid per object, as Kubernetes would have given it. */
function uidFor(ref: FluxDeployerRef): string {
  const h = hex(`${ref.kind}/${ref.namespace}/${ref.name}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export function assertCommit(commit: string): void {
  if (!/^[0-9a-f]{40}$/.test(commit)) {
    throw new GantryError('invalid_request', `commit must be 40 lower-case hex characters, got "${commit}"`, {
      commit,
    });
  }
}
