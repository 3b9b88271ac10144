import { findPhase, findPipeline, GantryError } from '@gantry/core';
import type { Gate } from '@gantry/gates';
import { roleRank } from '@gantry/gates';
import type { GateOverride, Promotion } from '@gantry/store';
import type { LifecycleOptions } from './ports.js';
import { reconsider } from './waiting.js';

/** An override names a gate the phase does not have, or one that is not a window. */
export class UnknownGateError extends GantryError {
  constructor(pipeline: string, phase: string, name: string, windows: readonly string[], kind?: string) {
    const known = windows.length > 0 ? windows.join(', ') : '(none: the phase has no window gate)';
    super(
      'unknown_gate',
      kind === undefined
        ? `${pipeline}/${phase} has no gate "${name}"; its window gates: ${known}`
        : `gate "${name}" of ${pipeline}/${phase} is a ${kind} gate: only window gates (closed windows, freezes) are overridden; its window gates: ${known}`,
      { pipeline, phase, name, known: windows, ...(kind !== undefined ? { kind } : {}) },
    );
  }
}

/** What a person asks: an override of one window gate of a phase, for a version or any. */
export interface OverrideRequest {
  readonly pipeline: string;
  readonly phase: string;
  readonly gate: string;
  readonly actor: string;
  readonly role: string;
  readonly reason: string;
  /** The version it is for, by digest; wins over `version`. */
  readonly digest?: string;
  /** The version it is for, as people read it (a tag): found among the pipeline's promotions or the upstream's version. */
  readonly version?: string;
  /** When it stops counting (ISO 8601); absent: never. */
  readonly expiresAt?: string;
}

/** The override as recorded, and the phase's waiting promotions as its gates now judge them. */
export interface Overridden {
  readonly override: GateOverride;
  readonly promotions: readonly Promotion[];
}

type Deps = Pick<LifecycleOptions, 'engine' | 'store' | 'clock' | 'signatures' | 'sourceFacts' | 'logger'>;

const DIGEST = /^[a-z0-9]+:[a-f0-9]{32,}$/;

const invalid = (field: string, message: string) =>
  new GantryError('invalid_request', `[${field}] ${message}`, { field });

/** The digest of a version named as people read it: a promotion of the pipeline carried it, or the upstream holds it now. */
async function digestOf(d: Deps, pipeline: string, phase: string, version: string): Promise<string> {
  if (DIGEST.test(version)) return version;
  let cursor: string | undefined;
  for (let i = 0; i < 5; i++) {
    const page = await d.store.listPromotions({ pipeline, limit: 200, ...(cursor ? { cursor } : {}) });
    const hit = page.items.find((p) => p.toVersion === version);
    if (hit) return hit.toDigest;
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  const plan = await d.engine.plan(pipeline, phase).catch(() => undefined);
  if (plan?.kind === 'promote' && plan.target.version === version) return plan.target.digest;
  throw new GantryError(
    'not_found',
    `[version] ${pipeline} has no version "${version}" Gantry has seen; name one a promotion carried or the upstream holds, or its digest`,
    { field: 'version' },
  );
}

/**
 * Records an admin's override of a window gate (a closed window or a freeze) with a reason,
 * then judges the phase's waiting promotions again, so one the window held goes now. The
 * caller checks the role first (the API answers 403); this refuses a non-admin too, since
 * the gates would not count it.
 */
export async function overrideGate(d: Deps, q: OverrideRequest, publish: (p: Promotion) => void): Promise<Overridden> {
  const phase = findPhase(findPipeline(d.engine.system, q.pipeline), q.phase);
  const gates = (phase.gates ?? []) as unknown as readonly Gate[];
  const windows = gates.filter((g) => g.kind === 'window').map((g) => g.name);
  const gate = gates.find((g) => g.name === q.gate);
  if (gate?.kind !== 'window') throw new UnknownGateError(q.pipeline, q.phase, q.gate, windows, gate?.kind);
  if (roleRank(q.role) < roleRank('admin'))
    throw new GantryError('forbidden', `overriding a window gate needs role admin; ${q.actor} has ${q.role}`, {
      need: 'admin',
      have: q.role,
    });
  const reason = q.reason.trim();
  if (reason === '') throw invalid('reason', 'an override says why: it is shown on the verdict and in the audit log');
  const now = (d.clock ?? (() => new Date()))();
  if (q.expiresAt !== undefined) {
    const at = Date.parse(q.expiresAt);
    if (!Number.isFinite(at)) throw invalid('expiresAt', `"${q.expiresAt}" is not an ISO 8601 date-time`);
    if (at <= now.getTime()) throw invalid('expiresAt', `${q.expiresAt} is already past`);
  }
  const digest = q.digest ?? (q.version !== undefined ? await digestOf(d, q.pipeline, q.phase, q.version) : undefined);
  const override = await d.store.recordOverride({
    pipeline: q.pipeline,
    phase: q.phase,
    gate: q.gate,
    actor: q.actor,
    role: q.role,
    reason,
    ...(digest !== undefined ? { digest } : {}),
    ...(q.version !== undefined && q.version !== digest ? { version: q.version } : {}),
    ...(q.expiresAt !== undefined ? { expiresAt: q.expiresAt } : {}),
  });
  // at once, for this phase: not left to the timer, nor to a judgement begun before the override
  const waiting = (await d.store.waitingPromotions()).filter((p) => p.pipeline === q.pipeline && p.phase === q.phase);
  const promotions: Promotion[] = [];
  for (const p of waiting) {
    promotions.push(
      await reconsider(d, p, publish).catch((e: unknown) => {
        d.logger.warn({ promotion: p.id, err: String(e) }, 'judging a waiting promotion after an override failed');
        return p;
      }),
    );
  }
  return { override, promotions };
}
