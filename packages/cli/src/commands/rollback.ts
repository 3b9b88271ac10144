import type { ApiLineage } from '@gantry/api';
import type { PhaseStatus } from '@gantry/core';
import { NotFoundError } from '@gantry/core';
import { readLineage, runtimeProvenance } from '@gantry/server';
import type { Io } from '../io.js';
import { toJson } from '../json.js';
import { authorFrom } from '../local-actor.js';
import { openRuntimeStore, recordLocally } from '../local-promotion.js';
import { progress } from '../progress.js';
import type { Recorded } from '../recorded-view.js';
import { describeRecorded, ROLLBACK_VERBS } from '../recorded-view.js';
import { remoteClient } from '../remote.js';
import type { PastPromotion } from '../rollback-choice.js';
import { chooseRollback, NoRollbackTargetError } from '../rollback-choice.js';
import type { LineageRollback } from '../rollback-lineage.js';
import { findInLineage } from '../rollback-lineage.js';
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
    const current = currentDigest(status.phases, pipeline, phase);
    const chosen = await choose(history.items, current, o.to, at, () => client.lineage(pipeline, { limit: LOOK_BACK }));
    const result = await client.promote(
      pipeline,
      phase,
      chosen.kind === 'recorded'
        ? { rollbackOf: chosen.promotion.id, ...(reason ? { reason } : {}) }
        : { ...chosen.found.release, reason: reason || gitReason(chosen.found) },
    );
    recorded = await recordedRemotely(io, client, result, o.wait ?? false);
  } else {
    recorded = await withRuntime(io, g, async (rt) => {
      const [status] = await rt.engine.status(pipeline);
      const current = currentDigest(status?.phases ?? [], pipeline, phase);
      const store = await openRuntimeStore(rt);
      let chosen: Chosen;
      try {
        const history = (await store.listPromotions({ pipeline, phase, limit: LOOK_BACK })).items;
        chosen = await choose(history, current, o.to, at, () =>
          readLineage(
            { system: rt.system, store, provenance: runtimeProvenance(rt) },
            pipeline,
            status?.phases ?? [],
            LOOK_BACK,
          ),
        );
      } finally {
        await store.close();
      }
      const author = authorFrom(io.env, io.cwd);
      const p = progress(
        io,
        `rolling ${at} back to ${chosen.kind === 'recorded' ? chosen.promotion.toVersion : chosen.found.version}`,
      );
      return recordLocally(rt, {
        pipeline,
        phase,
        ...(chosen.kind === 'recorded'
          ? { rollbackOf: chosen.promotion.id, ...(reason ? { reason } : {}) }
          : { release: chosen.found.release, reason: reason || gitReason(chosen.found) }),
        ...(author ? { author } : {}),
      }).finally(() => p.done());
    });
  }
  const view = describeRecorded(recorded, ROLLBACK_VERBS, io.color);
  io.out(o.json ? toJson(recorded) : view.out);
  if (view.err) io.err(view.err);
  return view.code;
}

/** What a rollback restores: an earlier promotion's version, or a version only the phase's Git history holds. */
type Chosen =
  | { readonly kind: 'recorded'; readonly promotion: PastPromotion }
  | { readonly kind: 'git'; readonly found: LineageRollback };

/**
 * The earlier promotion `--to` names, else (a version Gantry never wrote there: a hand commit,
 * history from before Gantry) the newest version of that name the phase's lineage shows it held.
 * Such a version is released by its digest (or chart version) as a person's release, which pins
 * the phase as a rollback does.
 */
async function choose(
  history: readonly PastPromotion[],
  current: string | undefined,
  to: string | undefined,
  at: string,
  lineage: () => Promise<ApiLineage>,
): Promise<Chosen> {
  try {
    return { kind: 'recorded', promotion: chooseRollback(history, current, to, at) };
  } catch (e) {
    if (!(e instanceof NoRollbackTargetError) || to === undefined || !e.message.startsWith('no succeeded promotion'))
      throw e;
    const found = findInLineage(await lineage(), at.slice(at.indexOf('/') + 1), to);
    if (!found) throw e;
    if (found.digest === current)
      throw new NoRollbackTargetError(`${at} already runs ${found.version}; nothing to roll back`, { to });
    return { kind: 'git', found };
  }
}

/** The note a rollback to a version found in Git history carries when the person gave none. */
const gitReason = (f: LineageRollback) =>
  `rollback to ${f.version}${f.commit ? `, as commit ${f.commit.slice(0, 12)} had it (not written by Gantry)` : ''}`;
