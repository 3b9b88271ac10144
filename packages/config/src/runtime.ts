import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Engine, Logger, Services, System } from '@gantry/core';
import { createEngine, createServices, parseDuration, proposalProvidersKey } from '@gantry/core';
import type { GitRepositories, RemoteConfig } from '@gantry/git';
import {
  createGitRepositories,
  gitRepositoriesKey,
  githubProposals,
  gitlabProposals,
  proposalProviders,
} from '@gantry/git';
import type { HelmRepositoryConfig } from '@gantry/helm';
import { createHelmRepositories, helmRepositoriesKey } from '@gantry/helm';
import type { Registries, RegistryConfig } from '@gantry/oci';
import { createRegistries, ociRegistriesKey } from '@gantry/oci';
import type { LoadedConfig } from './load-config.js';
import type { LoadSystemOptions } from './load-system.js';
import { loadSystem } from './load-system.js';
import { createLogger } from './logger.js';
import type { GantryConfig, LogLevel, RegistryConfigInput, RepositoryConfigInput } from './schema.js';
import type { TypecheckResult } from './typecheck.js';

/** Everything a command or the server needs, assembled from the configuration. */
export interface Runtime {
  readonly loaded: LoadedConfig;
  /** Absolute data directory (clone cache, database). */
  readonly dataDir: string;
  readonly pipelinesFile: string | undefined;
  /** What type-checking gantry.config.ts found, when `typecheck` was asked for. */
  readonly typecheck?: TypecheckResult;
  readonly system: System;
  readonly engine: Engine;
  readonly services: Services;
  readonly repositories: GitRepositories;
  readonly registries: Registries;
  readonly logger: Logger;
  close(): Promise<void>;
}

export interface OpenRuntimeOptions extends LoadSystemOptions {
  /** A ready logger; otherwise one is made at the level below. */
  readonly logger?: Logger;
  /** An explicit level (`--log-level`): wins over `GANTRY_LOG_LEVEL` and the file's `logLevel`. */
  readonly logLevel?: LogLevel;
  /** The level when neither the flag, `GANTRY_LOG_LEVEL` nor `logLevel:` names one (info). */
  readonly defaultLogLevel?: LogLevel;
}

/** A URL git understands as remote, as opposed to a path on this machine. */
const isRemoteUrl = (url: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/\s]+@[^/\s]+:/.test(url);

/** A GitHub App's credentials, the private key read from its file (relative to gantry.yaml) when given one. */
function appCredentials(
  dir: string,
  a: NonNullable<NonNullable<RepositoryConfigInput['provider']>['app']>,
): { appId: string; installationId: string; privateKey: string } {
  const privateKey = a.privateKey ?? readFileSync(resolve(dir, a.privateKeyFile ?? ''), 'utf8');
  return { appId: String(a.id), installationId: String(a.installationId), privateKey };
}

function remoteConfig(dir: string, r: RepositoryConfigInput): RemoteConfig {
  return {
    url: isRemoteUrl(r.url) ? r.url : resolve(dir, r.url),
    ...(r.branch !== undefined ? { branch: r.branch } : {}),
    ...(r.staleAfter !== undefined ? { staleAfter: parseDuration(r.staleAfter) } : {}),
    ...(r.credentials !== undefined
      ? {
          credentials:
            'sshKey' in r.credentials
              ? { ...r.credentials, sshKey: resolve(dir, r.credentials.sshKey) }
              : r.credentials,
        }
      : {}),
  };
}

type OciRegistryInput = Exclude<RegistryConfigInput, { helm: string }>;
type HelmRegistryInput = Extract<RegistryConfigInput, { helm: string }>;
const isHelm = (r: RegistryConfigInput): r is HelmRegistryInput => 'helm' in r;

function helmConfig(r: HelmRegistryInput): HelmRepositoryConfig {
  return {
    url: r.helm,
    ...(r.auth ? { auth: r.auth } : {}),
    ...(r.timeout ? { timeout: parseDuration(r.timeout) } : {}),
    ...(r.staleAfter ? { staleAfter: parseDuration(r.staleAfter) } : {}),
  };
}

/** The entries of `registries:` of one kind: OCI registries and Helm chart repositories share the names. */
function registriesOf<K extends RegistryConfigInput>(
  all: Record<string, RegistryConfigInput> | undefined,
  is: (r: RegistryConfigInput) => r is K,
): Record<string, K> {
  return Object.fromEntries(Object.entries(all ?? {}).filter((e): e is [string, K] => is(e[1])));
}

function registryConfig(dir: string, r: OciRegistryInput): RegistryConfig {
  if ('layout' in r)
    return { layout: isAbsolute(r.layout) ? r.layout : resolve(dir, r.layout), ...(r.host ? { host: r.host } : {}) };
  return {
    url: r.url,
    ...(r.host ? { host: r.host } : {}),
    ...(r.auth ? { auth: r.auth } : {}),
    ...(r.timeout ? { timeout: parseDuration(r.timeout) } : {}),
    ...(r.limits ? { limits: r.limits } : {}),
    ...(r.cacheTtl ? { cacheTtl: parseDuration(r.cacheTtl) } : {}),
  };
}

const mapValues = <T, U>(o: Record<string, T> | undefined, fn: (v: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, fn(v)]));

export function dataDirOf(loaded: LoadedConfig): string {
  return resolve(loaded.dir, loaded.config.dataDir ?? '.gantry');
}

/**
 * Loads gantry.yaml and gantry.config.ts and builds one validated system with its services.
 * Every name a source uses (repository, registry, branch, path) is resolved here, before
 * anything reads a remote, so `serve` and `promote` refuse a bad one at start.
 */
export async function openRuntime(options: OpenRuntimeOptions): Promise<Runtime> {
  const { loaded, pipelinesFile, system, typecheck } = await loadSystem(options);
  const config: GantryConfig = loaded.config;
  // config.logLevel already holds GANTRY_LOG_LEVEL when it is set (loadConfig validates it)
  const logger =
    options.logger ?? createLogger(options.logLevel ?? config.logLevel ?? options.defaultLogLevel ?? 'info');
  const dataDir = dataDirOf(loaded);

  const repositories = createGitRepositories({
    dataDir,
    remotes: mapValues(config.repositories, (r) => remoteConfig(loaded.dir, r)),
    logger: logger.child({ component: 'git' }),
    ...(config.git?.author ? { author: config.git.author } : {}),
    ...(config.git?.committer ? { committer: config.git.committer } : {}),
  });
  const oci = createRegistries({
    registries: mapValues(
      registriesOf(config.registries, (r): r is OciRegistryInput => !isHelm(r)),
      (r) => registryConfig(loaded.dir, r),
    ),
    logger: logger.child({ component: 'oci' }),
  });
  const helm = createHelmRepositories({
    repositories: mapValues(registriesOf(config.registries, isHelm), helmConfig),
    logger: logger.child({ component: 'helm' }),
  });
  // a registry push webhook may name a Helm repository: its next read asks for index.yaml again
  const registries: Registries = {
    ...oci,
    changed(repository, registry) {
      oci.changed(repository, registry);
      helm.changed(registry);
    },
  };
  const services = createServices();
  services.set(gitRepositoriesKey, repositories);
  services.set(ociRegistriesKey, oci);
  services.set(helmRepositoriesKey, helm);
  // pull requests for phases with write: proposal, one provider per repository that names one
  const proposals = proposalProviders(
    Object.fromEntries(
      Object.entries(config.repositories ?? {}).flatMap(([name, r]) =>
        r.provider
          ? [
              [
                name,
                r.provider.kind === 'gitlab'
                  ? gitlabProposals({
                      repository: r.provider.repository,
                      token: r.provider.token ?? '',
                      ...(r.provider.tokenType ? { tokenType: r.provider.tokenType } : {}),
                      ...(r.provider.apiUrl ? { apiUrl: r.provider.apiUrl } : {}),
                      pollIntervalMs: parseDuration(r.provider.pollInterval ?? '1m').ms,
                      logger: logger.child({ component: 'proposals', repository: name }),
                    })
                  : githubProposals({
                      repository: r.provider.repository,
                      ...(r.provider.token ? { token: r.provider.token } : {}),
                      ...(r.provider.app ? { app: appCredentials(loaded.dir, r.provider.app) } : {}),
                      ...(r.provider.apiUrl ? { apiUrl: r.provider.apiUrl } : {}),
                      pollIntervalMs: parseDuration(r.provider.pollInterval ?? '1m').ms,
                      logger: logger.child({ component: 'proposals', repository: name }),
                    }),
              ],
            ]
          : [],
      ),
    ),
  );
  services.set(proposalProvidersKey, proposals);
  const engine = createEngine({ system, context: { services, logger } });
  return {
    loaded,
    dataDir,
    pipelinesFile,
    ...(typecheck ? { typecheck } : {}),
    system,
    engine,
    services,
    repositories,
    registries,
    logger,
    close: () => repositories.close(),
  };
}
