import { join } from 'node:path';
import { dataDirOf, loadSystem } from '@gantry/config';
import { GantryError } from '@gantry/core';
import { openStore } from '@gantry/store';
import { exitCodeFor } from '../exit-code.js';
import type { Io } from '../io.js';
import { remoteClient } from '../remote.js';
import { renderError } from '../render-error.js';
import type { GlobalOptions } from '../runtime.js';
import type { Clock } from '../track/clock.js';
import { systemClock } from '../track/clock.js';
import type { TrackTarget } from '../track/follow.js';
import { localSource } from '../track/local-source.js';
import { remoteSource } from '../track/remote-source.js';
import { DEFAULT_TIMEOUT, parseTimeout, printTracking } from '../track/run.js';
import type { TrackSource } from '../track/source.js';

export interface TrackFlags {
  readonly digest?: string;
  readonly commit?: string;
  readonly timeout?: string;
  readonly json?: boolean;
}

const HEX_PREFIX = /^(?:[a-z0-9]+:)?[0-9a-f]{7,}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A promotion's id as `promote --json` and `history` print it; anything else is a mistake (exit 2). */
export function promotionId(text: string): string {
  if (UUID.test(text)) return text.toLowerCase();
  throw new GantryError(
    'invalid_request',
    `"${text}" is not a promotion id (a UUID, as promote --json and history print it); to track a phase, give <pipeline> <phase>`,
    { field: 'promotion' },
  );
}

/** `<promotion-id>`, or `<pipeline> <phase>` with `--digest` or `--commit` (else the newest promotion). */
export function trackTarget(first: string, phase: string | undefined, o: TrackFlags): TrackTarget {
  if (o.digest !== undefined && o.commit !== undefined) {
    throw new GantryError('invalid_request', 'give --digest or --commit, not both', { field: 'digest' });
  }
  for (const [field, value] of [
    ['digest', o.digest],
    ['commit', o.commit],
  ] as const) {
    if (value !== undefined && !HEX_PREFIX.test(value)) {
      throw new GantryError('invalid_request', `--${field} "${value}": give 7 or more hex characters`, { field });
    }
  }
  if (phase === undefined) {
    if (o.digest !== undefined || o.commit !== undefined) {
      throw new GantryError('invalid_request', '--digest and --commit choose a promotion of <pipeline> <phase>', {
        field: o.digest !== undefined ? 'digest' : 'commit',
      });
    }
    return { id: promotionId(first) };
  }
  return {
    pipeline: first,
    phase,
    match: {
      ...(o.digest !== undefined ? { digest: o.digest } : {}),
      ...(o.commit !== undefined ? { commit: o.commit } : {}),
    },
  };
}

/**
 * Opens where promotions are read: the server in remote mode (GANTRY_SERVER), else the store
 * a server on this configuration uses, without opening Git or registries.
 */
export async function withTrackSource<T>(
  io: Io,
  g: GlobalOptions,
  clock: Clock,
  fn: (source: TrackSource) => Promise<T>,
): Promise<T> {
  const client = remoteClient(io);
  if (client) {
    const source = remoteSource(client, clock);
    try {
      return await fn(source);
    } finally {
      await source.close();
    }
  }
  const { loaded, system } = await loadSystem({ cwd: io.cwd, env: io.env, ...(g.config ? { file: g.config } : {}) });
  const url = loaded.config.server?.databaseUrl;
  const store = await openStore({
    ...(url ? { databaseUrl: url } : {}),
    sqlitePath: join(dataDirOf(loaded), 'gantry.db'),
  });
  try {
    return await fn(localSource(store, system, clock));
  } finally {
    await store.close();
  }
}

/** With `--json`, an error is one more line (`{"type":"error",...}`), so every line parses alone. */
export async function jsonLinesOnError(io: Io, json: boolean | undefined, run: () => Promise<number>): Promise<number> {
  if (!json) return run();
  try {
    return await run();
  } catch (e) {
    const err = e as { code?: unknown; message?: unknown };
    const code = typeof err.code === 'string' ? err.code : 'internal';
    io.out(`${JSON.stringify({ type: 'error', error: { code, message: String(err.message ?? e) } })}\n`);
    io.err(renderError(e, io.color));
    return exitCodeFor(e);
  }
}

/** `gantry track`: follows a promotion until verified (0), failed (1) or `--timeout` (2). */
export async function trackCommand(
  io: Io,
  g: GlobalOptions,
  first: string,
  phase: string | undefined,
  o: TrackFlags,
  clock: Clock = systemClock,
  signal?: AbortSignal,
): Promise<number> {
  return jsonLinesOnError(io, o.json, async () => {
    const timeout = parseTimeout(o.timeout);
    const target = trackTarget(first, phase, o);
    return withTrackSource(io, g, clock, async (source) => {
      // listening before the first read: a change between the two is not lost
      await source.open();
      return printTracking(io, source, {
        target,
        timeout,
        clock,
        timeoutText: o.timeout ?? DEFAULT_TIMEOUT,
        ...(o.json ? { json: true } : {}),
        ...(signal ? { signal } : {}),
      });
    });
  });
}
