import type { PhaseStatus } from '@gantry/core';
import { NotFoundError } from '@gantry/core';
import type { Io } from '../io.js';
import { toJson } from '../json.js';
import { authorFrom } from '../local-actor.js';
import { openRuntimeStore, recordLocally } from '../local-promotion.js';
import { progress } from '../progress.js';
import type { Recorded } from '../recorded-view.js';
import { describeRecorded, ROLLBACK_VERBS } from '../recorded-view.js';
import { remoteClient } from '../remote.js';
import type { PastPromotion } from '../rollback-choice.js';
import { chooseRollback } from '../rollback-choice.js';
import type { GlobalOptions } from '../runtime.js';
import { withRuntime } from '../runtime.js';
import { recordedRemotely } from './recorded-remote.js';

export interface RollbackFlags {
  /** A promotion id (or 8+ characters of it), or a version the phase ran. */
  readonly to?: string;
  readonly reason?: string;
  /** Remote mode: follow the promotion until it settles (local mode always runs it to its end). */
  readonly wait?: boolean;
  readonly json?: boolean;
}

/** How far back a rollback looks: the phase's newest promotions. */
const LOOK_BACK = 500;

/** The digest the phase holds now; an unknown phase is `unknown_phase` with the known names. */
function currentDigest(
  phases: ReadonlyArray<Pick<PhaseStatus, 'phase' | 'digest'>>,
  pipeline: string,
  phase: string,
): string | undefined {
  const now = phases.find((p) => p.phase === phase);
  if (!now)
    throw new NotFoundError(
      'phase',
      phase,
      phases.map((p) => p.phase),
      { pipeline },
    );
  return now.digest;
}

/**
 * `gantry rollback <pipeline> <phase> [--to <promotion-id|version>]`: the version an earlier
 * promotion wrote, again, as a new forward commit that says it is a rollback (and pins the phase).
 * Without `--to`, the version before the one the phase runs now.
 */
export async function rollbackCommand(
  io: Io,
  g: GlobalOptions,
  pipeline: string,
  phase: string,
  o: RollbackFlags,
): Promise<number> {
  const at = `${pipeline}/${phase}`;
  const reason = o.reason?.trim();
  const client = remoteClient(io);
  let recorded: Recorded;
  if (client) {
    const [status, history] = await Promise.all([
      client.getPipeline(pipeline, { refresh: true }),
      client.history(pipeline, { phase, limit: LOOK_BACK }),
    ]);
    const chosen = chooseRollback(history.items, currentDigest(status.phases, pipeline, phase), o.to, at);
    const result = await client.promote(pipeline, phase, { rollbackOf: chosen.id, ...(reason ? { reason } : {}) });
    recorded = await recordedRemotely(io, client, result, o.wait ?? false);
  } else {
    recorded = await withRuntime(io, g, async (rt) => {
      const [status] = await rt.engine.status(pipeline);
      const current = currentDigest(status?.phases ?? [], pipeline, phase);
      const store = await openRuntimeStore(rt);
      let history: PastPromotion[];
      try {
        history = (await store.listPromotions({ pipeline, phase, limit: LOOK_BACK })).items;
      } finally {
        await store.close();
      }
      const chosen = chooseRollback(history, current, o.to, at);
      const author = authorFrom(io.env, io.cwd);
      const p = progress(io, `rolling ${at} back to ${chosen.toVersion}`);
      return recordLocally(rt, {
        pipeline,
        phase,
        rollbackOf: chosen.id,
        ...(author ? { author } : {}),
        ...(reason ? { reason } : {}),
      }).finally(() => p.done());
    });
  }
  const view = describeRecorded(recorded, ROLLBACK_VERBS, io.color);
  io.out(o.json ? toJson(recorded) : view.out);
  if (view.err) io.err(view.err);
  return view.code;
}
