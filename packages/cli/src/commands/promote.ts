import type { Identity, PromotionOutcome } from '@gantry/core';
import { shortDigest } from '@gantry/core';
import { colorDiff } from '../format-diff.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { progress } from '../progress.js';
import type { GlobalOptions } from '../runtime.js';
import { withRuntime } from '../runtime.js';
import { promoteLocally } from '../local-promotion.js';
import { remoteClient } from '../remote.js';
import { remotePromote } from './promote-remote.js';

export interface PromoteFlags {
  readonly dryRun?: boolean;
  readonly json?: boolean;
  /** Remote mode: follow the queued promotion until it settles. */
  readonly wait?: boolean;
}

/** Who a local promotion is by: the person's Git identity when the environment has one. */
function authorFrom(env: Io['env']): Identity | undefined {
  const name = env.GANTRY_AUTHOR_NAME ?? env.GIT_AUTHOR_NAME;
  const email = env.GANTRY_AUTHOR_EMAIL ?? env.GIT_AUTHOR_EMAIL;
  return name && email ? { name, email } : undefined;
}

function describeOutcome(o: PromotionOutcome, color: boolean): string {
  const { plan } = o;
  const at = `${plan.pipeline}/${plan.phase}`;
  switch (o.kind) {
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
    const outcome = await (o.dryRun
      ? rt.engine.promote(pipeline, phase, {
          dryRun: true,
          onProgress: (e) => {
            if (e.type === 'planned' && e.plan.kind === 'promote')
              p.text(`planned ${shortDigest(e.plan.target.digest)}`);
          },
        })
      : // recorded like a server's promotion, so history and track see it
        promoteLocally(rt, { pipeline, phase, ...(author ? { author } : {}) })
    ).finally(() => p.done());
    io.out(o.json ? toJson(outcome) : describeOutcome(outcome, io.color));
    return EXIT.ok;
  });
}
