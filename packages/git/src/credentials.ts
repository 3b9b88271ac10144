import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RemoteConfig } from './config.js';

/**
 * Prints the username or password git asks for, from variables set only on that git
 * child; the secrets never reach argv, URLs, files or logs.
 */
const ASKPASS = `#!/bin/sh
case "$1" in
  [Uu]sername*) printf '%s\\n' "$GANTRY_GIT_USERNAME" ;;
  *) printf '%s\\n' "$GANTRY_GIT_PASSWORD" ;;
esac
`;

/** Username sent with a bare token; GitHub, GitLab and Gitea accept a token as the password of any user. */
export const TOKEN_USERNAME = 'x-access-token';

export async function writeAskpass(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'askpass.sh');
  // another process sharing the data directory may be running the script right now: replace it whole
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, ASKPASS, { mode: 0o700 });
  await chmod(tmp, 0o700);
  await rename(tmp, path);
  return path;
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Environment for network commands (fetch, push) to one remote. */
export function credentialEnv(
  credentials: RemoteConfig['credentials'],
  askpass: string,
): Readonly<Record<string, string>> {
  if (!credentials) return {};
  if ('sshKey' in credentials) {
    const known = credentials.knownHosts;
    return {
      GIT_SSH_COMMAND: [
        'ssh',
        `-i ${shellQuote(credentials.sshKey)}`,
        '-o IdentitiesOnly=yes',
        '-o BatchMode=yes',
        `-o UserKnownHostsFile=${known ? shellQuote(known) : '/dev/null'}`,
        `-o StrictHostKeyChecking=${known ? 'yes' : 'accept-new'}`,
      ].join(' '),
    };
  }
  const [username, password] =
    'token' in credentials ? [TOKEN_USERNAME, credentials.token] : [credentials.username, credentials.password];
  return { GIT_ASKPASS: askpass, GANTRY_GIT_USERNAME: username, GANTRY_GIT_PASSWORD: password };
}

/** The secret values of a remote, to scrub from anything surfaced. */
export function secretsOf(credentials: RemoteConfig['credentials']): string[] {
  if (!credentials) return [];
  if ('token' in credentials) return [credentials.token];
  if ('password' in credentials) return [credentials.password];
  return [];
}

/**
 * `https://user:pass@host/x` -> `https://host/x` with `{ username, password }` credentials
 * (unless credentials are configured), so that secrets never reach git's argv or config.
 */
export function moveUrlCredentials(config: RemoteConfig): RemoteConfig {
  const m = /^(https?:\/\/)([^/@\s]+)@(.*)$/i.exec(config.url);
  if (!m) return config;
  const url = `${m[1]}${m[3]}`;
  if (config.credentials) return { ...config, url };
  const userinfo = m[2] as string;
  const i = userinfo.indexOf(':');
  const username = decodeURIComponent(i < 0 ? userinfo : userinfo.slice(0, i));
  const password = i < 0 ? undefined : decodeURIComponent(userinfo.slice(i + 1));
  return password === undefined
    ? { ...config, url: `${m[1]}${encodeURIComponent(username)}@${m[3]}` }
    : { ...config, url, credentials: { username, password } };
}
