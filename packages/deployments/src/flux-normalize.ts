import { createHash } from 'node:crypto';
import type { DeploymentState, FluxDeploymentEvent, Revision } from './deployment-event.js';
import type { FluxEvent } from './flux-event.js';
import { parseRevision, withOrigin } from './revision.js';

/*
 * How Flux reports a deployment, and what Gantry makes of it.
 *
 * kustomize-controller names every event after the Ready condition's reason at that moment:
 *   Progressing + a change set ("Deployment/apps/web configured")  -> applied
 *   Progressing + "Health check passed in 12s"                     -> healthy
 *   ReconciliationSucceeded "Reconciliation finished in …"         -> healthy (Ready: applied, and the
 *                                     health checks passed when spec.wait or spec.healthChecks is set)
 *   HealthCheckFailed "health check failed after …"                -> degraded (applied, not healthy)
 *   ReconciliationFailed, BuildFailed, ArtifactFailed, PruneFailed, ValidationFailed … -> failed
 *   DependencyNotReady, HealthCheckCanceled, ProgressingWithRetry  -> progressing
 * helm-controller (>= v0.37, Flux 2.2) names the Helm action:
 *   InstallSucceeded, UpgradeSucceeded, TestSucceeded (Helm waits for the resources) -> healthy
 *   InstallFailed, UpgradeFailed, TestFailed, RollbackFailed, Uninstall* -> failed
 *   RollbackSucceeded, DriftCorrected (the named revision is running again) -> applied
 * Older helm-controller releases (Flux 2.0, 2.1) used the severity as the reason ("info", "error")
 * with messages such as "Helm upgrade succeeded"; those are read from the message.
 * Anything else falls back on the severity: error -> failed, info -> progressing.
 */

const BY_REASON: Readonly<Record<string, DeploymentState>> = {
  ReconciliationSucceeded: 'healthy',
  HealthCheckFailed: 'degraded',
  DriftCorrectionFailed: 'degraded',
  ReconciliationFailed: 'failed',
  BuildFailed: 'failed',
  ArtifactFailed: 'failed',
  PruneFailed: 'failed',
  ValidationFailed: 'failed',
  AccessDenied: 'failed',
  InvalidCELExpression: 'failed',
  FeatureGateDisabled: 'failed',
  DependencyNotReady: 'progressing',
  HealthCheckCanceled: 'progressing',
  ProgressingWithRetry: 'progressing',
  DriftDetected: 'progressing',
  InstallSucceeded: 'healthy',
  UpgradeSucceeded: 'healthy',
  TestSucceeded: 'healthy',
  InstallFailed: 'failed',
  UpgradeFailed: 'failed',
  TestFailed: 'failed',
  RollbackFailed: 'failed',
  UninstallSucceeded: 'failed',
  UninstallFailed: 'failed',
  RollbackSucceeded: 'applied',
  DriftCorrected: 'applied',
};

const HEALTH_PASSED = /^Health check passed\b/;
// One line of a kustomize-controller change set: `Kind/namespace/name action` or `Kind/name action`.
const CHANGE_SET_LINE = /^\S+\/\S+ (created|configured|unchanged|deleted|skipped)$/;

/** The state a Flux event reports, from its reason (and, for the reasons that need it, its message). */
export function fluxState(
  event: Pick<FluxEvent, 'reason' | 'severity' | 'message' | 'involvedObject'>,
): DeploymentState {
  const { reason, severity, message } = event;
  if (reason === 'Progressing') {
    if (HEALTH_PASSED.test(message)) return 'healthy';
    // A Kustomization emits Progressing events for what it applied or pruned; health is not known yet.
    return event.involvedObject.kind === 'Kustomization' && isChangeSet(message) ? 'applied' : 'progressing';
  }
  const known = BY_REASON[reason];
  if (known) return known;
  if (reason === 'info' || reason === 'error') return legacyState(severity, message);
  return severity === 'error' ? 'failed' : 'progressing';
}

function legacyState(severity: 'info' | 'error', message: string): DeploymentState {
  if (severity === 'error') return /health check failed/i.test(message) ? 'degraded' : 'failed';
  if (/^Helm (install|upgrade|test) succeeded/.test(message)) return 'healthy';
  if (/^Reconciliation finished\b/.test(message) || HEALTH_PASSED.test(message)) return 'healthy';
  if (/^Helm rollback .*succeeded/.test(message)) return 'applied';
  if (isChangeSet(message)) return 'applied';
  return 'progressing';
}

function isChangeSet(message: string): boolean {
  const lines = message.split('\n').filter((l) => l.trim() !== '');
  return lines.length > 0 && lines.every((l) => CHANGE_SET_LINE.test(l.trim()));
}

/**
 * Metadata keys without their API group: notification-controller >= v1.5 (Flux 2.5) strips
 * `<group>/` itself, older releases send `kustomize.toolkit.fluxcd.io/revision` and friends.
 * When both forms are present the prefixed one wins, as it does in notification-controller.
 */
export function normalizeFluxMetadata(
  metadata: Readonly<Record<string, string>> | null | undefined,
): Record<string, string> {
  const plain: Record<string, string> = {};
  const prefixed: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    const slash = key.lastIndexOf('/');
    if (slash > 0 && key.slice(0, slash).endsWith('.fluxcd.io')) prefixed[key.slice(slash + 1)] = value;
    else plain[key] = value;
  }
  return { ...plain, ...prefixed };
}

/** The revision an event concerns: `revision`, completed by `originRevision`, `oci-digest` and `commit`. */
export function fluxRevision(metadata: Readonly<Record<string, string>>): Revision | undefined {
  const raw = metadata.revision ?? metadata.originRevision ?? metadata.commit;
  if (raw === undefined || raw.trim() === '') return undefined;
  let revision = parseRevision(raw);
  if (metadata.originRevision !== undefined && raw !== metadata.originRevision) {
    revision = withOrigin(revision, metadata.originRevision);
  }
  const ociDigest = metadata['oci-digest'];
  if (revision.digest === undefined && ociDigest !== undefined) revision = { ...revision, digest: ociDigest };
  const commit = metadata.commit;
  if (revision.commit === undefined && commit !== undefined && /^[0-9a-f]{7,64}$/i.test(commit)) {
    revision = { ...revision, commit: commit.toLowerCase() };
  }
  return revision;
}

/** Turns a validated Flux event into Gantry's {@link FluxDeploymentEvent}. Pure. */
export function normalizeFluxEvent(event: FluxEvent): FluxDeploymentEvent {
  const metadata = normalizeFluxMetadata(event.metadata);
  const revision = fluxRevision(metadata);
  const { kind, namespace, name } = event.involvedObject;
  return {
    deployer: 'flux',
    object: { kind, namespace, name },
    ...(revision ? { revision } : {}),
    state: fluxState(event),
    message: event.message,
    reason: event.reason,
    severity: event.severity,
    occurredAt: new Date(event.timestamp),
    ...(event.reportingController ? { controller: event.reportingController } : {}),
    metadata,
    idempotencyKey: fluxIdempotencyKey(event, revision),
  };
}

/*
 * Flux events carry no id. The key is derived from what makes a report unique: the object, the
 * revision, the reason, the timestamp, and the message. The message is needed because timestamps
 * have one-second precision and kustomize-controller can send two Progressing events for one
 * revision in the same second (the change set, then "Health check passed").
 */
function fluxIdempotencyKey(event: FluxEvent, revision: Revision | undefined): string {
  const { kind, namespace, name } = event.involvedObject;
  const parts = [kind, namespace, name, revision?.raw ?? '', event.reason, event.timestamp, event.message];
  return `flux:${createHash('sha256').update(JSON.stringify(parts)).digest('hex')}`;
}
