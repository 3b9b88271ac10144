import type { Identity, Logger, OciImage, SourceContext, WriteRequest } from '@gantry/core';
import { createServices, silentLogger, TRAILERS } from '@gantry/core';
import type { GitRepositories, RemoteConfig } from '@gantry/git';
import { createGitRepositories, gitRepositoriesKey } from '@gantry/git';
import { image } from './line-updater.js';

export interface Rig {
  readonly repos: GitRepositories;
  readonly ctx: SourceContext;
}

/** A GitRepositories over the given remotes, registered as a service the sources find. */
export function rig(
  dataDir: string,
  remotes: Record<string, RemoteConfig>,
  identities: { author?: Identity; committer?: Identity } = {},
  logger: Logger = silentLogger,
): Rig {
  const repos = createGitRepositories({ dataDir, remotes, logger, ...identities });
  const services = createServices();
  services.set(gitRepositoriesKey, repos);
  return { repos, ctx: { services, logger: silentLogger } };
}

/** A write request as the engine builds it: message plus the four Gantry trailers. */
export function request(n: number | string, phase = 'staging', promotionId = `promo-${n}`): WriteRequest<OciImage> {
  const target = image(n);
  return {
    target,
    promotionId,
    message: `promote app/${phase} to ${n}`,
    trailers: {
      [TRAILERS.pipeline]: 'app',
      [TRAILERS.phase]: phase,
      [TRAILERS.digest]: target.digest,
      [TRAILERS.promotionId]: promotionId,
    },
  };
}

/** A logger that keeps every line it is given, as JSON, to check what would be logged. */
export function recordingLogger(lines: string[] = []): Logger & { readonly lines: string[] } {
  const log =
    (level: string, bindings: Record<string, unknown>) =>
    (obj: object | string, msg?: string): void => {
      lines.push(JSON.stringify({ level, ...bindings, obj, msg }));
    };
  const make = (bindings: Record<string, unknown>): Logger & { readonly lines: string[] } => ({
    lines,
    debug: log('debug', bindings),
    info: log('info', bindings),
    warn: log('warn', bindings),
    error: log('error', bindings),
    child: (more) => make({ ...bindings, ...more }),
  });
  return make({});
}
