import type { Duration } from '@gantry/core';
import { GantryError, parseDuration } from '@gantry/core';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import type { FollowOptions, FollowResult } from './follow.js';
import { followPromotion } from './follow.js';
import { headerLine, resultJson, stepJson, stepLine, waitingJson, waitingLine } from './render.js';
import type { TrackSource } from './source.js';

/** `track` and `verify` wait this long for a verdict unless told otherwise. */
export const DEFAULT_TIMEOUT = '10m';

/** `--timeout 30s` as a duration; a bad one is the caller's mistake (exit 2). */
export function parseTimeout(text: string | undefined): Duration {
  try {
    const d = parseDuration(text ?? DEFAULT_TIMEOUT);
    if (d.ms <= 0) throw new RangeError('it must be longer than 0');
    return d;
  } catch (e) {
    throw new GantryError('invalid_request', `--timeout "${text}": ${(e as Error).message}`, { field: 'timeout' });
  }
}

/** The exit code of how tracking ended (docs/cli.md, "Exit codes"). */
export function exitCodeOfResult(r: FollowResult): number {
  if (r.kind === 'timeout') return EXIT.timeout;
  return r.verdict.outcome === 'failed' ? EXIT.failed : EXIT.ok;
}

/**
 * Follows a promotion and prints it: a line per step (or a JSON object per line with `--json`),
 * then the verdict. Returns the exit code: 0 verified (or pushed where nothing verifies),
 * 1 failed, 2 no verdict within the timeout.
 */
export async function printTracking(
  io: Io,
  source: TrackSource,
  o: Omit<FollowOptions, 'onStep' | 'onWaiting'> & { readonly json?: boolean; readonly timeoutText: string },
): Promise<number> {
  let headed = false;
  const result = await followPromotion(source, {
    ...o,
    onStep: (step, p) => {
      if (o.json) {
        io.out(stepJson(step, p));
        return;
      }
      if (!headed) {
        headed = true;
        io.out(headerLine(p));
      }
      io.out(stepLine(step, io.color));
    },
    onWaiting: (pipeline, phase, match) =>
      io.out(o.json ? waitingJson(pipeline, phase, match) : waitingLine(pipeline, phase, match)),
  });
  const code = exitCodeOfResult(result);
  if (o.json) {
    io.out(resultJson(result, code, o.timeoutText));
    return code;
  }
  const p = result.promotion;
  const at = p ? `${p.pipeline}/${p.phase} ${p.toVersion}` : '';
  if (result.kind === 'timeout') {
    const last = p
      ? `${p.state}${p.deployment ? `, deployment ${p.deployment.state}` : ''}${p.verification ? `, verification ${p.verification.state}` : ''}`
      : 'no such promotion recorded';
    io.err(`timed out after ${o.timeoutText} without a verdict: ${at ? `${at} is ` : ''}${last}\n`);
  } else if (result.verdict.outcome === 'failed') {
    io.err(`failed: ${at}: ${result.verdict.reason}\n`);
  } else {
    io.out(
      `${result.verdict.outcome}: ${at}${result.verdict.outcome === 'succeeded' ? ` (${result.verdict.reason})` : ''}\n`,
    );
  }
  return code;
}
