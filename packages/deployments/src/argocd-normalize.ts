import { createHash } from 'node:crypto';
import type { ArgoCdEvent } from './argocd-event.js';
import type { ArgoCdDeploymentEvent, DeploymentState, Revision } from './deployment-event.js';
import { parseRevision } from './revision.js';

/*
 * Argo CD sends no trigger name, so the state comes from the Application's own fields, first
 * match wins:
 *   operationState.phase Failed | Error            -> failed     (on-sync-failed)
 *   health.status Degraded                         -> degraded   (on-health-degraded)
 *   operationState.phase Running | Terminating     -> progressing (on-sync-running)
 *   health.status Healthy and sync.status Synced,
 *     or Healthy after a Succeeded operation       -> healthy    (on-deployed)
 *   operationState.phase Succeeded, or Synced      -> applied    (on-sync-succeeded while Progressing)
 *   otherwise (OutOfSync, never synced)            -> progressing
 */

export function argoCdState(app: ArgoCdEvent['app']): DeploymentState {
  const phase = app.status.operationState?.phase ?? undefined;
  const health = app.status.health?.status;
  const sync = app.status.sync.status;
  if (phase === 'Failed' || phase === 'Error') return 'failed';
  if (health === 'Degraded') return 'degraded';
  if (phase === 'Running' || phase === 'Terminating') return 'progressing';
  if (health === 'Healthy' && (sync === 'Synced' || phase === 'Succeeded')) return 'healthy';
  if (phase === 'Succeeded' || sync === 'Synced') return 'applied';
  return 'progressing';
}

export interface ArgoCdNormalizeOptions {
  /** When Gantry received the notification: the time used when the Application carries none. */
  readonly receivedAt: Date;
}

/** Turns a validated Argo CD notification into Gantry's {@link ArgoCdDeploymentEvent}. Pure. */
export function normalizeArgoCdEvent(event: ArgoCdEvent, options: ArgoCdNormalizeOptions): ArgoCdDeploymentEvent {
  const { app } = event;
  const op = app.status.operationState ?? undefined;
  const health = app.status.health ?? undefined;
  const state = argoCdState(app);
  const phase = op?.phase ?? undefined;

  // The catalog triggers fire once per operationState.syncResult.revision: that is the revision
  // the last sync applied (or tried to). Before any sync, the revision compared to is all there is.
  const single = nonEmpty(op?.syncResult?.revision) ?? nonEmpty(app.status.sync.revision);
  const many = nonEmptyList(op?.syncResult?.revisions) ?? nonEmptyList(app.status.sync.revisions);
  const sourceRevisions = many?.map(parseRevision);
  const revision: Revision | undefined = single ? parseRevision(single) : sourceRevisions?.[0];

  const occurredAt = occurredAtFor(state, event, options.receivedAt);
  const message =
    nonEmpty(state === 'degraded' ? health?.message : undefined) ?? nonEmpty(op?.message) ?? describe(app);
  const reason = [phase, app.status.sync.status, health?.status].filter((p) => p !== undefined).join('/');
  const destination = app.spec?.destination ?? undefined;
  const argocdUrl = nonEmpty(event.context?.argocdUrl);
  const namespace = nonEmpty(app.metadata.namespace) ?? '';
  return {
    deployer: 'argocd',
    object: { kind: 'Application', namespace, name: app.metadata.name },
    ...(revision ? { revision } : {}),
    ...(sourceRevisions && sourceRevisions.length > 1 ? { sourceRevisions } : {}),
    state,
    message,
    reason,
    occurredAt,
    sync: { status: app.status.sync.status },
    health: {
      status: health?.status ?? 'Unknown',
      ...(nonEmpty(health?.message) ? { message: health?.message ?? '' } : {}),
    },
    ...(phase ? { operationPhase: phase } : {}),
    ...(destination ? { destination: compact(destination) } : {}),
    // The link the Argo CD notifications catalog uses.
    ...(argocdUrl ? { url: `${argocdUrl.replace(/\/+$/, '')}/applications/${app.metadata.name}` } : {}),
    idempotencyKey: argoCdIdempotencyKey(event, state),
  };
}

/** When the reported state began: the operation's end for sync results, the health transition for health. */
function occurredAtFor(state: DeploymentState, event: ArgoCdEvent, receivedAt: Date): Date {
  const op = event.app.status.operationState ?? undefined;
  const finished = date(op?.finishedAt);
  const started = date(op?.startedAt);
  const healthChanged = date(event.app.status.health?.lastTransitionTime);
  switch (state) {
    case 'progressing':
      return started ?? receivedAt;
    case 'failed':
    case 'applied':
      return finished ?? started ?? receivedAt;
    case 'degraded':
    case 'healthy': {
      // Healthy or degraded from whichever happened last: the sync finishing or the health changing.
      const times = [finished, healthChanged].filter((d): d is Date => d !== undefined);
      return times.length > 0 ? new Date(Math.max(...times.map((d) => d.getTime()))) : receivedAt;
    }
  }
}

/*
 * Argo CD retries a webhook with the same body, and two triggers that fire on the same state
 * (on-deployed and on-sync-succeeded once healthy) render the same body: both give the same key.
 * A later report of the same state (a new degradation, a new sync) differs in its times.
 */
function argoCdIdempotencyKey(event: ArgoCdEvent, state: DeploymentState): string {
  const { app } = event;
  const op = app.status.operationState ?? undefined;
  const parts = [
    app.metadata.namespace ?? '',
    app.metadata.name,
    state,
    op?.syncResult?.revision ?? app.status.sync.revision ?? '',
    (op?.syncResult?.revisions ?? app.status.sync.revisions ?? []).join(','),
    op?.phase ?? '',
    op?.startedAt ?? '',
    op?.finishedAt ?? '',
    app.status.sync.status,
    app.status.health?.status ?? '',
    app.status.health?.lastTransitionTime ?? '',
  ];
  return `argocd:${createHash('sha256').update(JSON.stringify(parts)).digest('hex')}`;
}

function describe(app: ArgoCdEvent['app']): string {
  const phase = app.status.operationState?.phase;
  return `Argo CD reports sync ${app.status.sync.status}, health ${app.status.health?.status ?? 'Unknown'}${phase ? `, last operation ${phase}` : ''}`;
}

function nonEmpty(s: string | null | undefined): string | undefined {
  return s === null || s === undefined || s.trim() === '' ? undefined : s;
}

function nonEmptyList(list: readonly string[] | null | undefined): string[] | undefined {
  const kept = (list ?? []).filter((s) => s.trim() !== '');
  return kept.length > 0 ? kept : undefined;
}

function date(s: string | null | undefined): Date | undefined {
  return s ? new Date(s) : undefined;
}

function compact(d: { server?: string | null; name?: string | null; namespace?: string | null }) {
  return {
    ...(nonEmpty(d.server) ? { server: d.server ?? '' } : {}),
    ...(nonEmpty(d.name) ? { name: d.name ?? '' } : {}),
    ...(nonEmpty(d.namespace) ? { namespace: d.namespace ?? '' } : {}),
  };
}
