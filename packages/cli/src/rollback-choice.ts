import { GantryError } from '@gantry/core';

/** The fields of a recorded promotion a rollback is chosen by. */
export interface PastPromotion {
  readonly id: string;
  readonly state: string;
  readonly toDigest: string;
  readonly toVersion: string;
  readonly target: Readonly<Record<string, unknown>>;
}

/** Nothing in the phase's history to roll back to. */
export class NoRollbackTargetError extends GantryError {
  constructor(message: string, context: Record<string, unknown>) {
    super('not_found', message, context);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const matchesVersion = (p: PastPromotion, to: string): boolean =>
  p.toVersion === to ||
  p.toDigest === to ||
  (to.length >= 7 && (p.toDigest.startsWith(to) || p.toDigest.startsWith(`sha256:${to}`))) ||
  p.target['tag'] === to;

/**
 * The earlier promotion a rollback restores, from the phase's succeeded promotions (newest
 * first). Without `to`: the version before the one the phase runs now (`current`), i.e. the
 * newest succeeded promotion to another version, older than the one that brought the
 * current version. With `to`: that promotion id (or an unambiguous prefix of 8+ characters),
 * else the newest promotion to that version (its full name, digest or a prefix, or its tag).
 */
export function chooseRollback(
  history: readonly PastPromotion[],
  current: string | undefined,
  to: string | undefined,
  at: string,
): PastPromotion {
  const done = history.filter((p) => p.state === 'succeeded');
  const ran = [...new Set(done.map((p) => p.toVersion))].slice(0, 10).join(', ') || '(none recorded)';
  if (to !== undefined) {
    const byId = UUID.test(to)
      ? done.filter((p) => p.id === to.toLowerCase())
      : to.length >= 8
        ? done.filter((p) => p.id.startsWith(to.toLowerCase()))
        : [];
    if (byId.length > 1)
      throw new NoRollbackTargetError(`${to} names several promotions of ${at}; give more of the id`, { to });
    const chosen = byId[0] ?? done.find((p) => matchesVersion(p, to));
    if (!chosen) {
      throw new NoRollbackTargetError(
        `no succeeded promotion of ${at} to ${to}; versions it ran: ${ran} (to release any other version: gantry release --version)`,
        { to },
      );
    }
    if (chosen.toDigest === current) {
      throw new NoRollbackTargetError(`${at} already runs ${chosen.toVersion}; nothing to roll back`, { to });
    }
    return chosen;
  }
  const broughtCurrent = done.findIndex((p) => p.toDigest === current);
  const before = done.slice(broughtCurrent < 0 ? 0 : broughtCurrent + 1).find((p) => p.toDigest !== current);
  if (!before) {
    throw new NoRollbackTargetError(
      `no earlier version of ${at} recorded to roll back to; versions it ran: ${ran} (to release one: gantry release --version)`,
      {},
    );
  }
  return before;
}
