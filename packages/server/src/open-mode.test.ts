import type { Logger } from '@gantry/core';
import { milliseconds } from '@gantry/core';
import type { Store } from '@gantry/store';
import { openStore } from '@gantry/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOpenMode } from './open-mode.js';

/** A logger that keeps what was written, to read it back. */
function recordingLogger() {
  const lines: Array<{ level: string; msg: string }> = [];
  const at =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      lines.push({ level, msg: typeof obj === 'string' ? obj : (msg ?? '') });
    };
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return { logger, lines };
}

describe('open mode: no token, anonymous admin, until the first token exists', () => {
  let store: Store;
  let t: number;
  const now = () => t;
  beforeEach(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    t = 1_000_000;
  });
  afterEach(() => store.close());

  it('GIVEN an open server WHEN a token is created THEN it stays open only until the recheck interval has passed, and warns once', async () => {
    const { logger, lines } = recordingLogger();
    const mode = createOpenMode({ store, open: true, logger, recheck: milliseconds(500), now });
    expect(await mode.check()).toBe(true);
    // WHEN another process creates a token
    await store.createToken({ name: 'ci', role: 'promoter' });
    // THEN within the interval the last look stands
    t += 499;
    expect(await mode.check()).toBe(true);
    // and once it has passed, open mode is over
    t += 1;
    expect(await mode.check()).toBe(false);
    expect(mode.open).toBe(false);
    t += 10_000;
    expect(await mode.check()).toBe(false);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([
      { level: 'warn', msg: expect.stringContaining('open mode ended') },
    ]);
  });

  it('GIVEN only revoked tokens WHEN checked THEN still open', async () => {
    const { record } = await store.createToken({ name: 'old', role: 'admin' });
    await store.revokeToken(record.id);
    const mode = createOpenMode({ store, open: true, logger: recordingLogger().logger, recheck: milliseconds(1), now });
    t += 5;
    expect(await mode.check()).toBe(true);
  });

  it('GIVEN a closed server WHEN every token is revoked THEN it does not open again', async () => {
    const { record } = await store.createToken({ name: 'ci', role: 'admin' });
    const mode = createOpenMode({
      store,
      open: false,
      logger: recordingLogger().logger,
      recheck: milliseconds(1),
      now,
    });
    await store.revokeToken(record.id);
    t += 5;
    expect(await mode.check()).toBe(false);
  });

  it('GIVEN many requests at once WHEN the answer is stale THEN the store is asked once for all of them', async () => {
    let looks = 0;
    const counting: Pick<Store, 'listTokens'> = {
      listTokens: () => {
        looks++;
        return store.listTokens();
      },
    };
    const mode = createOpenMode({ store: counting, open: true, logger: recordingLogger().logger, now });
    t += 1000;
    const answers = await Promise.all(Array.from({ length: 20 }, () => mode.check()));
    expect(answers.every((a) => a)).toBe(true);
    expect(looks).toBe(1);
  });
});
