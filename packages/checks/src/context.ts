import { renderTemplate } from '@gantry/core';
import type { Check } from './check-schema.js';

/** The promotion a check verifies. */
export interface CheckContext {
  readonly pipeline: string;
  readonly phase: string;
  readonly promotionId: string;
  /** The version promoted into the phase (a tag, a chart version...). */
  readonly version: string;
  /** Its digest (`sha256:...`). */
  readonly digest: string;
  /** What the phase held before, when it held something. */
  readonly fromVersion?: string;
  readonly fromDigest?: string;
  /** The phase the version came from (empty for a promotion by hand with a target). */
  readonly upstream?: string;
  /** The commit that carries the promotion in the phase's repository. */
  readonly commit?: string;
}

/**
 * The environment variables a command check gets, and the template variables of HTTP and
 * Prometheus checks (`{{version}}`), one for one. Unknown values are empty strings, so a
 * script with `set -u` can still read them.
 */
export const CONTEXT_VARIABLES = {
  GANTRY_PIPELINE: 'pipeline',
  GANTRY_PHASE: 'phase',
  GANTRY_PROMOTION_ID: 'promotionId',
  GANTRY_VERSION: 'version',
  GANTRY_DIGEST: 'digest',
  GANTRY_FROM_VERSION: 'fromVersion',
  GANTRY_FROM_DIGEST: 'fromDigest',
  GANTRY_UPSTREAM: 'upstream',
  GANTRY_COMMIT: 'commit',
} as const satisfies Record<string, keyof CheckContext>;

/** `{ pipeline, phase, version, ... }` with every key present. */
export function templateVariables(context: CheckContext): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const key of Object.values(CONTEXT_VARIABLES)) vars[key] = context[key] ?? '';
  return vars;
}

/**
 * The environment of a command check: the base environment without any `GANTRY_*`
 * variable (a server's own settings and secrets do not leak into checks, and a stale
 * value can never pass for the promotion's), then the check's `env`, then the promotion
 * (`GANTRY_*` always describe the promotion) and `GANTRY_CHECK_NAME`.
 */
export function commandEnvironment(
  context: CheckContext,
  checkName: string,
  checkEnv: Readonly<Record<string, string>>,
  base: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !k.startsWith('GANTRY_')) env[k] = v;
  Object.assign(env, checkEnv);
  for (const [name, key] of Object.entries(CONTEXT_VARIABLES)) env[name] = context[key] ?? '';
  env.GANTRY_CHECK_NAME = checkName;
  return env;
}

/**
 * The check with `{{version}}` and the other variables filled in where a check may use
 * them: an HTTP check's URL, header values, body and expected substring; a Prometheus
 * query. Regexes and commands are left alone (commands read the environment instead, so
 * nothing is ever spliced into a shell line).
 */
export function renderCheck<C extends Check>(check: C, context: CheckContext): C {
  const vars = templateVariables(context);
  const t = (s: string) => renderTemplate(s, vars);
  switch (check.kind) {
    case 'http':
      return {
        ...check,
        url: t(check.url),
        headers: Object.fromEntries(Object.entries(check.headers).map(([k, v]) => [k, t(v)])),
        ...(check.body !== undefined ? { body: t(check.body) } : {}),
        ...(check.expectBody && 'contains' in check.expectBody
          ? { expectBody: { contains: t(check.expectBody.contains) } }
          : {}),
      };
    case 'prometheus':
      return { ...check, query: t(check.query) };
    case 'command':
      return check;
  }
}
