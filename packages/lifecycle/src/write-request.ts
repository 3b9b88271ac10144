import type { Identity, PromoteOptions } from '@gantry/core';
import type { Promotion, Trigger } from '@gantry/store';
import type { LifecycleOptions } from './ports.js';

/** The commit author a request names (a person's Git identity), if any. */
export const authorOf = (t: Trigger): Identity | undefined => (t.kind === 'person' ? t.author : undefined);

/** Who asked, in one line: the commit's `Gantry-Actor` (the person, or the automation that did). */
export const actorOf = (t: Trigger): string =>
  t.kind === 'person'
    ? t.actor
    : t.kind === 'policy'
      ? `policy ${t.policy}`
      : t.kind === 'schedule'
        ? `schedule ${t.schedule}`
        : `webhook ${t.source}`;

/**
 * What the engine writes for a recorded promotion: its target, reason, who asked and why, the
 * links for a proposal. The same for a first write and for a proposal rebuilt on a moved branch,
 * so a rebase carries the same author and trailers.
 */
export function writeRequestOf(
  o: Pick<LifecycleOptions, 'promotionUrl' | 'proposalCommits'>,
  p: Promotion,
): PromoteOptions {
  const author = authorOf(p.trigger);
  const url = o.promotionUrl?.(p);
  return {
    target: p.target,
    reason: p.reason,
    actor: actorOf(p.trigger),
    ...(p.trigger.kind === 'person' && p.trigger.rollbackOf !== undefined ? { rollbackOf: p.trigger.rollbackOf } : {}),
    promotionId: p.id,
    ...(url ? { promotionUrl: url } : {}),
    ...(o.proposalCommits ? { proposalCommits: o.proposalCommits } : {}),
    ...(author ? { author } : {}),
  };
}
