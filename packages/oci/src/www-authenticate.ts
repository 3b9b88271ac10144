/** One challenge of a `WWW-Authenticate` header: `Bearer realm="...",service="...",scope="..."`. */
export interface AuthChallenge {
  /** Lower-cased: `bearer`, `basic`. */
  readonly scheme: string;
  /** Parameter names lower-cased, values unquoted. */
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
const SPACE = /[ \t]*/y;

/**
 * Parses a `WWW-Authenticate` header (RFC 9110 §11.6.1), which may hold several
 * challenges separated by commas, each a scheme then `name=value` or
 * `name="quoted \"value\""` parameters. Malformed tails are dropped, not guessed at.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  let i = 0;
  const skip = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(header);
    if (!m) return undefined;
    i = re.lastIndex;
    return m[0];
  };
  const ws = () => skip(SPACE);
  while (i < header.length) {
    ws();
    if (header[i] === ',') {
      i++;
      continue;
    }
    const name = skip(TOKEN);
    if (name === undefined) break;
    ws();
    const current = challenges.at(-1);
    if (header[i] === '=' && current) {
      i++;
      ws();
      let value: string;
      if (header[i] === '"') {
        i++;
        value = '';
        while (i < header.length && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < header.length) i++;
          value += header[i];
          i++;
        }
        i++;
      } else {
        value = skip(TOKEN) ?? '';
      }
      current.params[name.toLowerCase()] = value;
    } else {
      challenges.push({ scheme: name.toLowerCase(), params: {} });
    }
  }
  return challenges;
}
