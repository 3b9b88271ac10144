import type { Duration, Identity } from '@gantry/core';
import { z } from 'zod';

/** How Gantry reaches one Git remote. */
export interface RemoteConfig {
  readonly url: string;
  /** Default branch for sources that name none; `main` by default. */
  readonly branch?: string;
  /** A cached clone older than this is fetched before a read; 2 s by default. */
  readonly staleAfter?: Duration;
  readonly credentials?:
    | { readonly username: string; readonly password: string }
    | { readonly token: string }
    | { readonly sshKey: string; readonly knownHosts?: string };
  /** Pushes tried before a write gives up with `git_push_rejected`; 8 by default. */
  readonly maxPushAttempts?: number;
}

export const DEFAULT_BRANCH = 'main';
export const DEFAULT_STALE_AFTER: Duration = { ms: 2000 };
export const DEFAULT_MAX_PUSH_ATTEMPTS = 8;
export const DEFAULT_IDENTITY: Identity = { name: 'Gantry', email: 'gantry@localhost' };

const durationSchema = z.object({ ms: z.number().nonnegative() });

/** Validates a `RemoteConfig` from configuration input (the config package builds on it). */
export const remoteConfigSchema = z
  .object({
    url: z.string().min(1),
    branch: z.string().min(1).optional(),
    staleAfter: durationSchema.optional(),
    credentials: z
      .union([
        z.object({ username: z.string().min(1), password: z.string() }).strict(),
        z.object({ token: z.string().min(1) }).strict(),
        z.object({ sshKey: z.string().min(1), knownHosts: z.string().min(1).optional() }).strict(),
      ])
      .optional(),
    maxPushAttempts: z.number().int().min(1).max(100).optional(),
  })
  .strict() satisfies z.ZodType<RemoteConfig>;

export const identitySchema = z.object({ name: z.string().min(1), email: z.string().min(1) }).strict();
