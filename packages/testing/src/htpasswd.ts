import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 22 characters of bcrypt's base64; the last carries 2 bits, so it is one of `.Oeu`. */
function bcryptSalt(): string {
  const bytes = randomBytes(22);
  const body = [...bytes.subarray(0, 21)].map((b) => BCRYPT_ALPHABET[b % 64]).join('');
  return body + ('.Oeu'[(bytes[21] ?? 0) % 4] as string);
}

/**
 * An htpasswd line `user:$2b$...` (bcrypt, which the registry requires). Hashed by
 * the C library's `crypt(3)` through Perl (Debian's libxcrypt does bcrypt; perl-base
 * is always installed), so no extra package is needed. The password goes through the
 * environment, never argv.
 */
export async function htpasswdLine(username: string, password: string): Promise<string> {
  const { stdout } = await run('perl', ['-e', 'print crypt($ENV{GANTRY_HTPASSWD_PW}, $ENV{GANTRY_HTPASSWD_SALT})'], {
    env: { ...process.env, GANTRY_HTPASSWD_PW: password, GANTRY_HTPASSWD_SALT: `$2b$05$${bcryptSalt()}` },
  });
  if (!/^\$2[aby]\$05\$[./A-Za-z0-9]{53}$/.test(stdout)) {
    throw new Error("this system's crypt(3) cannot make bcrypt hashes (needs libxcrypt, as on Debian 11+)");
  }
  return `${username}:${stdout}`;
}
