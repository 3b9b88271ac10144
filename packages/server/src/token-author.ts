import type { Identity } from '@gantry/core';

const EMAIL = /^[^\s<>@]+@[^\s<>@]+$/;

/**
 * The Git identity a token holder's promotions are authored by, read from the token's name:
 * `Alice Example <alice@example.com>` or `alice@example.com` name a person exactly; any other
 * name (`alice`, `release-bot`) becomes `alice <alice@tokens.gantry.invalid>`, a reserved
 * domain that reaches nobody, so the commit still says who promoted. The anonymous caller
 * of an open server names nobody: its commits keep the configured author.
 */
export function authorOfToken(name: string): Identity | undefined {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed === 'anonymous') return undefined;
  const full = /^(.+?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(trimmed);
  if (full?.[1] && full[2]) return { name: full[1], email: full[2] };
  if (EMAIL.test(trimmed)) return { name: trimmed.slice(0, trimmed.indexOf('@')), email: trimmed };
  const local =
    trimmed
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'token';
  return { name: trimmed, email: `${local}@tokens.gantry.invalid` };
}
