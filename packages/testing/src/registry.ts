import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { htpasswdLine } from './htpasswd.js';
import { tempDir } from './temp-dir.js';
import type { TokenServer } from './token-server.js';
import { startTokenServer } from './token-server.js';

/** Debian's package `docker-registry` (CNCF Distribution 2.8). */
export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export interface StartRegistryOptions {
  /** `basic`: htpasswd; `token`: bearer tokens from a token server in this process. Default `none`. */
  readonly auth?: 'none' | 'basic' | 'token';
}

export interface TestRegistry {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `127.0.0.1:<port>`, as image references name it. */
  readonly host: string;
  /** Set with `auth: 'basic' | 'token'`. */
  readonly username?: string;
  readonly password?: string;
  /** With `auth: 'token'`: tokens issued so far. */
  readonly tokensIssued?: () => number;
  /** The registry's process (benchmarks read its CPU time). */
  readonly pid: number | undefined;
  /** Stops the registry (and token server), removes its storage. Safe to call twice. */
  stop(): Promise<void>;
}

function configYaml(port: number, storage: string, auth: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    auth,
  ].join('\n');
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Polls `/v2/` until the registry answers (200, or 401 with auth on); fails if the process dies. */
async function waitUntilReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${stderr()}`);
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not answer on ${url}/v2/ within 20 s: ${stderr()}`);
}

/**
 * Starts a real registry (`docker-registry serve`) on a free 127.0.0.1 port with
 * filesystem storage in a temp dir and deletes enabled.
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const mode = options.auth ?? 'none';
  const dir = await tempDir('gantry-registry-');
  let tokens: TokenServer | undefined;
  let child: ChildProcess | undefined;
  const username = 'gantry';
  const password = randomBytes(12).toString('hex');
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5000);
      }
    }
    await tokens?.stop();
    tokens = undefined;
    await dir.remove();
  };
  try {
    let auth = '';
    if (mode === 'basic') {
      const file = join(dir.path, 'htpasswd');
      await writeFile(file, `${await htpasswdLine(username, password)}\n`, { mode: 0o600 });
      auth = ['auth:', '  htpasswd:', '    realm: gantry-test', `    path: ${file}`].join('\n');
    } else if (mode === 'token') {
      tokens = await startTokenServer(dir.path, username, password);
      auth = [
        'auth:',
        '  token:',
        `    realm: ${tokens.realm}`,
        `    service: ${tokens.service}`,
        `    issuer: ${tokens.issuer}`,
        `    rootcertbundle: ${tokens.certFile}`,
      ].join('\n');
    }
    const port = await freePort();
    const configFile = join(dir.path, 'config.yml');
    await writeFile(configFile, `${configYaml(port, join(dir.path, 'storage'), auth)}\n`);
    let err = '';
    const started = spawn(REGISTRY_BINARY, ['serve', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    started.stderr?.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    });
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(url, started, () => err);
    const issuer = tokens;
    return {
      url,
      host: `127.0.0.1:${port}`,
      pid: started.pid,
      ...(mode !== 'none' ? { username, password } : {}),
      ...(issuer ? { tokensIssued: () => issuer.issued() } : {}),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
