import type { ApiPromoteResult } from '@gantry/api';
import type { GantryClient } from '@gantry/client';
import type { Recorded } from '../recorded-view.js';
import type { Io } from '../io.js';
import { follow } from './promote-remote.js';

/**
 * A server's answer to a release or rollback, as the local mode answers it: in sync, waiting
 * on its gates, or (with `wait`) followed until it settles; without `wait`, queued.
 */
export async function recordedRemotely(
  io: Io,
  client: GantryClient,
  result: ApiPromoteResult,
  wait: boolean,
): Promise<Recorded> {
  if (result.kind === 'in-sync') return { kind: 'in-sync', plan: result.plan };
  if (!wait || result.promotion.state === 'waiting')
    return { kind: 'queued', plan: result.plan, promotion: result.promotion };
  const settled = await follow(io, client, result.promotion.id);
  return { kind: 'settled', plan: result.plan, promotion: settled };
}
