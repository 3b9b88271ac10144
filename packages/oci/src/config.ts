import type { Duration } from '@gantry/core';
import { parseDuration } from '@gantry/core';
import { z } from 'zod';
import type { RequestLimits } from './budget.js';

/** Credentials for a remote registry. Each variant is strict so that a typo is an error, not anonymous access. */
export type RegistryAuth =
  | { readonly username: string; readonly password: string }
  /** A bearer token sent as is (an access token already issued for this registry). */
  | { readonly token: string }
  /** Credentials from a Docker `config.json`: this path (file or directory), else `$DOCKER_CONFIG`, else `~/.docker`. */
  | { readonly dockerConfig?: string };

/** An OCI Distribution registry reached over HTTP(S). */
export interface RemoteRegistryConfig {
  /** Base URL, e.g. `https://ghcr.io` or `http://127.0.0.1:5000`. */
  readonly url: string;
  /** How image references name this registry; default: the URL's `host[:port]`. */
  readonly host?: string;
  readonly auth?: RegistryAuth;
  /** Per request; default 30 s. */
  readonly timeout?: Duration;
  /**
   * The request budget of the registry's host (shared by registries configured on one host);
   * default 10 requests/s and 4 at once (`DEFAULT_LIMITS`).
   */
  readonly limits?: Partial<RequestLimits>;
  /**
   * How long reconciles use a tag list or a tag's digest without asking again; default 60 s.
   * A push webhook makes the next read ask at once; a person's promotion always asks.
   */
  readonly cacheTtl?: Duration;
}

/** A directory of OCI image layouts, one per repository at `<layout>/<repository>/`. */
export interface LayoutRegistryConfig {
  readonly layout: string;
  /** How image references name this registry; default `localhost/sandbox`. */
  readonly host?: string;
}

export type RegistryConfig = RemoteRegistryConfig | LayoutRegistryConfig;

/** Default `host` of a layout registry: image references read `localhost/sandbox/<repository>`. */
export const DEFAULT_LAYOUT_HOST = 'localhost/sandbox';

export const DEFAULT_TIMEOUT: Duration = { ms: 30_000 };
export const DEFAULT_CACHE_TTL: Duration = { ms: 60_000 };

const durationSchema = z.union([
  z.object({ ms: z.number().nonnegative() }),
  z.string().transform((text, ctx): Duration => {
    try {
      return parseDuration(text);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  }),
]);

const authSchema = z.union([
  z.strictObject({ username: z.string().min(1), password: z.string() }),
  z.strictObject({ token: z.string().min(1) }),
  z.strictObject({ dockerConfig: z.string().min(1).optional() }),
]);

const hostSchema = z
  .string()
  .regex(/^[A-Za-z0-9.-]+(?::\d+)?(?:\/[a-z0-9._-]+)*$/, 'expected host[:port][/path], e.g. registry.example.com');

const remoteSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).refine((u) => !/\/\/[^/]*@/.test(u), 'put credentials in "auth", not the URL'),
  host: hostSchema.optional(),
  auth: authSchema.optional(),
  timeout: durationSchema.optional(),
  limits: z
    .strictObject({
      requestsPerSecond: z.number().positive().optional(),
      concurrency: z.number().int().positive().optional(),
    })
    .optional(),
  cacheTtl: durationSchema.optional(),
});

const layoutSchema = z.strictObject({ layout: z.string().min(1), host: hostSchema.optional() });

/**
 * One registry in configuration: `{ url, host?, auth?, timeout?, limits?, cacheTtl? }` or
 * `{ layout, host? }`. `timeout` and `cacheTtl` take `30s`-style text or a Duration.
 */
export const registryConfigSchema: z.ZodType<RegistryConfig, unknown> = z.union([remoteSchema, layoutSchema]);

export function isLayoutConfig(config: RegistryConfig): config is LayoutRegistryConfig {
  return 'layout' in config;
}
