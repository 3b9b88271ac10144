import { createHash } from 'node:crypto';
import type { DeliveryCheck } from '@gantry/store';
import type { Change } from './payloads.js';

/** Remembers delivery ids and says which were seen lately (the store's `rememberDeliveries`). */
export type DeliveryLog = (ids: readonly string[]) => Promise<DeliveryCheck>;

/**
 * The changes whose deliveries were not seen lately, or `duplicate` when the request repeats
 * one. A registry envelope's events count one by one (the registry resends a whole envelope,
 * events already acted on among new ones). A Git push counts whole, by its delivery header
 * and by the digest of its signed body: GitHub signs the body only, so a replay under a fresh
 * `X-GitHub-Delivery` is still the same push.
 */
export async function freshChanges(
  kind: 'registry' | 'git',
  changes: Change[],
  rawBody: Uint8Array,
  header: (name: string) => string | undefined,
  deliveries: DeliveryLog,
): Promise<Change[] | 'duplicate'> {
  if (kind === 'registry') {
    const ids = changes.flatMap((c) => (c.kind === 'oci' && c.event ? [`registry:${c.event}`] : []));
    if (ids.length === 0) return changes;
    const { seen } = await deliveries(ids);
    const repeated = new Set(seen);
    const fresh = changes.filter((c) => !(c.kind === 'oci' && c.event && repeated.has(`registry:${c.event}`)));
    return fresh.length === 0 ? 'duplicate' : fresh;
  }
  const github = header('x-github-delivery');
  const gitlab = header('x-gitlab-event-uuid');
  const ids = [
    ...(github ? [`github:${github}`] : []),
    ...(gitlab ? [`gitlab:${gitlab}`] : []),
    `git-body:${createHash('sha256').update(rawBody).digest('hex')}`,
  ];
  const { seen } = await deliveries(ids);
  return seen.length > 0 ? 'duplicate' : changes;
}
