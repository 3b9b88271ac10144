import type { GantryClient } from '@gantry/client';
import { ApiProblemError } from '@gantry/client';
import { GantryError } from '@gantry/core';
import type { Clock } from './clock.js';
import type { PromotionMatch, PromotionUpdate, TrackSource } from './source.js';
import { matchesPromotion } from './source.js';
import type { TrackedPromotion } from './steps.js';
import { checkStepOf } from './local-source.js';

type PhaseStatus = Awaited<ReturnType<GantryClient['getPhase']>>['status'];

/** Pages of a phase's history `track <pipeline> <phase> --digest` looks through (50 each). */
const FIND_PAGES = 4;

/** Wait before reconnecting when the server closed the event stream (a restart, a proxy's idle limit). */
const RECONNECT_MS = 1000;

/**
 * A server: its event stream (`GET /api/v1/events`) says when a promotion changed, and the
 * promotion is then read again. `open()` resolves once the stream is connected, so a change
 * made after it is seen even if it happens before the first read. When the stream drops, it
 * reconnects and reads again (what happened meanwhile is in the record, not lost).
 */
export function remoteSource(client: GantryClient, clock: Clock): TrackSource {
  const stop = new AbortController();
  const checkedPhases = new Set<string>();
  // phases (`pipeline/phase`) whose promotions changed since the last wait; `all` after a reconnect
  const pending = new Set<string>();
  let all = false;
  // what the events carried, for the phases that changed
  let updates: PromotionUpdate[] = [];
  let wake: (() => void) | undefined;
  const notify = (key?: string) => {
    if (key === undefined) all = true;
    else pending.add(key);
    wake?.();
  };
  const due = (about?: { pipeline: string; phase: string }) =>
    all || (about ? pending.has(`${about.pipeline}/${about.phase}`) : pending.size > 0);

  return {
    open() {
      return new Promise<void>((resolve, reject) => {
        let opened = false;
        const connect = () => {
          client
            .events(
              (e) => {
                if (e.type !== 'promotion') return;
                updates.push(e.promotion as PromotionUpdate);
                notify(`${e.promotion.pipeline}/${e.promotion.phase}`);
              },
              stop.signal,
              () => {
                // after a reconnect, read again: events while disconnected were not seen
                if (opened) notify();
                opened = true;
                resolve();
              },
            )
            .then(
              () => reconnect(),
              (e: unknown) => (opened ? reconnect() : reject(e)),
            );
        };
        const reconnect = () => {
          if (stop.signal.aborted) return;
          if (!opened) {
            reject(new GantryError('server_unreachable', 'the server closed its event stream before it opened'));
            return;
          }
          void clock.sleep(RECONNECT_MS, stop.signal).then(() => {
            if (!stop.signal.aborted) connect();
          });
        };
        connect();
      });
    },
    read: (id) =>
      client.getPromotion(id).catch((e: unknown) => {
        if (e instanceof ApiProblemError && e.status === 404) return undefined;
        throw e;
      }) as Promise<TrackedPromotion | undefined>,
    async find(pipeline, phase, match: PromotionMatch) {
      // an unknown name is a mistake (404 with the known names), not a promotion to wait for
      if (!checkedPhases.has(`${pipeline}/${phase}`)) {
        await client.getPhase(pipeline, phase);
        checkedPhases.add(`${pipeline}/${phase}`);
      }
      let cursor: string | undefined;
      for (let page = 0; page < FIND_PAGES; page++) {
        const h = await client.history(pipeline, { phase, limit: 50, ...(cursor ? { cursor } : {}) });
        const found = h.items.find((p) => matchesPromotion(p, match));
        if (found) return (await client.getPromotion(found.id)) as TrackedPromotion;
        if (!h.nextCursor) return undefined;
        cursor = h.nextCursor;
      }
      return undefined;
    },
    async checks(id, run) {
      const results = await client.checkResults(id);
      return results.items.filter((r) => r.run === run).map(checkStepOf);
    },
    async hasVerification(pipeline, phase) {
      // A phase's status shows its version's deployment and verification (`pending` until
      // something happens) only where the phase has them, and only for a version a promotion
      // brought; for another version it cannot tell. Then it is read again, now.
      const decided = (s: PhaseStatus | undefined) =>
        s && (s.deployment !== undefined || s.verification !== undefined)
          ? true
          : s?.promotionId !== undefined
            ? false
            : undefined;
      const cached = decided((await client.getPhase(pipeline, phase)).status);
      if (cached !== undefined) return cached;
      const fresh = (await client.getPipeline(pipeline, { refresh: true })).phases.find((p) => p.phase === phase);
      return decided(fresh) ?? false;
    },
    async changed(signal, about) {
      while (!due(about) && !signal.aborted) {
        await new Promise<void>((resolve) => {
          const done = () => {
            signal.removeEventListener('abort', done);
            wake = undefined;
            resolve();
          };
          wake = done;
          signal.addEventListener('abort', done, { once: true });
        });
      }
      pending.clear();
      all = false;
      const carried = updates.filter((u) => !about || (u.pipeline === about.pipeline && u.phase === about.phase));
      updates = [];
      return carried;
    },
    async close() {
      stop.abort();
    },
  };
}
