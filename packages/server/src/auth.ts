import type { Store, TokenRole } from '@gantry/store';
import type { MiddlewareHandler } from 'hono';
import type { OpenMode } from './open-mode.js';
import { ApiError } from './problem.js';

export type Role = TokenRole;

/** Who is calling: a token's name and role, or `anonymous` on an open (loopback-only) server. */
export interface Principal {
  readonly name: string;
  readonly role: Role;
}

/** `server.permissions` of gantry.yaml: the least role that may promote into matching phases. */
export interface PermissionRule {
  readonly pipeline: string;
  readonly phase: string;
  readonly role: Role;
}

// ci ranks below promoter: it reports what CI built (POST /artifacts) and reads, but does not promote
const RANK: Readonly<Record<Role, number>> = { viewer: 0, ci: 1, promoter: 2, admin: 3 };

export const roleAtLeast = (have: Role, need: Role): boolean => RANK[have] >= RANK[need];

const matches = (pattern: string, name: string) =>
  pattern === '*' || new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(name);

/** The first rule matching pipeline and phase decides; without one, promoters may promote. */
export function roleToPromote(rules: readonly PermissionRule[], pipeline: string, phase: string): Role {
  return rules.find((r) => matches(r.pipeline, pipeline) && matches(r.phase, phase))?.role ?? 'promoter';
}

export function requireRole(have: Principal, need: Role, what: string): void {
  if (!roleAtLeast(have.role, need)) {
    throw new ApiError('forbidden', `${what} needs role ${need}; token "${have.name}" has ${have.role}`, {
      need,
      have: have.role,
    });
  }
}

/**
 * Bearer tokens checked against their stored hashes. While the server is open (no token
 * exists; see open-mode.ts) a request without `Authorization` comes in as the anonymous
 * admin; the server then listens on 127.0.0.1 only. The first token ends that at once.
 */
export function authenticate(
  store: Store,
  mode: Pick<OpenMode, 'check'>,
): MiddlewareHandler<{ Variables: { principal: Principal } }> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header === undefined && (await mode.check())) {
      c.set('principal', { name: 'anonymous', role: 'admin' });
      return next();
    }
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!token) throw new ApiError('unauthorized', 'missing bearer token (Authorization: Bearer <token>)');
    const record = await store.verifyToken(token);
    if (!record) throw new ApiError('unauthorized', 'unknown or revoked token');
    c.set('principal', { name: record.name, role: record.role });
    return next();
  };
}
