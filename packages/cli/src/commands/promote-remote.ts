import type { GantryClient } from '@gantry/client';
import type { Duration } from '@gantry/core';
import { GantryError, parseDuration } from '@gantry/core';
import type { ApiPromotionDetail } from '@gantry/server';
import { colorDiff } from '../format-diff.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { progress } from '../progress.js';
import type { PromoteFlags } from './promote.js';
import { waitingReason, waitingText } from './promote-waiting.js';

const SETTLED = new Set(['succeeded', 'failed', 'superseded']);

/** Whether a promotion has reached its end (a `follow` with a timeout may return before). */
export const isSettled = (p: { readonly state: string }) => SETTLED.has(p.state);

/**
 * Polls a promotion until it settles, showing each state it passes through (while its gates
 * hold it: what they wait for). With `timeout`, returns the last state seen once it passes,
 * settled or not.
 */
export async function follow(
  io: Io,
  client: GantryClient,
  id: string,
  o: { readonly timeout?: Duration } = {},
): Promise<ApiPromotionDetail> {
  const p = progress(io, `promotion ${id}: queued`);
  const until = o.timeout ? Date.now() + o.timeout.ms : undefined;
  try {
    for (;;) {
      const detail = await client.getPromotion(id);
      p.text(
        `promotion ${id}: ${detail.state}${detail.state === 'waiting' ? ` on ${waitingReason(detail)}` : ''}${detail.state === 'proposed' && detail.proposal ? ` ${detail.proposal.url}: waiting for it to be merged` : ''}`,
      );
      if (SETTLED.has(detail.state)) return detail;
      if (until !== undefined && Date.now() >= until) return detail;
      await new Promise((r) =>
        setTimeout(r, until === undefined ? 250 : Math.min(250, Math.max(0, until - Date.now()))),
      );
    }
  } finally {
    p.done();
  }
}

/** `gantry promote` against a server: queued at once, and followed to its end with --wait. */
export async function remotePromote(
  io: Io,
  client: GantryClient,
  pipeline: string,
  phase: string,
  o: PromoteFlags,
): Promise<number> {
  const at = `${pipeline}/${phase}`;
  if (o.dryRun) {
    const plan = await client.plan(pipeline, phase);
    io.out(
      o.json
        ? toJson({ kind: 'dry-run', plan })
        : plan.kind === 'promote'
          ? `would promote ${at}: ${plan.current?.version ?? '(none)'} -> ${plan.target.version}\n  dry run: nothing written\n${colorDiff(plan.diff, io.color)}`
          : `${at}: ${plan.kind}\n`,
    );
    return plan.kind === 'blocked' ? EXIT.blocked : EXIT.ok;
  }
  const timeout = o.timeout === undefined ? undefined : timeoutOf(o.timeout);
  const reason = o.reason?.trim();
  const result = await client.promote(pipeline, phase, reason ? { reason } : {});
  if (result.kind === 'in-sync') {
    io.out(o.json ? toJson(result) : `${at} is already in sync; nothing written\n`);
    return EXIT.ok;
  }
  const { promotion, plan } = result;
  if (!o.wait) {
    io.out(
      o.json
        ? toJson(result)
        : promotion.state === 'waiting'
          ? waitingText(promotion, io.color)
          : `queued promotion ${promotion.id}: ${at} ${promotion.fromVersion ?? '(none)'} -> ${promotion.toVersion}\n`,
    );
    return EXIT.ok;
  }
  const done = await follow(io, client, promotion.id, timeout ? { timeout } : {});
  if (o.json) io.out(toJson(done));
  if (!isSettled(done)) {
    // --timeout passed: the promotion stays recorded and goes on without us
    io.err(
      `promotion ${done.id} still ${done.state} after ${o.timeout}` +
        (done.state === 'waiting' ? `\n${waitingText(done, io.color)}` : '\n'),
    );
    return done.state === 'waiting' ? EXIT.blocked : EXIT.failed;
  }
  if (o.json) return done.state === 'succeeded' ? EXIT.ok : EXIT.failed;
  if (done.state === 'succeeded') {
    io.out(`promoted ${at}: ${done.fromVersion ?? '(none)'} -> ${done.toVersion}\n`);
    io.out(`  commit ${done.commitSha?.slice(0, 12) ?? '(none: already held)'}, promotion ${done.id}\n`);
    if (done.proposal) io.out(`  merged ${done.proposal.url}\n`);
    if (plan.kind === 'promote') io.out(colorDiff(plan.diff, io.color));
  } else {
    io.err(`promotion ${done.id} ${done.state}${done.error ? `: [${done.error.code}] ${done.error.message}` : ''}\n`);
  }
  return done.state === 'succeeded' ? EXIT.ok : EXIT.failed;
}

/** `--timeout`'s duration; a malformed one is invalid input naming the flag. */
function timeoutOf(text: string): Duration {
  try {
    return parseDuration(text);
  } catch (e) {
    throw new GantryError('invalid_request', `--timeout: ${(e as Error).message}`, { field: 'timeout' });
  }
}
