import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { StoreContext } from './store-context.js';
import { parseInput, toTokenRecord } from './rows.js';
import { newTokenSchema } from './types.js';
import type { NewToken, TokenRecord } from './types.js';

/** Recognisable in logs and by secret scanners; the rest is 256 random bits. */
export const TOKEN_PREFIX = 'gty_';

function hashToken(plain: string): string {
  return createHash('sha256').update(plain).digest('hex');
}

/** Creates a token. The plaintext is returned once and only its sha256 is stored. */
export async function createToken(ctx: StoreContext, input: NewToken): Promise<{ token: string; record: TokenRecord }> {
  const t = parseInput(newTokenSchema, input, 'token');
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await ctx.db
    .insertInto('api_tokens')
    .values({
      id: randomUUID(),
      name: t.name,
      role: t.role,
      token_hash: hashToken(token),
      created_at: ctx.now().toISOString(),
      revoked_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, record: toTokenRecord(row) };
}

/** The live (not revoked) token record for a plaintext token, or undefined. */
export async function verifyToken(ctx: StoreContext, plain: string): Promise<TokenRecord | undefined> {
  // Looking up by hash leaks nothing about other tokens, so no constant-time compare is needed.
  if (typeof plain !== 'string' || !plain.startsWith(TOKEN_PREFIX) || plain.length > 256) return undefined;
  const row = await ctx.db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', hashToken(plain))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row && toTokenRecord(row);
}

/** All tokens, revoked ones included, oldest first. */
export async function listTokens(ctx: StoreContext): Promise<TokenRecord[]> {
  const rows = await ctx.db.selectFrom('api_tokens').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toTokenRecord);
}

/** Revokes a token by id; false if there is no such live token. */
export async function revokeToken(ctx: StoreContext, id: string): Promise<boolean> {
  const r = await ctx.db
    .updateTable('api_tokens')
    .set({ revoked_at: ctx.now().toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
