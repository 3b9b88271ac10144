import { createHash } from 'node:crypto';
import type { Store } from '@gantry/store';

/**
 * A seeded history for delivery metrics whose answers are worked out by hand below. Times are
 * hours from T0 (2025-03-01T00:00Z); the period is the week [0 h, 168 h).
 *
 * shop/staging (verifies):
 *   S0 A  created -30, succeeded -29, verified -28          before the period: only context
 *   S1 B  created  -1, succeeded   0, verified   1          at the period's first instant: counted
 *   S2 C  created  30, succeeded  31, verification failed 33
 *   S3 D  created  40, succeeded  41, verified  45          restores S2
 *   S4 E  created 100, succeeded 101, verified 102, deployer degraded 103
 *   S5 D  created 104, succeeded 105, verified 106          back to D, S4's predecessor: a rollback of S4
 *   S6 F  created 167, succeeded 168, verified 169          at the period's end (exclusive): not counted
 * shop/production (verifies):
 *   P1 B  created  20, succeeded  21, verified  22
 *   P2 D  created  50, succeeded  51, verification failed 52
 *   P3 F  created 170, succeeded 171, verified 172          after the period: restores P2
 * blog/live (nothing verifies it: a deployment lands when it succeeds):
 *   B1 X  created   2, succeeded   3
 *   B2 Y  created   5, failed 6                              a failed promotion deploys nothing
 */
export const T0 = Date.parse('2025-03-01T00:00:00Z');
export const H = 3_600_000;
export const HOUR = 3600; // seconds
/** The digest the seeded version `name` has. */
export const digest = (name: string) => `sha256:${createHash('sha256').update(name).digest('hex')}`;
export const period = { from: new Date(T0), to: new Date(T0 + 168 * H) };

interface Step {
  readonly pipeline: string;
  readonly phase: string;
  readonly version: string;
  readonly created: number;
  readonly succeeded?: number;
  readonly failedAt?: number;
  readonly verified?: number;
  readonly verificationFailed?: number;
  readonly degraded?: number;
}

const HISTORY: readonly Step[] = [
  { pipeline: 'shop', phase: 'staging', version: 'A', created: -30, succeeded: -29, verified: -28 },
  { pipeline: 'shop', phase: 'staging', version: 'B', created: -1, succeeded: 0, verified: 1 },
  { pipeline: 'shop', phase: 'production', version: 'B', created: 20, succeeded: 21, verified: 22 },
  { pipeline: 'shop', phase: 'staging', version: 'C', created: 30, succeeded: 31, verificationFailed: 33 },
  { pipeline: 'shop', phase: 'staging', version: 'D', created: 40, succeeded: 41, verified: 45 },
  { pipeline: 'shop', phase: 'production', version: 'D', created: 50, succeeded: 51, verificationFailed: 52 },
  { pipeline: 'shop', phase: 'staging', version: 'E', created: 100, succeeded: 101, verified: 102, degraded: 103 },
  { pipeline: 'shop', phase: 'staging', version: 'D', created: 104, succeeded: 105, verified: 106 },
  { pipeline: 'shop', phase: 'staging', version: 'F', created: 167, succeeded: 168, verified: 169 },
  { pipeline: 'shop', phase: 'production', version: 'F', created: 170, succeeded: 171, verified: 172 },
  { pipeline: 'blog', phase: 'live', version: 'X', created: 2, succeeded: 3 },
  { pipeline: 'blog', phase: 'live', version: 'Y', created: 5, failedAt: 6 },
];

/** Records the history through the store's own API, on a clock set to each step's hour. */
export async function seedDeliveryHistory(
  open: (now: () => Date) => Promise<Store>,
  names: { shop?: string; blog?: string } = {},
): Promise<Store> {
  let now = T0;
  const store = await open(() => new Date(now));
  const at = (hour: number) => {
    now = T0 + hour * H;
    return new Date(now).toISOString();
  };
  for (const s of HISTORY) {
    at(s.created);
    const d = digest(s.version);
    const p = await store.createPromotion({
      pipeline: s.pipeline === 'shop' ? (names.shop ?? 'shop') : (names.blog ?? 'blog'),
      phase: s.phase,
      toDigest: d,
      toVersion: s.version,
      target: { kind: 'oci-image', repository: `registry/${s.pipeline}`, digest: d },
      trigger: { kind: 'person', actor: 'ann' },
      reason: 'seeded',
    });
    const claimed = await store.claimPromotion(p.id, { owner: 'seed' });
    if (!claimed) throw new Error('not claimed');
    if (s.failedAt !== undefined) {
      at(s.failedAt);
      await store.transition(p.id, 'failed', { error: { code: 'push_failed', message: 'seeded' } });
      continue;
    }
    const hour = s.succeeded ?? 0;
    at(hour);
    await store.transition(p.id, 'committed', { commitSha: createHash('sha1').update(p.id).digest('hex') });
    await store.transition(p.id, 'pushed');
    await store.transition(p.id, 'succeeded');
    if (s.verified !== undefined) await store.setVerification(p.id, { state: 'verified', run: 1, at: at(s.verified) });
    if (s.verificationFailed !== undefined)
      await store.setVerification(p.id, { state: 'failed', run: 1, at: at(s.verificationFailed), failed: ['smoke'] });
    if (s.degraded !== undefined) await store.setDeployment(p.id, { state: 'degraded', at: at(s.degraded) });
  }
  return store;
}
