import type { PromotionOutcome } from '@gantry/core';
import { shortDigest } from '@gantry/core';
import { colorDiff } from '../format-diff.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { progress } from '../progress.js';
import type { GlobalOptions } from '../runtime.js';
import { withRuntime } from '../runtime.js';
import { authorFrom } from '../local-actor.js';
import type { WaitingOutcome } from '../local-promotion.js';
import { requestLocally } from '../local-promotion.js';
import { waitingText } from './promote-waiting.js';
import { remoteClient } from '../remote.js';
import { remotePromote } from './promote-remote.js';

export interface PromoteFlags {
  readonly dryRun?: boolean;
  readonly json?: boolean;
  /** Remote mode: follow the queued promotion until it settles. */
  readonly wait?: boolean;
  /** Why, in the person's words: recorded on the promotion and shown in its history. */
  readonly reason?: string;
}

function describeOutcome(o: PromotionOutcome | WaitingOutcome, color: boolean): string {
  const { plan } = o;
  const at = `${plan.pipeline}/${plan.phase}`;
  switch (o.kind) {
    case 'waiting':
      return waitingText(o.promotion, color);
    case 'in-sync':
      return `${at} is already in sync${plan.kind === 'in-sync' ? ` at ${plan.current.version}` : ''}; nothing written\n`;
    case 'unchanged':
      return `${at} already held the version when the write reached it; nothing written\n`;
    case 'dry-run':
    case 'promoted': {
      if (plan.kind !== 'promote') return `${at}: ${plan.kind}\n`;
      const head = `${o.kind === 'dry-run' ? 'would promote' : 'promoted'} ${at}: ${plan.current?.version ?? '(none)'} -> ${plan.target.version}`;
      const tail =
        o.kind === 'promoted'
          ? `  commit ${o.revision.id.slice(0, 12)} (${o.attempts} attempt${o.attempts === 1 ? '' : 's'}), promotion ${o.promotionId}\n`
          : '  dry run: nothing written\n';
      return `${head}\n${tail}${colorDiff(plan.diff, color)}`;
    }
  }
}

export async function promoteCommand(
  io: Io,
  g: GlobalOptions,
  pipeline: string,
  phase: string,
  o: PromoteFlags,
): Promise<number> {
  const client = remoteClient(io);
  if (client) return remotePromote(io, client, pipeline, phase, o);
  return withRuntime(io, g, async (rt) => {
    const p = progress(io, `reading ${pipeline}/${phase} and its upstream`);
    const author = authorFrom(io.env);
    const reason = o.reason?.trim();
    const outcome = await (o.dryRun
      ? rt.engine.promote(pipeline, phase, {
          dryRun: true,
          ...(reason ? { reason } : {}),
          onProgress: (e) => {
            if (e.type === 'planned' && e.plan.kind === 'promote')
              p.text(`planned ${shortDigest(e.plan.target.digest)}`);
          },
        })
      : // recorded like a server's promotion, so history and track see it
        // a promotion its gates keep waiting is recorded and answered at once, as a server answers it
        requestLocally(rt, { pipeline, phase, ...(author ? { author } : {}), ...(reason ? { reason } : {}) })
    ).finally(() => p.done());
    io.out(o.json ? toJson(outcome) : describeOutcome(outcome, io.color));
    return EXIT.ok;
  });
}
