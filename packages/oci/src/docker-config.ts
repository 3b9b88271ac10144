import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SourceError } from '@gantry/core';
import { z } from 'zod';

/** A username and password for HTTP basic auth or a token server. */
export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

const authEntrySchema = z.object({
  auth: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
});

const dockerConfigSchema = z.object({ auths: z.record(z.string(), authEntrySchema).optional() }).loose();

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** `https://host:5000/v1/` -> `host:5000`; Docker Hub's aliases all map to `docker.io`. */
function normalizeHost(key: string): string {
  const host = key
    .replace(/^[a-z]+:\/\//i, '')
    .split('/')[0]
    ?.toLowerCase();
  return host && DOCKER_HUB.has(host) ? 'docker.io' : (host ?? '');
}

/**
 * The credentials a Docker `config.json` holds for `host` (`auths[host].auth`, base64
 * `user:password`, or `username`/`password`). Keys may carry a scheme and path, as
 * `docker login` writes them. Credential helpers (`credsStore`, `credHelpers`) are not
 * run. Errors never quote the file's content: it holds secrets.
 */
export function credentialsFromDockerConfig(config: unknown, host: string): BasicCredentials | undefined {
  const parsed = dockerConfigSchema.safeParse(config);
  if (!parsed.success) {
    throw new SourceError('invalid_docker_config', 'Docker config is not valid: "auths" must map hosts to objects', {
      host,
    });
  }
  const wanted = normalizeHost(host);
  for (const [key, entry] of Object.entries(parsed.data.auths ?? {})) {
    if (normalizeHost(key) !== wanted) continue;
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon <= 0) {
        throw new SourceError('invalid_docker_config', `Docker config entry for ${key} has a malformed "auth" value`, {
          host,
        });
      }
      return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (entry.username !== undefined && entry.password !== undefined) {
      return { username: entry.username, password: entry.password };
    }
  }
  return undefined;
}

/**
 * Where the Docker config is: `path` (a `config.json` or the directory holding it),
 * else `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
 */
export async function dockerConfigPath(path?: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const base = path ?? env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  const info = await stat(base).catch(() => undefined);
  return info?.isDirectory() ? join(base, 'config.json') : base;
}

/** Reads the Docker config's credentials for `host`; `undefined` when the file or entry is absent. */
export async function loadDockerCredentials(
  host: string,
  path?: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BasicCredentials | undefined> {
  const file = await dockerConfigPath(path, env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && path === undefined) return undefined;
    throw new SourceError('invalid_docker_config', `cannot read Docker config ${file}`, { file }, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SourceError('invalid_docker_config', `Docker config ${file} is not valid JSON`, { file });
  }
  return credentialsFromDockerConfig(json, host);
}
