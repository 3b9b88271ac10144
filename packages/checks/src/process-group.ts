import type { Duration } from '@gantry/core';

/** Sends a signal to every process of a group; false when the group has none left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops a process group the way a supervisor does: SIGTERM to all of it, then SIGKILL to
 * whatever is left after the grace period. `settled()` resolves once the group is gone or
 * SIGKILL was sent (a killed process whose parent never reaps it stays a zombie, and
 * waiting on it would never end).
 */
export function stopGroup(pgid: number, grace: Duration): { readonly killed: () => boolean; settled(): Promise<void> } {
  let killed = false;
  let done = !signalGroup(pgid, 'SIGTERM');
  const waiters: (() => void)[] = [];
  const finish = () => {
    done = true;
    clearTimeout(timer);
    clearInterval(poll);
    for (const w of waiters.splice(0)) w();
  };
  const timer = setTimeout(() => {
    killed = signalGroup(pgid, 'SIGKILL');
    finish();
  }, grace.ms);
  const poll = setInterval(() => {
    if (!signalGroup(pgid, 0)) finish();
  }, 25);
  if (done) finish();
  return {
    killed: () => killed,
    settled: () => (done ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
  };
}
