import type { Duration } from '@gantry/core';

/** Basic auth, as `helm repo add --username --password` sends it. */
export interface HelmRepositoryAuth {
  readonly username: string;
  readonly password: string;
}

/** A classic Helm chart repository: a URL under which `index.yaml` and the chart archives live. */
export interface HelmRepositoryConfig {
  /** The repository URL, as given to `helm repo add`, e.g. `https://charts.example.com/stable`. */
  readonly url: string;
  readonly auth?: HelmRepositoryAuth;
  /** Per request, including reading the body; default 30 s. */
  readonly timeout?: Duration;
  /**
   * How old the last look at `index.yaml` may be before a read looks again (with
   * `If-None-Match`/`If-Modified-Since`, so an unchanged index costs a 304); default 2 s, so
   * one status over many phases reads the index once.
   */
  readonly staleAfter?: Duration;
}

export const DEFAULT_HELM_TIMEOUT: Duration = { ms: 30_000 };
export const DEFAULT_HELM_STALE_AFTER: Duration = { ms: 2_000 };

/** The URL without credentials, query or trailing slash: what messages and resources name. */
export function displayRepositoryUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`.replace(/\/+$/, '');
}
