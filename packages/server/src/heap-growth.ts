import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * How far V8 lets a served heap grow past what the last full collection kept: 50%. By default
 * V8 grows it up to 4x while a program allocates fast, which a server does at a fleet's first
 * observation: at 10,000 pipelines 155 MB live became a 560 MB heap and ~800 MB of RSS. At
 * 1.5x the same fleet stays under 500 MB, for about the same CPU (12.4 s against 12.0 s for the
 * first observation, 6.2 s against 6.4 s for a reconcile asking every tag; loaded 2-core machine).
 * Unlike a heap limit it cannot end the process: a larger fleet gets a larger heap.
 */
export const SERVE_HEAP_GROWING_PERCENT = 50;

/**
 * The V8 flag `gantry serve` sets, or `undefined` when the operator already chose a growth
 * (`--heap-growing-percent` in the node arguments or in NODE_OPTIONS).
 */
export function heapGrowthFlag(execArgv: readonly string[], nodeOptions: string): string | undefined {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some((a) => /^--heap[-_]growing[-_]percent\b/.test(a));
  return given ? undefined : `--heap-growing-percent=${SERVE_HEAP_GROWING_PERCENT}`;
}

/**
 * A full collection now, without `--expose-gc` for the rest of the process: the flag is set
 * only while the function is taken from a context of its own, so no other context gets `gc`.
 */
function collectNow(): void {
  setFlagsFromString('--expose-gc');
  try {
    (runInNewContext('gc') as () => void)();
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

/**
 * Sets the served heap's growth and applies it at once; returns the flag set, if any. V8 reads
 * the growth at the end of each full collection, to set where the next one starts: set after the
 * configuration is loaded, the limit in force stays the one the loading's last collection set at
 * up to 4x what it kept. At 10,000 pipelines that collection kept 353 MB and the next came only
 * at 1.4 GB, 49 s later: 1.3 GB of RSS when listening, 1.6 GB peak (in other runs it kept 130 MB,
 * the next at 545 MB). One full collection here (the configuration's parse garbage with it: 514
 * -> 75 MB, ~0.1-0.3 s) sets the next limit at 1.5x: the heap then stayed under 245 MB, RSS 451 MB
 * peak.
 */
export function boundHeapGrowth(): string | undefined {
  const flag = heapGrowthFlag(process.execArgv, process.env.NODE_OPTIONS ?? '');
  if (flag) {
    setFlagsFromString(flag);
    collectNow();
  }
  return flag;
}
