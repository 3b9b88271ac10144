/** Display helpers shared by the views; plain functions so they are tested without a DOM. */

/** `sha256:abcdef...` -> `abcdef012345` (12 hex digits, as `docker` prints them). */
export function shortDigest(digest: string | undefined): string {
  if (!digest) return '';
  const hex = digest.includes(':') ? digest.slice(digest.indexOf(':') + 1) : digest;
  return hex.slice(0, 12);
}

/** A commit id shortened to 8 characters; anything that is not hex (a digest, a tag) is left to shortDigest. */
export function shortSha(sha: string | undefined): string {
  if (!sha) return '';
  return /^[0-9a-f]{7,64}$/i.test(sha) ? sha.slice(0, 8) : shortDigest(sha);
}

/**
 * A duration as people say it: `42s`, `5m`, `3h`, `12d`. Each unit counts whole units passed
 * (floored, as `kubectl` does): 150 s is `2m`, never `3m`.
 */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** A short duration with one decimal under a minute: `1.4s`, `2m 5s`. */
export function formatDuration(ms: number): string {
  if (ms < 0) return '';
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s ? `${m}m ${s}s` : `${m}m`;
}

/** `{ environment: 'staging' }` -> `['environment=staging']`. */
export function labelPairs(labels: Readonly<Record<string, string>> | undefined): string[] {
  return Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
}

/** Whether a label value is a link worth rendering as one. */
export function isHttpUrl(value: string): boolean {
  return /^https?:\/\/\S+$/i.test(value);
}

/** Tag and short digest: the server's version string, with the digest appended when it lacks one. */
export function versionLabel(version: string | undefined, digest: string | undefined): string {
  if (!version) return digest ? shortDigest(digest) : '';
  return version.includes('@') || !digest ? version : `${version}@${shortDigest(digest)}`;
}

/** When a phase's current version arrived (its commit's or tag's time), as epoch ms; undefined when unknown. */
export function arrivedAt(s: {
  readonly setBy?: { readonly time?: string | undefined } | undefined;
}): number | undefined {
  const t = s.setBy?.time ? Date.parse(s.setBy.time) : Number.NaN;
  return Number.isNaN(t) ? undefined : t;
}

/** A time as the reader's clock says it; what is not a time is shown as it came. */
export function localTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toLocaleString();
}
