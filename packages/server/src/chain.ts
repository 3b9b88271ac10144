import type { ApiChain, ApiChainLink, ApiChainLinkState, ApiLinks } from '@gantry/api';
import type { Artifact, CheckResultRecord, DeployerEventRecord, PromotionWithEvents, Trigger } from '@gantry/store';
import type { ImageSource } from './image-provenance.js';
import type { Linker } from './links.js';

/** The config commit that set a version, as Git tells it (the promotion's, or someone else's). */
export interface ConfigCommit {
  readonly sha: string;
  readonly time?: string;
  /** `Name <email>`. */
  readonly author?: string;
  readonly message?: string;
}

/** Every record a version's chain in one phase is assembled from; all but the names may be missing. */
export interface ChainInput {
  readonly pipeline: string;
  readonly phase: string;
  readonly version: string;
  readonly digest: string;
  readonly resource?: { readonly kind: string } & Record<string, unknown>;
  /** The phase runs this version now. */
  readonly current: boolean;
  /** The newest promotion of this version into the phase, with its state changes. */
  readonly promotion?: PromotionWithEvents;
  /** CI's report of what it built (by digest, or chart version). */
  readonly artifact?: Artifact;
  /** What the image's OCI labels say, read when there is no report. */
  readonly labels?: ImageSource;
  readonly configCommit?: ConfigCommit;
  /** The phase's config repository and branch (configured names). */
  readonly config?: { readonly repository: string; readonly branch?: string };
  /** Deployer reports matched to this phase for the config commit (or a later one containing it), oldest first. */
  readonly deployerEvents: readonly DeployerEventRecord[];
  /** The check results of the promotion's verification (every run). */
  readonly checks?: readonly CheckResultRecord[];
  readonly linker: Linker;
}

/** Who asked for a promotion, in one word or two: the person (their Git name), or the automation. */
export function triggerBy(t: Trigger): string {
  switch (t.kind) {
    case 'person':
      return t.author?.name ?? t.actor;
    case 'policy':
      return `policy ${t.policy}`;
    case 'schedule':
      return `schedule ${t.schedule}`;
    case 'webhook':
      return `webhook ${t.source}`;
  }
}

const short = (sha: string) => sha.slice(0, 7);
const firstLine = (s: string | undefined) => s?.split('\n')[0]?.trim() || undefined;
const personText = (p: { name?: string | undefined; email?: string | undefined } | undefined) =>
  p?.name || p?.email || undefined;
const nameOf = (author: string | undefined) => author?.replace(/\s*<[^>]*>\s*$/, '').trim() || author;

/** The image repository or chart a resource names, without digest. */
export function referenceOf(resource: ChainInput['resource']): string | undefined {
  if (!resource) return undefined;
  const text = (k: string) => (typeof resource[k] === 'string' ? (resource[k] as string) : undefined);
  if (resource.kind === 'oci-image') return text('repository');
  if (resource.kind === 'helm-chart') return text('name') ?? text('repository');
  return undefined;
}

function sourceLink(i: ChainInput): Extract<ApiChainLink, { kind: 'source' }> {
  const a = i.artifact?.source;
  const l = i.labels;
  const sha = a?.commit ?? l?.sha;
  const repository = a?.repository ?? l?.url ?? l?.repository;
  const author = a?.author ?? (l?.author ? { ...l.author } : undefined);
  const message = a?.message ?? l?.message;
  const branch = a?.branch ?? l?.branch;
  const from = a?.commit ? i.artifact?.sourceFrom : l?.sha ? ('labels' as const) : undefined;
  const url = sha
    ? i.linker.sourceCommit(
        { ...(repository ? { repository } : {}), ...(i.artifact?.ci.runUrl ? { ciRun: i.artifact.ci.runUrl } : {}) },
        sha,
      )
    : undefined;
  const who = personText(author);
  return {
    kind: 'source',
    state: sha ? 'done' : 'unknown',
    ...(a?.time ? { at: a.time } : {}),
    ...(who ? { by: who } : {}),
    ...(url ? { url } : {}),
    summary: sha
      ? `${short(sha)}${firstLine(message) ? ` ${firstLine(message)}` : ''}${branch ? ` (${branch})` : ''}`
      : 'source commit unknown: no CI report and no revision label on the image',
    ...(sha ? { sha } : {}),
    ...(message ? { message } : {}),
    ...(author ? { author } : {}),
    ...(branch ? { branch } : {}),
    ...(repository ? { repository } : {}),
    ...(from ? { from } : {}),
  };
}

function ciLink(i: ChainInput): Extract<ApiChainLink, { kind: 'ci' }> {
  const a = i.artifact;
  if (!a) return { kind: 'ci', state: 'unknown', summary: 'no CI report for this version', steps: [] };
  const steps = a.steps.map((s) => ({
    name: s.name,
    status: s.status,
    ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}),
    ...(s.url ? { url: s.url } : {}),
    ...(s.finishedAt ? { finishedAt: s.finishedAt } : {}),
  }));
  const state: ApiChainLinkState = a.steps.some((s) => s.status === 'failed')
    ? 'failed'
    : a.steps.some((s) => s.status === 'running')
      ? 'pending'
      : 'done';
  const finished = a.steps.flatMap((s) => (s.finishedAt ? [s.finishedAt] : [])).sort();
  const at = finished[finished.length - 1] ?? a.reportedAt;
  const by = a.ci.provider ? `${a.ci.provider} (${a.reportedBy})` : a.reportedBy;
  const words = steps.length === 0 ? 'reported, no steps' : steps.map((s) => `${s.name} ${s.status}`).join(', ');
  return {
    kind: 'ci',
    state,
    at,
    by,
    ...(a.ci.runUrl ? { url: a.ci.runUrl } : {}),
    summary: a.verified ? words : `${words}; unverified: ${a.unverifiedReason ?? 'not in the registry'}`,
    artifactId: a.id,
    ...(a.ci.runUrl ? { runUrl: a.ci.runUrl } : {}),
    ...(a.ci.provider ? { provider: a.ci.provider } : {}),
    steps,
    verified: a.verified,
    ...(a.unverifiedReason ? { unverifiedReason: a.unverifiedReason } : {}),
  };
}

function imageLink(i: ChainInput): Extract<ApiChainLink, { kind: 'image' }> {
  const reference = referenceOf(i.resource);
  const tag = typeof i.resource?.tag === 'string' ? i.resource.tag : undefined;
  const digest = typeof i.resource?.digest === 'string' ? i.resource.digest : undefined;
  const url =
    reference && i.resource?.kind === 'oci-image'
      ? i.linker.image(reference, { ...(digest ? { digest } : {}), ...(tag ? { tag } : {}) })
      : undefined;
  return {
    kind: 'image',
    state: 'done',
    ...(i.artifact ? { at: i.artifact.reportedAt, by: i.artifact.reportedBy } : {}),
    ...(url ? { url } : {}),
    summary: i.version,
    ...(reference ? { reference } : {}),
    digest: i.digest,
    version: i.version,
  };
}

const eventAt = (p: PromotionWithEvents, ...states: string[]) => p.events.find((e) => states.includes(e.state))?.at;

function configLink(i: ChainInput): Extract<ApiChainLink, { kind: 'config' }> {
  const p = i.promotion;
  const sha = p?.commitSha ?? i.configCommit?.sha;
  const repository = i.config?.repository;
  const url = sha && repository ? i.linker.configCommit(repository, sha) : undefined;
  const where = {
    ...(repository ? { repository } : {}),
    ...(i.config?.branch ? { branch: i.config.branch } : {}),
    ...(sha ? { sha } : {}),
    ...(i.configCommit?.message ? { message: i.configCommit.message } : {}),
    ...(url ? { url } : {}),
  };
  if (p) {
    const by = triggerBy(p.trigger);
    const state: ApiChainLinkState =
      p.state === 'succeeded' ? 'done' : p.state === 'failed' || p.state === 'superseded' ? 'failed' : 'pending';
    const at = eventAt(p, 'succeeded', 'pushed') ?? p.createdAt;
    const rollbackOf = p.trigger.kind === 'person' ? p.trigger.rollbackOf : undefined;
    return {
      kind: 'config',
      state,
      at,
      by,
      summary: `${sha ? `${short(sha)} ` : ''}${rollbackOf ? 'rollback' : 'promotion'} ${p.state}${p.reason ? `: ${firstLine(p.reason)}` : ''}`,
      ...where,
      promotionId: p.id,
      promotionState: p.state,
      ...(p.reason ? { reason: p.reason } : {}),
      trigger: p.trigger,
      ...(rollbackOf ? { rollbackOf } : {}),
    };
  }
  const c = i.configCommit;
  if (!c) return { kind: 'config', state: 'unknown', summary: 'no commit of the config repository known', ...where };
  const by = nameOf(c.author);
  return {
    kind: 'config',
    state: 'done',
    ...(c.time ? { at: c.time } : {}),
    ...(by ? { by } : {}),
    summary: `${short(c.sha)} ${firstLine(c.message) ?? ''} (written outside Gantry)`.trim(),
    ...where,
  };
}

const objectText = (e: DeployerEventRecord) =>
  `${e.object.kind} ${e.object.namespace ? `${e.object.namespace}/` : ''}${e.object.name}`;

function deployerLink(
  i: ChainInput,
  kind: 'applied' | 'healthy',
  configState: ApiChainLinkState,
): Extract<ApiChainLink, { kind: 'applied' | 'healthy' }> {
  const reached = kind === 'applied' ? ['applied', 'healthy'] : ['healthy'];
  const hit = i.deployerEvents.find((e) => reached.includes(e.state));
  const failure = i.deployerEvents.find((e) => e.state === 'failed' || (kind === 'healthy' && e.state === 'degraded'));
  const d = i.promotion?.deployment;
  if (hit) {
    return {
      kind,
      state: 'done',
      at: hit.occurredAt,
      by: `${hit.deployer} ${objectText(hit)}`,
      summary: `${hit.deployer} reported ${kind}: ${objectText(hit)}`,
      deployer: hit.deployer,
      object: objectText(hit),
      ...(hit.commit ? { commit: hit.commit } : {}),
      ...(hit.message ? { message: hit.message } : {}),
    };
  }
  // the promotion's record alone (its settling event may have been purged, or came before the index)
  if (d && reached.includes(d.state)) {
    const at = kind === 'healthy' ? (d.healthySince ?? d.at) : d.at;
    return {
      kind,
      state: 'done',
      at,
      ...(d.deployer ? { by: d.deployer, deployer: d.deployer } : {}),
      summary: `${d.deployer ?? 'the deployer'} reported ${kind}`,
      ...(d.commit ? { commit: d.commit } : {}),
      ...(d.message ? { message: d.message } : {}),
    };
  }
  const failed =
    failure ?? (d && (d.state === 'failed' || (kind === 'healthy' && d.state === 'degraded')) ? d : undefined);
  if (failed) {
    const at = 'occurredAt' in failed ? failed.occurredAt : failed.at;
    const deployer = failed.deployer;
    return {
      kind,
      state: 'failed',
      at,
      ...(deployer ? { by: deployer, deployer } : {}),
      summary: `${deployer ?? 'the deployer'} reported ${failed.state}${failed.message ? `: ${failed.message}` : ''}`,
      ...(failed.message ? { message: failed.message } : {}),
    };
  }
  return {
    kind,
    state: configState === 'done' ? 'pending' : 'unknown',
    summary: configState === 'done' ? `no deployer has reported it ${kind} yet` : `not ${kind}`,
  };
}

function verifiedLink(i: ChainInput, healthy: ApiChainLinkState): Extract<ApiChainLink, { kind: 'verified' }> {
  const v = i.promotion?.verification;
  const run = v?.run;
  const checks = (i.checks ?? [])
    .filter((c) => run === undefined || c.run === run)
    .map((c) => ({ name: c.name, status: typeof c.result.status === 'string' ? c.result.status : 'unknown' }));
  if (!v) {
    return {
      kind: 'verified',
      state: i.promotion && healthy !== 'failed' ? 'pending' : 'unknown',
      summary: i.promotion ? 'not verified yet' : 'Gantry did not write this version here: nothing verified it',
      checks,
    };
  }
  const state: ApiChainLinkState = v.state === 'verified' ? 'done' : v.state === 'failed' ? 'failed' : 'pending';
  const names = checks.map((c) => c.name);
  return {
    kind: 'verified',
    state,
    at: v.at,
    by: names.length > 0 ? `checks: ${names.join(', ')}` : 'Gantry',
    summary:
      v.state === 'verified'
        ? `verified${names.length > 0 ? ` by ${names.join(', ')}` : ''}`
        : v.state === 'failed'
          ? `verification failed${v.failed?.length ? `: ${v.failed.join(', ')}` : v.reason ? `: ${v.reason}` : ''}`
          : `verification ${v.state}`,
    ...(run !== undefined ? { run } : {}),
    checks,
    ...(v.failed ? { failed: v.failed } : {}),
    ...(v.reason ? { reason: v.reason } : {}),
  };
}

/**
 * A version's chain in one phase, from its records: source commit -> CI run and steps -> image
 * -> config commit -> applied -> healthy -> verified, each with its state, who and when.
 * Pure: the route and `gantry chain` gather the records; this only reads them.
 */
export function assembleChain(i: ChainInput): ApiChain {
  const source = sourceLink(i);
  const ci = ciLink(i);
  const image = imageLink(i);
  const config = configLink(i);
  const applied = deployerLink(i, 'applied', config.state);
  const healthy = deployerLink(i, 'healthy', config.state);
  const verified = verifiedLink(i, healthy.state);
  const links: ApiLinks = {
    ...(source.url ? { sourceCommit: source.url } : {}),
    ...(ci.url ? { ciRun: ci.url } : {}),
    ...(image.url ? { image: image.url } : {}),
    ...(config.url ? { configCommit: config.url } : {}),
  };
  return {
    pipeline: i.pipeline,
    phase: i.phase,
    version: i.version,
    digest: i.digest,
    ...(i.resource ? { resource: i.resource } : {}),
    current: i.current,
    ...(i.promotion ? { promotionId: i.promotion.id } : {}),
    links,
    chain: [source, ci, image, config, applied, healthy, verified],
  };
}
