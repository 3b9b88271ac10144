import { silentLogger } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { startHistoryRetention } from './history-retention.js';

const DAY = 86_400_000;

describe('history retention', () => {
  it('GIVEN a retention WHEN the leader runs it THEN history older than the retention is purged; another replica purges nothing', async () => {
    const cutoffs: string[] = [];
    let leader = true;
    const retention = startHistoryRetention({
      store: {
        tryAcquireLeadership: async (name) => name === 'history-retention' && leader,
        purgeHistory: async (before) => {
          cutoffs.push(before);
          return { promotions: 2, deployerEvents: 1 };
        },
      },
      retentionMs: 400 * DAY,
      logger: silentLogger,
      clock: () => new Date('2026-02-05T00:00:00Z'),
      everyMs: 3_600_000,
    });
    // the first look at start (close waits for it), then one asked for: both cut 400 days before the clock
    await retention.close();
    await expect(retention.run()).resolves.toEqual({ promotions: 2, deployerEvents: 1 });
    expect(cutoffs).toEqual(['2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z']);
    leader = false;
    await expect(retention.run()).resolves.toBeUndefined();
    expect(cutoffs).toHaveLength(2);
  });
});
