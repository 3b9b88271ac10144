import { GantryError, parseDuration } from '@gantry/core';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { LOCAL_ROLE, localActor } from '../local-actor.js';
import { withLocalLifecycle } from '../local-lifecycle.js';
import { remoteClient } from '../remote.js';
import type { GlobalOptions } from '../runtime.js';

export interface OverrideFlags {
  readonly reason?: string;
  /** The version it is for: a tag or version as people read it, or a digest. Default: any. */
  readonly version?: string;
  /** How long it counts (`4h`) or until when (ISO 8601). Default: for good. */
  readonly expires?: string;
  readonly json?: boolean;
}

/** What the CLI shows: the API's override result and the lifecycle's both fit. */
interface OverrideView {
  readonly override: {
    readonly gate: string;
    readonly pipeline: string;
    readonly phase: string;
    readonly actor: string;
    readonly reason: string;
    readonly digest?: string;
    readonly version?: string;
    readonly expiresAt?: string;
  };
  readonly promotions: readonly {
    readonly id: string;
    readonly toVersion: string;
    readonly state: string;
    readonly error?: { readonly message: string };
  }[];
}

const DIGEST = /^[a-z0-9]+:[a-f0-9]{32,}$/;

/** `--expires 4h` (from now) or `--expires 2025-12-24T18:00Z` (an instant), as ISO 8601. */
export function expiryOf(text: string, now: Date): string {
  const t = text.trim();
  if (/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(t)) return new Date(now.getTime() + parseDuration(t).ms).toISOString();
  const at = Date.parse(t);
  if (/^\d{4}-\d{2}-\d{2}/.test(t) && Number.isFinite(at)) return new Date(at).toISOString();
  throw new GantryError(
    'invalid_request',
    `[expires] "${text}" is neither a duration (4h, 1d12h) nor an ISO 8601 date-time (2025-12-24T18:00Z)`,
    { field: 'expires' },
  );
}

function describe(v: OverrideView): string {
  const o = v.override;
  const forWhat = o.version ?? (o.digest ? o.digest.slice(0, 19) : 'any version');
  const lines = [
    `overrode gate "${o.gate}" of ${o.pipeline}/${o.phase} for ${forWhat}${o.expiresAt ? ` until ${o.expiresAt}` : ''}: ${o.reason} (by ${o.actor})`,
  ];
  if (v.promotions.length === 0) lines.push('  no promotion of the phase was waiting');
  for (const p of v.promotions) {
    const what = p.state === 'waiting' ? 'still waiting (other gates)' : p.state;
    lines.push(`  promotion ${p.id} (${p.toVersion}): ${what}${p.error ? `: ${p.error.message}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Locally the same lifecycle records it on the store (the person as admin, see
 * local-actor.ts), and a waiting promotion it releases runs in this process, as an approval does.
 */
function overrideLocally(
  io: Io,
  g: GlobalOptions,
  where: { pipeline: string; phase: string; gate: string },
  body: { reason: string; version?: string; expiresAt?: string },
): Promise<OverrideView> {
  return withLocalLifecycle(io, g, async ({ store, lifecycle }) => {
    const actor = localActor(io.env);
    const { override, promotions } = await lifecycle.override({
      ...where,
      actor,
      role: LOCAL_ROLE,
      reason: body.reason,
      ...(body.version !== undefined
        ? DIGEST.test(body.version)
          ? { digest: body.version }
          : { version: body.version }
        : {}),
      ...(body.expiresAt ? { expiresAt: body.expiresAt } : {}),
    });
    await store.recordAudit({
      actor,
      action: 'override',
      subject: `${where.pipeline}/${where.phase}`,
      detail: {
        override: override.id,
        gate: where.gate,
        reason: override.reason,
        digest: override.digest ?? 'any',
        ...(override.version ? { version: override.version } : {}),
        ...(override.expiresAt ? { expiresAt: override.expiresAt } : {}),
        promotions: promotions.map((p) => ({ id: p.id, state: p.state })),
      },
    });
    const settled = [];
    for (const p of promotions) {
      if (p.state !== 'queued') settled.push(p);
      else settled.push((await lifecycle.runOwn(p.id)).promotion);
    }
    await lifecycle.idle();
    return { override, promotions: settled };
  });
}

/**
 * `gantry override <pipeline> <phase> <gate> --reason <text> [--version v] [--expires 4h|ISO]`:
 * an admin lets versions through a closed window or a freeze, with a reason that the verdict,
 * the promotion and the audit log show. Remote mode needs an admin token.
 */
export async function overrideCommand(
  io: Io,
  g: GlobalOptions,
  pipeline: string,
  phase: string,
  gate: string,
  o: OverrideFlags,
): Promise<number> {
  const reason = o.reason?.trim() ?? '';
  if (reason === '')
    throw new GantryError('invalid_request', '[reason] an override says why: --reason <text>', { field: 'reason' });
  const expiresAt = o.expires !== undefined ? expiryOf(o.expires, new Date()) : undefined;
  const body = {
    reason,
    ...(o.version !== undefined ? { version: o.version } : {}),
    ...(expiresAt ? { expiresAt } : {}),
  };
  const client = remoteClient(io);
  const v: OverrideView = client
    ? await client.override(pipeline, phase, gate, body)
    : await overrideLocally(io, g, { pipeline, phase, gate }, body);
  io.out(o.json ? toJson(v) : describe(v));
  return v.promotions.some((p) => p.state === 'failed') ? EXIT.failed : EXIT.ok;
}
