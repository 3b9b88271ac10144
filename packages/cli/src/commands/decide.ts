import type { GantryClient } from '@gantry/client';
import { GantryError } from '@gantry/core';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { LOCAL_ROLE, localActor } from '../local-actor.js';
import { withLocalLifecycle } from '../local-lifecycle.js';
import { asVerdicts, formatPending } from '../gates/verdict-view.js';
import { remoteClient } from '../remote.js';
import type { GlobalOptions } from '../runtime.js';
import { promotionId } from './track.js';

export interface DecideFlags {
  readonly comment?: string;
  readonly json?: boolean;
}

type Decision = 'approve' | 'reject';

/** What the CLI shows of a promotion after a decision: the store's Promotion and the API's JSON both fit. */
interface DecidedPromotion {
  readonly id: string;
  readonly pipeline: string;
  readonly phase: string;
  readonly fromVersion?: string;
  readonly toVersion: string;
  readonly state: string;
  readonly commitSha?: string;
  readonly error?: { readonly code: string; readonly message: string };
  readonly gates?: readonly Record<string, unknown>[];
}

const SETTLED_OK = new Set(['queued', 'running', 'committed', 'pushed', 'succeeded', 'waiting']);

function describe(decision: Decision, p: DecidedPromotion, color: boolean, remote: boolean): string {
  const head = `${decision === 'approve' ? 'approved' : 'rejected'} promotion ${p.id}: ${p.pipeline}/${p.phase} ${p.fromVersion ?? '(none)'} -> ${p.toVersion}\n`;
  switch (p.state) {
    case 'waiting':
      return `${head}  still waiting for:\n${formatPending(asVerdicts(p.gates), color, '    ')}`;
    case 'failed':
      return `${head}  failed${p.error ? `: ${p.error.message}` : ''}\n${formatPending(asVerdicts(p.gates), color, '    ')}`;
    case 'succeeded':
      return `${head}  promoted${p.commitSha ? `: commit ${p.commitSha.slice(0, 12)}` : ' (the phase already held it)'}\n`;
    default:
      // a server runs what its gates let through; `gantry track <id>` follows it
      return `${head}  every gate passes: ${p.state}${remote ? ` (follow it: gantry track ${p.id})` : ''}\n`;
  }
}

async function decideRemotely(client: GantryClient, id: string, decision: Decision, comment: string | undefined) {
  return decision === 'approve'
    ? client.approve(id, comment ? { comment } : {})
    : client.reject(id, { comment: comment ?? '' });
}

/**
 * Locally the same lifecycle decides on the store (the person as admin, see local-actor.ts);
 * a promotion its gates now let through runs in this process, as a local promote does (or,
 * when a server on the same store claims it first, this waits for that one).
 */
async function decideLocally(
  io: Io,
  g: GlobalOptions,
  id: string,
  decision: Decision,
  comment: string | undefined,
): Promise<DecidedPromotion> {
  return withLocalLifecycle(io, g, async ({ store, lifecycle }) => {
    const actor = localActor(io.env);
    const decided = await lifecycle.decide({
      id,
      actor,
      role: LOCAL_ROLE,
      decision,
      ...(comment ? { comment } : {}),
    });
    await store.recordAudit({
      actor,
      action: decision,
      subject: `${decided.pipeline}/${decided.phase}`,
      detail: { promotion: id, digest: decided.toDigest, ...(comment ? { comment } : {}), state: decided.state },
    });
    if (decided.state !== 'queued') return decided;
    const own = await lifecycle.runOwn(id);
    await lifecycle.idle();
    return (await store.getPromotion(id)) ?? own.promotion;
  });
}

/** `gantry approve <id> [--comment]` and `gantry reject <id> --comment`: a decision on a waiting promotion's version. */
export async function decideCommand(
  io: Io,
  g: GlobalOptions,
  decision: Decision,
  rawId: string,
  o: DecideFlags,
): Promise<number> {
  const id = promotionId(rawId);
  const comment = o.comment?.trim() || undefined;
  if (decision === 'reject' && !comment)
    throw new GantryError('invalid_request', '[comment] a rejection says why: --comment <text>', { field: 'comment' });
  const client = remoteClient(io);
  const p: DecidedPromotion = client
    ? await decideRemotely(client, id, decision, comment)
    : await decideLocally(io, g, id, decision, comment);
  io.out(o.json ? toJson(p) : describe(decision, p, io.color, client !== undefined));
  // a rejection that fails the promotion is the decision working; an approval whose run failed is not
  return decision === 'approve' && !SETTLED_OK.has(p.state) ? EXIT.failed : EXIT.ok;
}
