import { join, posix } from 'node:path';
import { ApiProblemError, createClient } from '@gantry/client';
import type { LoadedSystem } from '@gantry/config';
import { loadSystem } from '@gantry/config';
import type { Phase, PhaseDeployer } from '@gantry/core';
import { GantryError } from '@gantry/core';
import type { DeployerRequest } from '@gantry/deployments';
import { argoEventFor, fluxEventsFor, formatDeployerRef } from '@gantry/deployments';

/** Where `gantry sandbox deploy` posts when GANTRY_SERVER is not set: `gantry serve`'s default. */
export const DEFAULT_SERVER = 'http://127.0.0.1:8080';

export interface SandboxDeployOptions {
  /** The sandbox directory (its gantry.yaml names the phases, their deployers and the secrets). */
  readonly dir: string;
  /** `staging`, or `app/staging` when several pipelines have the phase. */
  readonly phase: string;
  readonly server: string;
  readonly token?: string;
  /** Report a failure: Flux HealthCheckFailed (degraded), Argo CD health Degraded. */
  readonly fail?: boolean;
  /** Speak as this deployer; default: the one the phase names. */
  readonly as?: 'flux' | 'argocd';
  /** The config commit to report; default: the one holding the phase's version, as the server reads it now. */
  readonly commit?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly now?: () => Date;
  readonly fetch?: typeof fetch;
}

/** What the server answered to one request (`POST /api/v1/webhooks/...`). */
export interface DeliveredEvent {
  readonly reason: string;
  readonly status: number;
  /** The recorded state (`applied`, `healthy`, `degraded`, ...); `matched`: phases it concerns; `settled`: promotion ids. */
  readonly response: { id: string; state: string; matched: string[]; settled: string[]; duplicate: boolean };
}

export interface SandboxDeployResult {
  readonly deployer: 'flux' | 'argocd';
  readonly object: string;
  readonly pipeline: string;
  readonly phase: string;
  readonly commit: string;
  readonly events: readonly DeliveredEvent[];
}

/**
 * Plays the phase's deployer: posts to a running server the requests Flux's
 * notification-controller (signed, `generic-hmac`) or Argo CD Notifications (secret header)
 * would send once it applied the commit holding the phase's current version.
 */
export async function sandboxDeploy(o: SandboxDeployOptions): Promise<SandboxDeployResult> {
  const loaded = await loadSystem({ cwd: o.dir, env: o.env ?? {}, file: join(o.dir, 'gantry.yaml') });
  const { pipeline, phase } = phaseNamed(loaded, o.phase);
  if (!phase.deployer) {
    throw new GantryError(
      'invalid_request',
      `${pipeline}/${phase.name} names no deployer: add \`deployer:\` to the phase (docs/flux.md, docs/argocd.md)`,
      { field: 'phase' },
    );
  }
  const deployer = o.as ?? (phase.deployer.kind === 'argocd-application' ? 'argocd' : 'flux');
  const secret = loaded.loaded.config.server?.webhooks?.[deployer]?.secret;
  if (!secret) {
    throw new GantryError(
      'invalid_request',
      `${loaded.loaded.file ?? 'gantry.yaml'} has no server.webhooks.${deployer}.secret to sign the event with`,
      { field: `server.webhooks.${deployer}.secret` },
    );
  }
  const f = o.fetch ?? globalThis.fetch.bind(globalThis);
  const client = createClient({ baseUrl: o.server, ...(o.token ? { token: o.token } : {}), fetch: f });
  const commit = o.commit ?? (await currentCommit(client, pipeline, phase.name));
  const branch = branchOf(loaded, phase);
  const time = (o.now ?? (() => new Date()))();
  const ref = refFor(phase.deployer, deployer);
  const requests: Array<{ reason: string; request: DeployerRequest }> =
    deployer === 'flux'
      ? fluxEventsFor({
          ref: ref as Extract<PhaseDeployer, { kind: 'flux-kustomization' | 'flux-helmrelease' }>,
          commit,
          branch,
          ok: !o.fail,
          failure: 'health-check',
          time,
          secret,
        }).map((request) => ({ reason: JSON.parse(request.body).reason as string, request }))
      : [
          {
            reason: o.fail ? 'on-health-degraded' : 'on-deployed',
            request: argoEventFor({
              ref: ref as Extract<PhaseDeployer, { kind: 'argocd-application' }>,
              commit,
              branch,
              ok: !o.fail,
              failure: 'degraded',
              ...(o.fail ? { message: 'Deployment "app" exceeded its progress deadline' } : {}),
              time,
              token: secret,
              path: pathOf(phase),
            }),
          },
        ];
  const events: DeliveredEvent[] = [];
  const url = `${o.server.replace(/\/$/, '')}/api/v1/webhooks/${deployer}`;
  for (const { reason, request } of requests) {
    const res = await f(url, { method: 'POST', headers: request.headers, body: request.body }).catch((e: unknown) => {
      throw new GantryError(
        'server_unreachable',
        `cannot reach the Gantry server at ${o.server}: ${(e as Error).message}`,
      );
    });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) throw new ApiProblemError(problemOf(res, body));
    events.push({ reason, status: res.status, response: body as DeliveredEvent['response'] });
  }
  return { deployer, object: formatDeployerRef(ref), pipeline, phase: phase.name, commit, events };
}

/** `staging` (the one phase of that name in any pipeline) or `app/staging`. */
function phaseNamed(loaded: LoadedSystem, name: string): { pipeline: string; phase: Phase } {
  const [p, ph] = name.includes('/') ? (name.split('/', 2) as [string, string]) : [undefined, name];
  const found = loaded.system.pipelines.flatMap((pl) =>
    pl.phases
      .filter((x) => x.name === ph && (p === undefined || pl.name === p))
      .map((x) => ({ pipeline: pl.name, phase: x })),
  );
  const [first] = found;
  if (first && found.length === 1) return first;
  const known = loaded.system.pipelines.flatMap((pl) => pl.phases.map((x) => `${pl.name}/${x.name}`));
  throw new GantryError(
    found.length > 1 ? 'invalid_request' : 'unknown_phase',
    found.length > 1
      ? `phase "${name}" is in several pipelines; name one: ${found.map((f) => `${f.pipeline}/${name}`).join(', ')}`
      : `unknown phase "${name}"; known: ${known.join(', ')}`,
    { name, known },
  );
}

/** The commit that holds the phase's version, as the server reads it now. */
async function currentCommit(client: ReturnType<typeof createClient>, pipeline: string, phase: string) {
  const status = await client.getPipeline(pipeline, { refresh: true });
  const commit = status.phases.find((p) => p.phase === phase)?.setBy?.id;
  if (!commit || !/^[0-9a-f]{40}$/.test(commit)) {
    throw new GantryError('invalid_request', `${pipeline}/${phase} has no commit to deploy yet (give --commit)`, {
      field: 'commit',
    });
  }
  return commit;
}

/** The branch a phase's Git source writes: Flux reports revisions as `<branch>@sha1:<commit>`. */
function branchOf(loaded: LoadedSystem, phase: Phase): string {
  const subject = phase.source.subject;
  if (subject?.kind !== 'git') return 'main';
  return subject.branch ?? loaded.loaded.config.repositories?.[subject.repository]?.branch ?? 'main';
}

/** The directory of the phase's file, which an Argo CD Application would point at. */
function pathOf(phase: Phase): string | undefined {
  const subject = phase.source.subject;
  const file = subject?.kind === 'git' ? subject.paths?.[0] : undefined;
  return file ? posix.dirname(file) : undefined;
}

/**
 * The object the event is about: the phase's own deployer, or (speaking as the other
 * deployer) an object of that kind with the same name, which the server records as unmatched.
 */
function refFor(d: PhaseDeployer, as: 'flux' | 'argocd'): PhaseDeployer {
  if (as === 'argocd')
    return d.kind === 'argocd-application' ? d : { kind: 'argocd-application', namespace: 'argocd', name: d.name };
  if (d.kind !== 'argocd-application') return d;
  return { kind: 'flux-kustomization', namespace: d.namespace ?? 'flux-system', name: d.name };
}

function problemOf(res: Response, body: Record<string, unknown>) {
  return typeof body.code === 'string'
    ? (body as unknown as ConstructorParameters<typeof ApiProblemError>[0])
    : {
        type: 'about:blank',
        title: res.statusText,
        status: res.status,
        code: `http_${res.status}`,
        detail: `POST ${res.url}: ${res.status} ${res.statusText}`,
      };
}
