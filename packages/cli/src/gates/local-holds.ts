import type { System } from '@gantry/core';
import { findPhase, findPipeline, GantryError, NotWritableError } from '@gantry/core';
import type { Engine } from '@gantry/core';
import type { Hold, Store } from '@gantry/store';

/** What a local pin, unpin, pause or resume needs: the system's names, its engine (the current version), the store. */
export interface LocalHoldDeps {
  readonly system: System;
  readonly engine: Pick<Engine, 'status'>;
  readonly store: Pick<Store, 'setHold' | 'releaseHold' | 'recordAudit'>;
  readonly actor: string;
}

const DIGEST = /^[a-z0-9]+:[a-f0-9]{32,}$/;

/** A hold is on a phase something promotes into: automation never writes a source phase. */
function holdablePhase(system: System, pipeline: string, phase: string): void {
  if (findPhase(findPipeline(system, pipeline), phase).promotesFrom.length === 0)
    throw new NotWritableError(pipeline, phase);
}

function requireReason(reason: string | undefined): string {
  const r = reason?.trim();
  if (!r)
    throw new GantryError('invalid_request', '[reason] say why: --reason <text> (shown with the hold, recorded)', {
      field: 'reason',
    });
  return r;
}

const where = (h: { pipeline: string; phase?: string | undefined }) =>
  h.phase === undefined ? h.pipeline : `${h.pipeline}/${h.phase}`;

const notHeld = (what: string, kind: Hold['kind']) =>
  new GantryError('not_found', `${what} is not ${kind === 'pin' ? 'pinned' : 'paused'}: nothing to release`);

async function audit(d: LocalHoldDeps, action: string, h: Hold, reason?: string): Promise<void> {
  await d.store.recordAudit({
    actor: d.actor,
    action,
    subject: where(h),
    detail: { hold: h.id, kind: h.kind, ...(h.digest ? { digest: h.digest } : {}), ...(reason ? { reason } : {}) },
  });
}

/**
 * Sets or releases a pin or a pause on the store, as the server's routes do (the same checks,
 * the same audit entries). A server on the same store sees it at its next request.
 */
export const localHolds = {
  async pin(d: LocalHoldDeps, q: { pipeline: string; phase: string; reason?: string; digest?: string }): Promise<Hold> {
    holdablePhase(d.system, q.pipeline, q.phase);
    const reason = requireReason(q.reason);
    if (q.digest !== undefined && !DIGEST.test(q.digest))
      throw new GantryError('invalid_request', `[digest] "${q.digest}" is not a digest such as sha256:…`, {
        field: 'digest',
      });
    // the version the phase holds now; a phase that cannot be read is still pinned (an incident is when one pins)
    const digest =
      q.digest ??
      (await d.engine.status(q.pipeline).catch(() => []))[0]?.phases.find((s) => s.phase === q.phase)?.digest;
    const hold = await d.store.setHold({
      pipeline: q.pipeline,
      phase: q.phase,
      kind: 'pin',
      actor: d.actor,
      reason,
      ...(digest ? { digest } : {}),
    });
    await audit(d, 'pin', hold, reason);
    return hold;
  },
  async pause(d: LocalHoldDeps, q: { pipeline: string; phase?: string; reason?: string }): Promise<Hold> {
    if (q.phase !== undefined) holdablePhase(d.system, q.pipeline, q.phase);
    else findPipeline(d.system, q.pipeline);
    const reason = requireReason(q.reason);
    const hold = await d.store.setHold({
      pipeline: q.pipeline,
      ...(q.phase !== undefined ? { phase: q.phase } : {}),
      kind: 'pause',
      actor: d.actor,
      reason,
    });
    await audit(d, 'pause', hold, reason);
    return hold;
  },
  async release(
    d: LocalHoldDeps,
    q: { pipeline: string; phase?: string; kind: Hold['kind']; reason?: string },
  ): Promise<Hold> {
    const p = findPipeline(d.system, q.pipeline);
    if (q.phase !== undefined) findPhase(p, q.phase);
    const hold = await d.store.releaseHold({
      pipeline: q.pipeline,
      ...(q.phase !== undefined ? { phase: q.phase } : {}),
      kind: q.kind,
      by: d.actor,
    });
    if (!hold) throw notHeld(q.phase === undefined ? `pipeline ${q.pipeline}` : `${q.pipeline}/${q.phase}`, q.kind);
    await audit(d, q.kind === 'pin' ? 'unpin' : 'resume', hold, q.reason?.trim() || undefined);
    return hold;
  },
};
