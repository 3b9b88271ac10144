import { GantryError } from '@gantry/core';
import type { Io } from '../io.js';
import { localLifecycleOn } from '../local-gate-facts.js';
import { openRuntimeStore } from '../local-promotion.js';
import { remoteClient } from '../remote.js';
import type { GlobalOptions } from '../runtime.js';
import { openCliRuntime } from '../runtime.js';
import type { Clock } from '../track/clock.js';
import { systemClock } from '../track/clock.js';
import { localSource } from '../track/local-source.js';
import { remoteSource } from '../track/remote-source.js';
import { DEFAULT_TIMEOUT, parseTimeout, printTracking } from '../track/run.js';
import type { TrackedPromotion } from '../track/steps.js';
import { jsonLinesOnError, promotionId } from './track.js';

export interface VerifyFlags {
  readonly timeout?: string;
  readonly json?: boolean;
}

const unknown = (id: string) => new GantryError('unknown_promotion', `no promotion ${id} is recorded`, { id });

/**
 * `gantry verify <promotion-id>`: runs the promotion's verification again (a new run, whose
 * verdict replaces the last one) and follows it like `track`: 0 verified, 1 failed, 2 timeout.
 * Remote mode asks the server to run it; local mode runs the checks in this process.
 */
export async function verifyCommand(
  io: Io,
  g: GlobalOptions,
  id: string,
  o: VerifyFlags,
  clock: Clock = systemClock,
): Promise<number> {
  return jsonLinesOnError(io, o.json, async () => {
    promotionId(id);
    const timeout = parseTimeout(o.timeout);
    const follow = (before: TrackedPromotion) => ({
      target: { id },
      timeout,
      clock,
      timeoutText: o.timeout ?? DEFAULT_TIMEOUT,
      // the new run: earlier verdicts are history
      minRun: (before.verification?.run ?? 0) + 1,
      rerun: true,
      ...(o.json ? { json: true } : {}),
    });
    const client = remoteClient(io);
    if (client) {
      const source = remoteSource(client, clock);
      try {
        await source.open();
        const before = await source.read(id);
        if (!before) throw unknown(id);
        await client.reverify(id);
        return await printTracking(io, source, follow(before));
      } finally {
        await source.close();
      }
    }
    return verifyLocally(io, g, id, clock, follow);
  });
}

async function verifyLocally(
  io: Io,
  g: GlobalOptions,
  id: string,
  clock: Clock,
  follow: (before: TrackedPromotion) => Parameters<typeof printTracking>[2],
): Promise<number> {
  const rt = await openCliRuntime(io, g);
  try {
    const store = await openRuntimeStore(rt);
    const source = localSource(store, rt.system, clock);
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    // a verdict may release promotions waiting downstream: their gates are judged as the server would
    const lifecycle = localLifecycleOn(rt, store, {
      // what this process records is read at once, not at the next poll
      events: {
        publish: () => {
          started();
          source.wake();
        },
      },
    });
    try {
      const before = await store.getPromotion(id);
      if (!before) throw unknown(id);
      // the lifecycle refuses what cannot be verified now (not_verifiable, exit 3), as a server does
      const run = lifecycle.reverify(id);
      await Promise.race([running, run]);
      const code = await printTracking(io, source, follow(before));
      // a timeout stops the checks; the run stays `running` for a server to resume
      await lifecycle.stop();
      await run.catch(() => undefined);
      return code;
    } finally {
      await lifecycle.stop();
      await store.close();
    }
  } finally {
    await rt.close();
  }
}
