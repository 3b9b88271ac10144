import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export const SSHD_BINARY = '/usr/sbin/sshd';

export interface SshKeyPair {
  /** Path of the private key file (mode 0600), as `credentials.sshKey` takes it. */
  readonly privateKey: string;
  /** The public key line, as `authorized_keys` holds it. */
  readonly publicKey: string;
}

export interface SshServer {
  /** `ssh://<user>@127.0.0.1:<port>`; append the absolute path of a bare repository. */
  readonly url: string;
  /** A `known_hosts` file naming this server's host key. */
  readonly knownHosts: string;
  stop(): Promise<void>;
}

/** The `known_hosts` line that names `publicKey` as the key of the SSH server on 127.0.0.1:`port`. */
export function knownHostsLine(port: number | string, publicKey: string): string {
  return `[127.0.0.1]:${port} ${publicKey.split(' ').slice(0, 2).join(' ')}\n`;
}

/** A fresh ed25519 key pair without a passphrase under `dir`. */
export function createSshKey(dir: string, name: string): SshKeyPair {
  const privateKey = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', privateKey], { stdio: 'ignore' });
  return { privateKey, publicKey: readFileSync(`${privateKey}.pub`, 'utf8').trim() };
}

/**
 * Real OpenSSH `sshd` on a free 127.0.0.1 port, as the current user, accepting only the
 * given public keys: what `git@host:repo.git` looks like to a client. Git runs through the
 * user's login shell, so any bare repository on this machine can be addressed by path.
 */
export async function startSshServer(dir: string, authorizedKeys: readonly string[]): Promise<SshServer> {
  const port = await freePort();
  const hostKey = createSshKey(dir, 'ssh_host_ed25519_key');
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, `${authorizedKeys.join('\n')}\n`, { mode: 0o600 });
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, knownHostsLine(port, hostKey.publicKey));
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey.privateKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorized}`,
      // temp directories are not laid out the way StrictModes wants a home directory
      'StrictModes no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  // sshd refuses to start as root without its privilege-separation directory, which only the service unit creates
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child = spawn(SSHD_BINARY, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  let exited = false;
  const done = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  for (let i = 0; ; i++) {
    if (exited) throw new Error(`sshd exited before it listened: ${err}`);
    if (i > 200) throw new Error(`sshd not listening on ${port} after 10 s: ${err}`);
    if (await canConnect(port)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `ssh://${userInfo().username}@127.0.0.1:${port}`,
    knownHosts,
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await done;
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
