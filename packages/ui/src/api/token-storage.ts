const KEY = 'gantry.token';

/** The API token the user signed in with; kept in localStorage so a reload stays signed in. */
export function readToken(): string | undefined {
  try {
    return window.localStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function writeToken(token: string | undefined): void {
  try {
    if (token) window.localStorage.setItem(KEY, token);
    else window.localStorage.removeItem(KEY);
  } catch {
    // storage disabled (private mode): the token lives until the tab closes
  }
}
