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
import type { NextPhase } from '../next-phase.js';
import { nextBehind } from '../next-phase.js';

export interface PromoteFlags {
  readonly dryRun?: boolean;
  readonly json?: boolean;
  /** Remote mode: follow the queued promotion until it settles. */
  readonly wait?: boolean;
  /** Why, in the person's words: recorded on the promotion and shown in its history. */
  readonly reason?: string;
  /** Remote mode with `wait`: give up following after this long (e.g. `30s`, `10m`); default: no limit. */
  readonly timeout?: string;
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
    case 'proposed': {
      // the merge happens on the provider: a server's poll or webhook settles it, not this command
      const to = plan.kind === 'promote' ? plan.target.version : '(version)';
      return `proposed ${at} -> ${to}: ${o.proposal.url} (#${o.proposal.number}, ${o.proposal.state}), promotion ${o.promotionId}\n  it succeeds when merged; gantry serve follows the pull request\n`;
    }
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

/** What `promote <pipeline>` without a phase says of the phase it chose, or of a pipeline in sync. */
function nextNote(pipeline: string, next: NextPhase): string {
  if (next.kind === 'in-sync')
    return `${pipeline} is in sync everywhere: no phase is behind its upstream; nothing to promote\n`;
  const also = next.alsoBehind.length > 0 ? ` (also behind at the same depth: ${next.alsoBehind.join(', ')})` : '';
  return `next phase behind: ${next.phase}${also}\n`;
}

export async function promoteCommand(
  io: Io,
  g: GlobalOptions,
  pipeline: string,
  phase: string | undefined,
  o: PromoteFlags,
): Promise<number> {
  const client = remoteClient(io);
  // without a phase: the next one behind its upstream, as `hamctl promote` finds the next environment
  const say = (next: NextPhase) => (o.json ? io.err : io.out)(nextNote(pipeline, next));
  if (client) {
    let target = phase;
    if (target === undefined) {
      const next = nextBehind((await client.getPipeline(pipeline, { refresh: true })).phases);
      say(next);
      if (next.kind === 'in-sync') {
        if (o.json) io.out(toJson({ kind: 'in-sync', pipeline }));
        return EXIT.ok;
      }
      target = next.phase;
    }
    return remotePromote(io, client, pipeline, target, o);
  }
  return withRuntime(io, g, async (rt) => {
    let target = phase;
    if (target === undefined) {
      const [status] = await rt.engine.status(pipeline);
      const next = nextBehind(status?.phases ?? []);
      say(next);
      if (next.kind === 'in-sync') {
        if (o.json) io.out(toJson({ kind: 'in-sync', pipeline }));
        return EXIT.ok;
      }
      target = next.phase;
    }
    const p = progress(io, `reading ${pipeline}/${target} and its upstream`);
    const author = authorFrom(io.env, io.cwd);
    const reason = o.reason?.trim();
    const outcome = await (o.dryRun
      ? rt.engine.promote(pipeline, target, {
          dryRun: true,
          ...(reason ? { reason } : {}),
          onProgress: (e) => {
            if (e.type === 'planned' && e.plan.kind === 'promote')
              p.text(`planned ${shortDigest(e.plan.target.digest)}`);
          },
        })
      : // recorded like a server's promotion, so history and track see it
        // a promotion its gates keep waiting is recorded and answered at once, as a server answers it
        requestLocally(rt, {
          pipeline,
          phase: target,
          ...(author ? { author } : {}),
          ...(reason ? { reason } : {}),
        })
    ).finally(() => p.done());
    io.out(o.json ? toJson(outcome) : describeOutcome(outcome, io.color));
    return EXIT.ok;
  });
}
