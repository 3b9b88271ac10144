import { GantryError } from '@gantry/core';
import type { HelmRepositories } from '@gantry/helm';
import type { Registries, Registry } from '@gantry/oci';

/** Where a reported image lives among the configured registries. */
export interface ImageLocation {
  readonly registry: Registry;
  readonly repository: string;
}

/**
 * Whether the registry holds what CI reported; `reason` says why not (never an exception), and
 * `absent` whether the registry answered that it does not (rather than could not be asked).
 */
export type Presence =
  | { readonly verified: true }
  | { readonly verified: false; readonly absent: boolean; readonly reason: string };

const why = (e: unknown): string =>
  e instanceof GantryError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);

/**
 * The configured registry an image reference names (its `host[:port][/path]`), the longest
 * host first (`localhost/sandbox` before `localhost`), and the repository after it. A tag or
 * digest on the reference is dropped.
 */
export function locateImage(registries: Registries | undefined, image: string): ImageLocation | undefined {
  const name = image.split('@')[0]?.replace(/:[\w][\w.-]{0,127}$/, '') ?? image;
  let best: ImageLocation | undefined;
  for (const n of registries?.names() ?? []) {
    const registry = registries?.get(n);
    if (!registry || !name.startsWith(`${registry.host}/`)) continue;
    if (best && best.registry.host.length >= registry.host.length) continue;
    best = { registry, repository: name.slice(registry.host.length + 1) };
  }
  return best;
}

/** The image reference without tag or digest, as the artifact records it. */
export const imageName = (image: string): string =>
  image.split('@')[0]?.replace(/(\/[^/:]+):[\w][\w.-]{0,127}$/, '$1') ?? image;

/** Asks the registry for the manifest: a registry down or refusing is "unverified, because ...". */
export async function imagePresence(at: ImageLocation | undefined, image: string, digest: string): Promise<Presence> {
  if (!at) return { verified: false, absent: true, reason: `no configured registry serves ${imageName(image)}` };
  try {
    await at.registry.manifest(at.repository, digest);
    return { verified: true };
  } catch (e) {
    if (e instanceof GantryError && e.code === 'manifest_not_found')
      return {
        verified: false,
        absent: true,
        reason: `${at.registry.host}/${at.repository} has no manifest ${digest}`,
      };
    return { verified: false, absent: false, reason: `registry ${at.registry.name} could not be asked: ${why(e)}` };
  }
}

/** A chart by version: an `oci://` chart is a tag in a registry; any other is looked up in the Helm repositories' indexes. */
export async function chartPresence(
  o: { registries: Registries | undefined; helm: HelmRepositories | undefined; helmNames: readonly string[] },
  chart: string,
  version: string,
): Promise<Presence> {
  if (chart.startsWith('oci://')) {
    const at = locateImage(o.registries, chart.slice('oci://'.length));
    if (!at) return { verified: false, absent: true, reason: `no configured registry serves ${chart}` };
    try {
      await at.registry.resolve(at.repository, version.replaceAll('+', '_'));
      return { verified: true };
    } catch (e) {
      if (e instanceof GantryError && e.code === 'manifest_not_found')
        return { verified: false, absent: true, reason: `${chart} has no version ${version}` };
      return { verified: false, absent: false, reason: `registry ${at.registry.name} could not be asked: ${why(e)}` };
    }
  }
  const names = o.helmNames.length > 0 ? o.helmNames : (o.helm?.names() ?? []);
  if (!o.helm || names.length === 0)
    return { verified: false, absent: true, reason: 'no Helm repository is configured' };
  const failures: string[] = [];
  for (const n of names) {
    try {
      const index = await o.helm.get(n).index();
      if (index.charts.get(chart)?.some((v) => v.version === version)) return { verified: true };
    } catch (e) {
      failures.push(`${n} could not be asked: ${why(e)}`);
    }
  }
  return {
    verified: false,
    absent: failures.length === 0,
    reason:
      failures.length > 0
        ? `chart ${chart} ${version} not found; ${failures.join('; ')}`
        : `no configured Helm repository (${names.join(', ')}) lists ${chart} ${version}`,
  };
}

/** A check put off for want of room in its lane, with whoever waits for its answer. */
interface PutOff {
  readonly ask: () => Promise<Presence>;
  readonly waiters: ((found: Presence) => unknown)[];
}

/** The registry checks of artifact reports, per lane (a registry host, a chart): see `registryChecks`. */
export interface RegistryChecks {
  /**
   * The check of `key` (an image digest, a chart version): the one already under way for it
   * (a report of the same build asks the registry once), else a new one, else none when the
   * lane already has `cap` checks queued. `late`: the lane cannot answer a new check within the
   * wait (checks older than the wait unanswered, or more queued than it answers in a wait).
   */
  check(lane: string, key: string, ask: () => Promise<Presence>): { check?: Promise<Presence>; late: boolean };
  /**
   * A check that found no room: asked when the lane has room again, oldest first, and `then`
   * called with its answer. `false` when `maxPutOff` are already waiting in the lane: it is
   * not asked (a gate asks again when it needs the answer).
   */
  later(lane: string, key: string, ask: () => Promise<Presence>, then: (found: Presence) => unknown): boolean;
  /** The check of `key` under way, if any. */
  underWay(key: string): Promise<Presence> | undefined;
  /** Checks of a lane asked and not yet answered. */
  queued(lane: string): number;
}

/**
 * Registry checks bounded per lane. A registry answers within its request budget (10/s by
 * default), so a burst of reports (200/s) once queued a check each, the queue growing by ~190
 * a second until checks waiting past the registry wait were cut off unanswered. Here checks of
 * one build are coalesced, at most `cap` are queued per lane, and the rest wait their turn
 * outside the registry's queue (at most `maxPutOff` per lane), asked as answers free room.
 */
export function registryChecks(o: { answerWithinMs: number; laneDepth: number; cap: number; maxPutOff: number }) {
  /** When each unanswered check of a lane began, oldest first. */
  const unanswered = new Map<string, Set<{ readonly at: number }>>();
  /** When each of a lane's checks of the last wait was answered: its pace. */
  const answeredAt = new Map<string, number[]>();
  const underWay = new Map<string, Promise<Presence>>();
  const putOff = new Map<string, Map<string, PutOff>>();
  const queued = (lane: string) => unanswered.get(lane)?.size ?? 0;

  // a check older than the wait still unanswered: a new one, behind it, cannot be answered in time
  const behind = (lane: string) => {
    const oldest = unanswered.get(lane)?.values().next().value;
    return oldest !== undefined && performance.now() - oldest.at >= o.answerWithinMs;
  };
  // more queued than half what the lane answered in the last wait (or than laneDepth before its pace is known)
  const queuedTooDeep = (lane: string) => {
    const since = performance.now() - o.answerWithinMs;
    const recent = answeredAt.get(lane)?.filter((t) => t >= since) ?? [];
    if (recent.length > 0) answeredAt.set(lane, recent);
    else answeredAt.delete(lane);
    return queued(lane) >= Math.max(o.laneDepth, recent.length / 2);
  };

  const start = (lane: string, key: string, ask: () => Promise<Presence>): Promise<Presence> => {
    const mark = { at: performance.now() };
    const set = unanswered.get(lane) ?? new Set();
    unanswered.set(lane, set.add(mark));
    const check = ask().finally(() => {
      set.delete(mark);
      if (set.size === 0) unanswered.delete(lane);
      const times = answeredAt.get(lane) ?? [];
      times.push(performance.now());
      answeredAt.set(lane, times);
      underWay.delete(key);
      drain(lane);
    });
    underWay.set(key, check);
    return check;
  };

  // the oldest checks put off, as room frees (each answer makes room for one)
  const drain = (lane: string) => {
    const waiting = putOff.get(lane);
    while (waiting && waiting.size > 0 && queued(lane) < o.cap) {
      const first = waiting.entries().next().value;
      if (!first) break;
      const [key, w] = first;
      waiting.delete(key);
      const check = underWay.get(key) ?? start(lane, key, w.ask);
      for (const then of w.waiters) void check.then(then).catch(() => undefined);
    }
    if (waiting?.size === 0) putOff.delete(lane);
  };

  return {
    check(lane, key, ask) {
      const late = behind(lane) || queuedTooDeep(lane);
      const joined = underWay.get(key);
      if (joined) return { check: joined, late };
      if (queued(lane) >= o.cap) return { late: true };
      return { check: start(lane, key, ask), late };
    },
    later(lane, key, ask, then) {
      const waiting = putOff.get(lane) ?? new Map<string, PutOff>();
      const same = waiting.get(key);
      if (same) {
        same.waiters.push(then);
        return true;
      }
      if (waiting.size >= o.maxPutOff) return false;
      putOff.set(lane, waiting.set(key, { ask, waiters: [then] }));
      // room may have freed since the report was refused one
      drain(lane);
      return true;
    },
    underWay: (key) => underWay.get(key),
    queued,
  } satisfies RegistryChecks;
}
