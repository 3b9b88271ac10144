import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { RegistryConfigInput, RepositoryConfigInput, Runtime } from '@gantry/config';
import { GantryError, parseDuration } from '@gantry/core';
import { compareVersions, GitNotFoundError, gitBinary, MIN_GIT_VERSION, probeRemote } from '@gantry/git';
import { pingRegistry } from '@gantry/oci';
import { openStore } from '@gantry/store';

export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of `gantry doctor`: what was checked, how it went, and what to do about it. */
export interface CheckResult {
  /** `node`, `git`, `config`, `data directory`, `repository`, `registry`, `helm repository`, `database`, `webhooks`. */
  readonly check: string;
  /** The configured name, for repositories and registries. */
  readonly subject?: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** What to change when it is not ok. */
  readonly fix?: string;
  /** The error code, when an error decided it. */
  readonly code?: string;
}

/** The Node.js Gantry supports (`engines` of its packages). */
export const MIN_NODE_VERSION = '20.19.0';

const failed = (check: string, e: unknown, fix: string, subject?: string): CheckResult => ({
  check,
  ...(subject !== undefined ? { subject } : {}),
  status: 'fail',
  detail: e instanceof Error ? e.message : String(e),
  fix,
  ...(e instanceof GantryError ? { code: e.code } : {}),
});

export function nodeCheck(version: string = process.versions.node): CheckResult {
  return compareVersions(version, MIN_NODE_VERSION) >= 0
    ? { check: 'node', status: 'ok', detail: `Node.js ${version}` }
    : {
        check: 'node',
        status: 'fail',
        detail: `Node.js ${version} is older than ${MIN_NODE_VERSION}`,
        fix: `install Node.js ${MIN_NODE_VERSION} or newer (20 LTS or later)`,
      };
}

/** git on the PATH of `env`, and new enough. */
export async function gitCheck(env: Readonly<Record<string, string | undefined>>): Promise<CheckResult> {
  try {
    const git = await gitBinary(env);
    return git.supported
      ? { check: 'git', status: 'ok', detail: `git ${git.version} (${git.binary})` }
      : {
          check: 'git',
          status: 'fail',
          detail: `git ${git.version} at ${git.binary} is older than ${MIN_GIT_VERSION}`,
          fix: `upgrade git to ${MIN_GIT_VERSION} or newer`,
          code: 'git_too_old',
        };
  } catch (e) {
    return failed(
      'git',
      e,
      e instanceof GitNotFoundError
        ? 'install git (Debian/Ubuntu: apt-get install git) and put it on the PATH of the user that runs Gantry'
        : 'check that git runs: git --version',
    );
  }
}

/** The data directory exists (or can be made) and takes a file. */
export async function dataDirCheck(dir: string): Promise<CheckResult> {
  const probe = join(dir, `.doctor-${randomUUID()}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, '');
    await rm(probe);
    return { check: 'data directory', status: 'ok', detail: `${dir} is writable` };
  } catch (e) {
    return failed(
      'data directory',
      e,
      `make ${dir} writable by this user, or point dataDir (GANTRY_DATA_DIR) at a directory that is`,
    );
  }
}

/** `git ls-remote` with the repository's credentials; needs git. */
export async function repositoryCheck(dir: string, name: string, r: RepositoryConfigInput): Promise<CheckResult> {
  const local = !/^[a-z][a-z0-9+.-]*:\/\//i.test(r.url) && !/^[^/\s]+@[^/\s]+:/.test(r.url);
  const credentials =
    r.credentials && 'sshKey' in r.credentials
      ? { ...r.credentials, sshKey: resolve(dir, r.credentials.sshKey) }
      : r.credentials;
  try {
    const probe = await probeRemote(name, {
      url: local ? resolve(dir, r.url) : r.url,
      ...(r.branch !== undefined ? { branch: r.branch } : {}),
      ...(credentials !== undefined ? { credentials } : {}),
    });
    return probe.branchFound
      ? {
          check: 'repository',
          subject: name,
          status: 'ok',
          detail: `${probe.url}: ${probe.branches} branch(es), ${probe.branch} among them`,
        }
      : {
          check: 'repository',
          subject: name,
          status: 'warn',
          detail: `${probe.url}: reachable, but it has no branch ${probe.branch}`,
          fix: `push a ${probe.branch} branch, or set repositories.${name}.branch to the branch phases write to`,
        };
  } catch (e) {
    const code = e instanceof GantryError ? e.code : undefined;
    const fix =
      code === 'git_auth_failed'
        ? `check repositories.${name}.credentials: the token or password (read and write access), or the SSH key and known_hosts`
        : code === 'git_not_found'
          ? 'install git'
          : `check repositories.${name}.url and that this machine reaches its host (DNS, proxy, firewall)`;
    return failed('repository', e, fix, name);
  }
}

/** A registry entry: `/v2/` with its auth (OCI), `index.yaml` (Helm), the directory (layout). */
export async function registryCheck(
  dir: string,
  name: string,
  r: RegistryConfigInput,
  env: NodeJS.ProcessEnv,
): Promise<CheckResult> {
  if ('layout' in r) {
    const path = isAbsolute(r.layout) ? r.layout : resolve(dir, r.layout);
    return existsSync(path)
      ? { check: 'registry', subject: name, status: 'ok', detail: `OCI image layouts in ${path}` }
      : {
          check: 'registry',
          subject: name,
          status: 'fail',
          detail: `${path} does not exist`,
          fix: `create it, or correct registries.${name}.layout`,
        };
  }
  if ('helm' in r) return helmCheck(name, r);
  try {
    const ping = await pingRegistry(
      {
        url: r.url,
        ...(r.auth ? { auth: r.auth } : {}),
        ...(r.timeout ? { timeout: parseDuration(r.timeout) } : {}),
      },
      { name, env },
    );
    const who = ping.username ? ` as ${ping.username}` : '';
    return { check: 'registry', subject: name, status: 'ok', detail: `${ping.url} answered (${ping.access}${who})` };
  } catch (e) {
    const code = e instanceof GantryError ? e.code : undefined;
    const fix =
      code === 'registry_unauthorized'
        ? `check registries.${name}.auth (username and password, token, or the Docker config's entry for the host)`
        : code === 'invalid_docker_config'
          ? `fix the Docker config.json registries.${name}.auth names`
          : `check registries.${name}.url and that this machine reaches it`;
    return failed('registry', e, fix, name);
  }
}

type HelmInput = Extract<RegistryConfigInput, { helm: string }>;

async function helmCheck(name: string, r: HelmInput): Promise<CheckResult> {
  const url = new URL('index.yaml', r.helm.endsWith('/') ? r.helm : `${r.helm}/`);
  const timeout = r.timeout ? parseDuration(r.timeout).ms : 30_000;
  const headers: Record<string, string> = r.auth
    ? { authorization: `Basic ${Buffer.from(`${r.auth.username}:${r.auth.password}`).toString('base64')}` }
    : {};
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeout) });
    await res.body?.cancel();
    if (res.ok) return { check: 'helm repository', subject: name, status: 'ok', detail: `${url.href} answered` };
    return {
      check: 'helm repository',
      subject: name,
      status: 'fail',
      detail: `${url.href} answered HTTP ${res.status}`,
      fix:
        res.status === 401 || res.status === 403
          ? `check registries.${name}.auth`
          : `check registries.${name}.helm: the URL that holds index.yaml`,
    };
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    return failed(
      'helm repository',
      new Error(`${url.href} is unreachable: ${cause ?? (e as Error).message}`),
      `check registries.${name}.helm and that this machine reaches it`,
      name,
    );
  }
}

/** The database the server would use, and how many API tokens it holds. */
export async function databaseCheck(rt: Runtime): Promise<{ result: CheckResult; tokens?: number }> {
  const url = rt.loaded.config.server?.databaseUrl;
  try {
    const store = await openStore({ ...(url ? { databaseUrl: url } : {}), sqlitePath: join(rt.dataDir, 'gantry.db') });
    try {
      const tokens = (await store.listTokens()).filter((t) => t.revokedAt === undefined).length;
      const kind = store.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite';
      return {
        result: { check: 'database', status: 'ok', detail: `${kind} ${store.location}: ${tokens} API token(s)` },
        tokens,
      };
    } finally {
      await store.close();
    }
  } catch (e) {
    return {
      result: failed(
        'database',
        e,
        url
          ? 'check server.databaseUrl (GANTRY_DATABASE_URL): host, port, user, password, database, and that PostgreSQL accepts this machine'
          : `check that ${rt.dataDir} is writable and not on a network file system`,
      ),
    };
  }
}

/** Webhook secrets and API tokens go together: a team's server needs both. */
export function webhookCheck(rt: Runtime, tokens: number): CheckResult {
  const c = rt.loaded.config;
  const secrets = [
    c.server?.webhookSecret,
    c.server?.webhooks?.flux?.secret,
    c.server?.webhooks?.argocd?.secret,
    ...Object.values(c.registries ?? {}).map((r) => r.webhookSecret),
    ...Object.values(c.repositories ?? {}).map((r) => r.webhookSecret),
  ].filter((s): s is string => typeof s === 'string' && s.length > 0).length;
  if (tokens > 0 && secrets === 0) {
    return {
      check: 'webhooks',
      status: 'fail',
      detail: `${tokens} API token(s) but no webhook secret: the server refuses every webhook (registry and Git pushes, Flux and Argo CD reports)`,
      fix: 'set server.webhookSecret (and server.webhooks.flux.secret / argocd.secret for deployer reports), e.g. ${GANTRY_WEBHOOK_SECRET}',
    };
  }
  if (tokens === 0 && secrets > 0) {
    return {
      check: 'webhooks',
      status: 'warn',
      detail: `${secrets} webhook secret(s) but no API token: the server listens on 127.0.0.1 only, so no webhook from elsewhere reaches it`,
      fix: 'create a token: gantry token create --name admin --role admin',
    };
  }
  return {
    check: 'webhooks',
    status: 'ok',
    detail: tokens === 0 ? 'no API token and no webhook secret (a local setup)' : `${secrets} webhook secret(s) set`,
  };
}
