import type { Duration, Logger } from '@gantry/core';
import { milliseconds } from '@gantry/core';
import type { Store } from '@gantry/store';

/**
 * Whether the server is open: no API token exists, so anonymous callers are admin (and the
 * server listens on loopback only). Open mode ends as soon as a token exists, also one
 * created by another process (`gantry token create` on the same database), without a restart.
 */
export interface OpenMode {
  /** The last answer, without asking the store. */
  readonly open: boolean;
  /**
   * Whether the server is still open, asking the store when the last look is older than the
   * recheck interval (one look at a time, however many requests wait). Once closed it stays
   * closed: revoking every token does not make a running server anonymous again.
   */
  check(): Promise<boolean>;
}

export interface OpenModeOptions {
  readonly store: Pick<Store, 'listTokens'>;
  /** Whether the server started open (no live token then). */
  readonly open: boolean;
  readonly logger: Logger;
  /** How stale the answer may be (default 500 ms): open mode ends within this of the first token. */
  readonly recheck?: Duration;
  /** Milliseconds now; tests may drive it. */
  readonly now?: () => number;
}

export const DEFAULT_OPEN_MODE_RECHECK = milliseconds(500);

export function createOpenMode(o: OpenModeOptions): OpenMode {
  const now = o.now ?? Date.now;
  const recheck = o.recheck ?? DEFAULT_OPEN_MODE_RECHECK;
  let open = o.open;
  let checkedAt = now();
  let looking: Promise<boolean> | undefined;

  const look = async (): Promise<boolean> => {
    const tokens = await o.store.listTokens();
    checkedAt = now();
    if (open && tokens.some((t) => t.revokedAt === undefined)) {
      open = false;
      o.logger.warn(
        {},
        'an API token exists now: open mode ended, every API request needs a token (the server keeps listening where it was)',
      );
    }
    return open;
  };

  return {
    get open() {
      return open;
    },
    check() {
      if (!open) return Promise.resolve(false);
      if (now() - checkedAt < recheck.ms) return Promise.resolve(true);
      looking ??= look().finally(() => {
        looking = undefined;
      });
      return looking;
    },
  };
}
