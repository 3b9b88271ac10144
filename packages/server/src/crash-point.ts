/**
 * Fault injection for the crash-safety tests: with `GANTRY_CRASH_AT=<point>` in its
 * environment, the process kills itself (SIGKILL, no cleanup) when it reaches that
 * point of a promotion. Unset in production, where this is a no-op.
 */
export type CrashPoint = 'after-claim' | 'after-push' | 'after-commit-recorded';

export function crashPoint(point: CrashPoint): void {
  if (process.env.GANTRY_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}
