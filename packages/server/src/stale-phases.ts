import type { PhaseStatus, Pipeline, PipelineStatus } from '@gantry/core';

/** A registry that asked to wait (429/503), as the phases reading it show it. */
export interface RegistryThrottle {
  readonly registry: string;
  readonly state: 'rate-limited';
  /** ISO 8601. */
  readonly until: string;
}

/** Why a phase's state may not be current (the API's `PhaseWarning`). */
export interface PhaseWarning {
  readonly code: string;
  readonly message: string;
  /** The state shown is the last one observed (at `observedAt`): the latest read failed. */
  readonly stale: boolean;
  readonly observedAt?: string;
  readonly registry?: RegistryThrottle;
}

export type WarnedPhaseStatus = PhaseStatus & { readonly warning?: PhaseWarning };

const RATE_LIMITED = 'registry_rate_limited';

/** The registry a phase reads, when its source names one. */
export const registryOf = (pipeline: Pipeline, phase: string): string | undefined => {
  const s = pipeline.phases.find((ph) => ph.name === phase)?.source?.subject;
  return s?.kind === 'oci' ? s.registry : undefined;
};

/** The `until` of a rate-limited error: from the registry's running pause, else from its message. */
function untilOf(message: string, paused: ReadonlyMap<string, Date>, registry: string | undefined): string {
  const running = registry === undefined ? undefined : paused.get(registry);
  if (running) return running.toISOString();
  return /until (\S+Z)/.exec(message)?.[1] ?? new Date().toISOString();
}

/**
 * When each phase was last read without a registry refusing it (ms), by pipeline, then phase:
 * set for every phase of every read, so it costs no string per phase (a fleet reads 30,000).
 */
export type SeenAt = Map<string, Map<string, number>>;

/**
 * A read whose phases were refused by a rate-limiting registry keeps each such phase's last
 * known state, marked stale with the registry's `until`, rather than losing the phase to an
 * error; downstream phases compare against that last known version. A phase never observed
 * before stays in error, with the same warning. `seenAt` holds when each phase was last read.
 */
export function keepLastKnown(
  read: PipelineStatus,
  previous: PipelineStatus | undefined,
  pipeline: Pipeline,
  paused: ReadonlyMap<string, Date>,
  seenAt: SeenAt,
  now: Date,
): PipelineStatus {
  let times = seenAt.get(read.pipeline);
  if (!times) {
    times = new Map();
    seenAt.set(read.pipeline, times);
  }
  const at = now.getTime();
  let limited = false;
  for (const ph of read.phases) {
    if (ph.error?.code === RATE_LIMITED) limited = true;
    else times.set(ph.phase, at);
  }
  // the common case: nothing refused, the read as it is
  if (!limited) return read;
  const seen = times;
  const kept = new Map<string, WarnedPhaseStatus>();
  const phases: WarnedPhaseStatus[] = read.phases.map((ph) => {
    if (ph.error?.code !== RATE_LIMITED) return ph;
    const registry = registryOf(pipeline, ph.phase) ?? '';
    const throttle: RegistryThrottle = {
      registry,
      state: 'rate-limited',
      until: untilOf(ph.error.message, paused, registry),
    };
    const before = previous?.phases.find((p) => p.phase === ph.phase);
    if (!before || before.state === 'error') {
      return { ...ph, warning: { code: RATE_LIMITED, message: ph.error.message, stale: false, registry: throttle } };
    }
    const { warning: _w, ...last } = before as WarnedPhaseStatus;
    const time = seen.get(ph.phase);
    const observedAt = time === undefined ? undefined : new Date(time).toISOString();
    const warning: PhaseWarning = {
      code: RATE_LIMITED,
      message: `${ph.error.message}; showing the state observed${observedAt ? ` at ${observedAt}` : ' before'}`,
      stale: true,
      ...(observedAt ? { observedAt } : {}),
      registry: throttle,
    };
    const status = { ...last, warning };
    kept.set(ph.phase, status);
    return status;
  });
  return { ...read, phases: phases.map((ph) => (kept.has(ph.phase) ? ph : compareAgain(ph, kept))) };
}

/** A phase compared with the last known version of its upstreams that were kept. */
function compareAgain(ph: WarnedPhaseStatus, kept: ReadonlyMap<string, PhaseStatus>): WarnedPhaseStatus {
  if (!ph.upstreams.some((u) => kept.has(u.phase))) return ph;
  const upstreams = ph.upstreams.map((u) => {
    const up = kept.get(u.phase);
    if (!up || up.digest === undefined) return u;
    return {
      phase: u.phase,
      digest: up.digest,
      ...(up.version !== undefined ? { version: up.version } : {}),
      inSync: up.digest === ph.digest,
    };
  });
  if (ph.state !== 'in-sync' && ph.state !== 'behind') return { ...ph, upstreams };
  const state = upstreams.every((u) => u.inSync || u.digest === undefined) ? 'in-sync' : 'behind';
  return { ...ph, upstreams, state };
}

/**
 * While a registry asks to wait and a read of the pipeline waits on it, the phases reading
 * that registry say so (their state stays as last observed until the read returns).
 */
export function markThrottled(
  status: PipelineStatus,
  pipeline: Pipeline,
  paused: ReadonlyMap<string, Date>,
): PipelineStatus {
  let changed = false;
  const phases = status.phases.map((ph: WarnedPhaseStatus) => {
    const registry = registryOf(pipeline, ph.phase);
    const until = registry === undefined ? undefined : paused.get(registry);
    if (!registry || !until || ph.warning?.registry?.until === until.toISOString()) return ph;
    changed = true;
    const registryThrottle: RegistryThrottle = { registry, state: 'rate-limited', until: until.toISOString() };
    return {
      ...ph,
      warning: {
        code: RATE_LIMITED,
        message: `registry ${registry} asked to wait until ${until.toISOString()}; reading again then`,
        stale: ph.warning?.stale ?? false,
        ...(ph.warning?.observedAt ? { observedAt: ph.warning.observedAt } : {}),
        registry: registryThrottle,
      },
    };
  });
  return changed ? { ...status, phases } : status;
}
