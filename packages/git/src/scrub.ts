/**
 * Keeps credentials out of anything Gantry surfaces: URLs with `user:pass@`, and the
 * literal secret values a remote is configured with.
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi;

/** `https://user:pass@host/x` -> `https://***@host/x`, and every known secret -> `***`. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(URL_USERINFO, '$1***@');
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join('***');
  return out;
}

/** The URL without user info, safe for messages. */
export function displayUrl(url: string): string {
  return url.replace(URL_USERINFO, '$1');
}
