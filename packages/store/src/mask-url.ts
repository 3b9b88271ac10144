const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):(.*)@([^@]*)$/i;

/**
 * A database URL fit for messages and logs: the password (and any `password`
 * query parameter) replaced by `***`. Works on strings that are not valid URLs too.
 */
export function maskDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.searchParams.has('password')) u.searchParams.set('password', '***');
    return u.toString().replace('%2A%2A%2A', '***');
  } catch {
    // Unparseable, e.g. an unencoded `@` in the password: everything up to the last `@` is userinfo.
    return url.replace(USERINFO, '$1:***@$3').replace(/(password=)[^&\s]*/gi, '$1***');
  }
}

/** The password a URL carries, so that it can be scrubbed from driver messages. */
export function urlPassword(url: string): string | undefined {
  try {
    const u = new URL(url);
    return (u.password ? decodeURIComponent(u.password) : u.searchParams.get('password')) || undefined;
  } catch {
    return USERINFO.exec(url)?.[2] || undefined;
  }
}
