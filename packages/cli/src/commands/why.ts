import { GantryError } from '@gantry/core';
import type { Store } from '@gantry/store';
import type { WhyView } from '../gates/why-view.js';
import { formatWhy } from '../gates/why-view.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { localActor } from '../local-actor.js';
import { withLocalLifecycle } from '../local-lifecycle.js';
import { progress } from '../progress.js';
import { remoteClient } from '../remote.js';
import type { GlobalOptions } from '../runtime.js';

export interface WhyFlags {
  readonly digest?: string;
  /** `automation` (default) or `person`: who would ask. */
  readonly as?: string;
  readonly json?: boolean;
}

const ASKERS = ['automation', 'person'] as const;

const DIGEST = /^[a-z0-9]+:[a-f0-9]{32,}$/;

/** A version named by digest: the target a promotion of the pipeline carried (as the server looks it up). */
async function targetOf(store: Store, pipeline: string, digest: string): Promise<unknown> {
  for (let cursor: string | undefined, i = 0; i < 10; i++) {
    const page = await store.listPromotions({ pipeline, limit: 200, ...(cursor ? { cursor } : {}) });
    const hit = page.items.find((p) => p.toDigest === digest);
    if (hit) return hit.target;
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  throw new GantryError('not_found', `no promotion of ${pipeline} carried ${digest}; name a version Gantry has seen`, {
    field: 'digest',
  });
}

/**
 * `gantry why <pipeline> <phase> [--digest <d>] [--as person]`: why a version is (not) in a
 * phase, from the same plan and gate verdicts a promotion would use: the server's (remote) or
 * the lifecycle's on the data directory's store (local). By default the gates judge what
 * automation would meet; `--as person` judges your own release by hand (`gantry promote`): a
 * branch rule's manual-only branches and a skip marker let it through, and your own approval
 * does not count. Exit 0 whatever the answer: it explains, it does not judge.
 */
export async function whyCommand(
  io: Io,
  g: GlobalOptions,
  pipeline: string,
  phase: string,
  o: WhyFlags,
): Promise<number> {
  if (o.digest !== undefined && !DIGEST.test(o.digest))
    throw new GantryError('invalid_request', `[digest] "${o.digest}" is not a digest such as sha256:…`, {
      field: 'digest',
    });
  const as = o.as ?? 'automation';
  if (!ASKERS.includes(as as (typeof ASKERS)[number]))
    throw new GantryError('invalid_request', `[as] "${as}" is not one of ${ASKERS.join(', ')}`, { field: 'as' });
  const byHand = as === 'person';
  const p = progress(io, `judging ${pipeline}/${phase}`);
  const client = remoteClient(io);
  const why: WhyView = await (client
    ? client.why(pipeline, phase, { ...(o.digest ? { digest: o.digest } : {}), ...(byHand ? { as: 'person' } : {}) })
    : withLocalLifecycle(io, g, async ({ store, lifecycle }) => {
        const target = o.digest ? await targetOf(store, pipeline, o.digest) : undefined;
        return lifecycle.why({
          pipeline,
          phase,
          ...(target !== undefined ? { target } : {}),
          // the same name a local promotion records as its requester
          ...(byHand ? { trigger: { kind: 'person' as const, actor: localActor(io.env) } } : {}),
        });
      })
  ).finally(() => p.done());
  io.out(o.json ? toJson(why) : formatWhy(why, io.color, { byHand }));
  return EXIT.ok;
}
