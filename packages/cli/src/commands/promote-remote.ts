import type { GantryClient } from '@gantry/client';
import type { ApiPromotionDetail } from '@gantry/server';
import { colorDiff } from '../format-diff.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { progress } from '../progress.js';
import type { PromoteFlags } from './promote.js';
import { waitingText } from './promote-waiting.js';

const SETTLED = new Set(['succeeded', 'failed', 'superseded']);

/** Polls a promotion until it settles, showing each state it passes through. */
export async function follow(io: Io, client: GantryClient, id: string): Promise<ApiPromotionDetail> {
  const p = progress(io, `promotion ${id}: queued`);
  try {
    for (;;) {
      const detail = await client.getPromotion(id);
      p.text(`promotion ${id}: ${detail.state}`);
      if (SETTLED.has(detail.state)) return detail;
      await new Promise((r) => setTimeout(r, 250));
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
  const done = await follow(io, client, promotion.id);
  if (o.json) io.out(toJson(done));
  else if (done.state === 'succeeded') {
    io.out(`promoted ${at}: ${done.fromVersion ?? '(none)'} -> ${done.toVersion}\n`);
    io.out(`  commit ${done.commitSha?.slice(0, 12) ?? '(none: already held)'}, promotion ${done.id}\n`);
    if (plan.kind === 'promote') io.out(colorDiff(plan.diff, io.color));
  } else {
    io.err(`promotion ${done.id} ${done.state}${done.error ? `: [${done.error.code}] ${done.error.message}` : ''}\n`);
  }
  return done.state === 'succeeded' ? EXIT.ok : EXIT.failed;
}
