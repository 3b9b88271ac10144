import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from './backends.js';
import { backends } from './backends.js';

const digest = (v: string) => `sha256:${createHash('sha256').update(v).digest('hex')}`;

describe.each(backends)('gate overrides on $name', (backend) => {
  let fx: Fixture;
  beforeEach(async () => {
    if (backend.available) fx = await backend.setup();
  });
  afterEach(async () => {
    if (backend.available) await fx.cleanup();
  });

  describe.skipIf(!backend.available)('recording and listing', () => {
    it('GIVEN overrides for a version, for any version, expired, and of another phase WHEN listed for a version at an instant THEN only those that may count, oldest first', async () => {
      const store = await fx.open({ now: () => new Date('2025-12-05T10:00:00Z') });
      const base = { pipeline: 'app', phase: 'prod', gate: 'hours', actor: 'ann', role: 'admin' };
      const forOne = await store.recordOverride({ ...base, digest: digest('1'), version: '1.0', reason: 'hotfix' });
      await store.recordOverride({ ...base, digest: digest('2'), reason: 'other version' });
      await store.recordOverride({ ...base, reason: 'any version', expiresAt: '2025-12-05T12:00:00+01:00' });
      await store.recordOverride({ ...base, reason: 'expired', expiresAt: '2025-12-05T09:00:00Z' });
      await store.recordOverride({ ...base, phase: 'staging', reason: 'elsewhere' });

      expect(forOne).toMatchObject({ ...base, digest: digest('1'), version: '1.0', at: '2025-12-05T10:00:00.000Z' });
      const listed = await store.listOverrides({
        pipeline: 'app',
        phase: 'prod',
        digest: digest('1'),
        activeAt: '2025-12-05T10:30:00Z',
      });
      expect(listed.map((o) => o.reason)).toEqual(['hotfix', 'any version']);
      // expiry is stored in one spelling, so text comparison is time comparison
      expect(listed[1]?.expiresAt).toBe('2025-12-05T11:00:00.000Z');
      // past the second one's expiry, only the first is in force
      const later = await store.listOverrides({ pipeline: 'app', phase: 'prod', activeAt: '2025-12-05T11:00:00Z' });
      expect(later.map((o) => o.reason)).toEqual(['hotfix', 'other version']);
      expect((await store.listOverrides({})).length).toBe(5);
    });

    it('GIVEN an override recorded by one store WHEN another store on the same database lists THEN it sees it', async () => {
      const a = await fx.open();
      const b = await fx.open();
      await a.recordOverride({ pipeline: 'app', phase: 'prod', gate: 'w', actor: 'x', role: 'admin', reason: 'r' });
      expect((await b.listOverrides({ pipeline: 'app' })).map((o) => o.reason)).toEqual(['r']);
    });
  });
});
