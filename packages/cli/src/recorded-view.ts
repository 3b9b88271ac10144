import type { PromotionPlan } from '@gantry/core';
import { colorDiff } from './format-diff.js';
import { EXIT } from './io.js';
import { waitingText } from './commands/promote-waiting.js';

/** A promotion as both a server and the local store record it (the fields the CLI shows). */
export interface RecordedPromotion {
  readonly id: string;
  readonly pipeline: string;
  readonly phase: string;
  readonly state: string;
  readonly fromVersion?: string;
  readonly toVersion: string;
  readonly commitSha?: string;
  readonly reason: string;
  readonly trigger: { readonly kind: string; readonly rollbackOf?: string };
  readonly error?: { readonly code: string; readonly message: string };
  readonly gates?: readonly unknown[];
}

/** What `release` and `rollback` answer, the same in local and remote mode (and as `--json`). */
export type Recorded<P = RecordedPromotion> =
  | { readonly kind: 'in-sync'; readonly plan: PromotionPlan | { readonly kind: string } }
  /** Waiting for its gates, or (remote mode without --wait) queued for the server's workers. */
  | { readonly kind: 'queued'; readonly plan: PromotionPlan | { readonly kind: string }; readonly promotion: P }
  | { readonly kind: 'settled'; readonly plan: PromotionPlan | { readonly kind: string }; readonly promotion: P };

/** The words for what the promotion did: `released`, `rolled back`. */
export interface Verbs {
  readonly done: string;
  readonly queued: string;
}

export const RELEASE_VERBS: Verbs = { done: 'released', queued: 'queued release' };
export const ROLLBACK_VERBS: Verbs = { done: 'rolled back', queued: 'queued rollback' };

/** The text and exit code of a recorded release or rollback. */
export function describeRecorded(
  r: Recorded,
  verbs: Verbs,
  color: boolean,
): { out: string; err: string; code: number } {
  if (r.kind === 'in-sync') {
    const at = 'pipeline' in r.plan ? `${String(r.plan.pipeline)}/${String(r.plan.phase)}` : 'the phase';
    const version = r.plan.kind === 'in-sync' && 'current' in r.plan ? ` at ${r.plan.current.version}` : '';
    return { out: `${at} already runs that version${version}; nothing written\n`, err: '', code: EXIT.ok };
  }
  const p = r.promotion;
  const at = `${p.pipeline}/${p.phase}`;
  const move = `${p.fromVersion ?? '(none)'} -> ${p.toVersion}`;
  const reverts = p.trigger.rollbackOf ? ` (reverts promotion ${p.trigger.rollbackOf})` : '';
  if (p.state === 'waiting') return { out: waitingText(p, color), err: '', code: EXIT.ok };
  if (r.kind === 'queued') return { out: `${verbs.queued} ${p.id}: ${at} ${move}${reverts}\n`, err: '', code: EXIT.ok };
  if (p.state !== 'succeeded') {
    const why = p.error ? `: [${p.error.code}] ${p.error.message}` : '';
    return { out: '', err: `promotion ${p.id} ${p.state}${why}\n`, code: EXIT.failed };
  }
  const diff = r.plan.kind === 'promote' && 'diff' in r.plan ? colorDiff(r.plan.diff, color) : '';
  return {
    out:
      `${verbs.done} ${at}: ${move}${reverts}\n` +
      `  commit ${p.commitSha?.slice(0, 12) ?? '(none: already held)'}, promotion ${p.id}\n` +
      `  reason: ${p.reason}\n${diff}`,
    err: '',
    code: EXIT.ok,
  };
}
