import type { Hold } from '@gantry/store';
import type { HoldView } from '../gates/hold-view.js';
import { describeHoldView, releaseCommand } from '../gates/hold-view.js';
import type { LocalHoldDeps } from '../gates/local-holds.js';
import { localHolds } from '../gates/local-holds.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { localActor } from '../local-actor.js';
import { withLocalLifecycle } from '../local-lifecycle.js';
import { remoteClient } from '../remote.js';
import type { GlobalOptions } from '../runtime.js';

export interface HoldFlags {
  readonly reason?: string;
  readonly digest?: string;
  readonly json?: boolean;
}

type HoldAction =
  | { readonly action: 'pin'; readonly pipeline: string; readonly phase: string }
  | { readonly action: 'unpin'; readonly pipeline: string; readonly phase: string }
  | { readonly action: 'pause'; readonly pipeline: string; readonly phase?: string }
  | { readonly action: 'resume'; readonly pipeline: string; readonly phase?: string };

/** Locally on the store a server on this configuration uses; it sees the hold at its next request. */
function runLocally(io: Io, g: GlobalOptions, a: HoldAction, o: HoldFlags): Promise<Hold> {
  return withLocalLifecycle(io, g, ({ rt, store }) => {
    const d: LocalHoldDeps = { system: rt.system, engine: rt.engine, store, actor: localActor(io.env) };
    const phase = a.phase !== undefined ? { phase: a.phase } : {};
    const reason = o.reason !== undefined ? { reason: o.reason } : {};
    switch (a.action) {
      case 'pin':
        return localHolds.pin(d, {
          pipeline: a.pipeline,
          phase: a.phase,
          ...reason,
          ...(o.digest ? { digest: o.digest } : {}),
        });
      case 'pause':
        return localHolds.pause(d, { pipeline: a.pipeline, ...phase, ...reason });
      case 'unpin':
        return localHolds.release(d, { pipeline: a.pipeline, phase: a.phase, kind: 'pin', ...reason });
      case 'resume':
        return localHolds.release(d, { pipeline: a.pipeline, ...phase, kind: 'pause', ...reason });
    }
  });
}

function describe(a: HoldAction, h: HoldView): string {
  switch (a.action) {
    case 'pin':
    case 'pause':
      return `${describeHoldView(h)}\n  automation leaves it where it is until released (${releaseCommand(h)}); a person may still promote\n`;
    case 'unpin':
    case 'resume':
      return `released: ${describeHoldView(h)}\n  automation may move it again at the next schedule, webhook or verified upstream\n`;
  }
}

/**
 * `gantry pin`, `unpin`, `pause`, `resume`: holds automation (policies, schedules, webhooks)
 * back from a phase or a pipeline, with who and why. Remote mode needs the role that may
 * promote into the phase (for a whole pipeline: into each of its phases).
 */
export async function holdCommand(io: Io, g: GlobalOptions, a: HoldAction, o: HoldFlags): Promise<number> {
  const client = remoteClient(io);
  let hold: HoldView;
  if (client) {
    const reason = o.reason?.trim() ? { reason: o.reason } : {};
    switch (a.action) {
      case 'pin':
        hold = await client.pin(a.pipeline, a.phase, {
          reason: o.reason ?? '',
          ...(o.digest ? { digest: o.digest } : {}),
        });
        break;
      case 'pause':
        hold = await client.pause(a.pipeline, {
          reason: o.reason ?? '',
          ...(a.phase !== undefined ? { phase: a.phase } : {}),
        });
        break;
      case 'unpin':
        hold = await client.unpin(a.pipeline, a.phase, reason);
        break;
      case 'resume':
        hold = await client.resume(a.pipeline, { ...(a.phase !== undefined ? { phase: a.phase } : {}), ...reason });
        break;
    }
  } else hold = await runLocally(io, g, a, o);
  io.out(o.json ? toJson(hold) : describe(a, hold));
  return EXIT.ok;
}
