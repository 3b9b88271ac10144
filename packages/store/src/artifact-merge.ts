import type { ArtifactSource, ArtifactStep, NewArtifact, NewArtifactStep, SourceField } from './artifact-types.js';
import { SOURCE_FIELDS } from './artifact-types.js';

/** An artifact's facts as one row holds them (everything but its id, key, times and steps). */
export interface ArtifactFacts {
  readonly image?: string;
  readonly digest?: string;
  readonly chart?: string;
  readonly version?: string;
  readonly source: Readonly<Partial<Record<SourceField, string>>>;
  /** Source fields read from OCI labels rather than reported. */
  readonly labelled: readonly SourceField[];
  readonly ci: { readonly runUrl?: string; readonly provider?: string };
  readonly pipelines: readonly string[];
  readonly verified: boolean;
  readonly unverifiedReason?: string;
}

export function flattenSource(s: ArtifactSource): Partial<Record<SourceField, string>> {
  const flat: Partial<Record<SourceField, string>> = {
    repository: s.repository,
    commit: s.commit,
    branch: s.branch,
    authorName: s.author?.name,
    authorEmail: s.author?.email,
    message: s.message,
    time: s.time,
  };
  return Object.fromEntries(Object.entries(flat).filter(([, v]) => v !== undefined));
}

export function nestSource(f: Readonly<Partial<Record<SourceField, string>>>): ArtifactSource {
  const author = {
    ...(f.authorName !== undefined ? { name: f.authorName } : {}),
    ...(f.authorEmail !== undefined ? { email: f.authorEmail } : {}),
  };
  return {
    ...(f.repository !== undefined ? { repository: f.repository } : {}),
    ...(f.commit !== undefined ? { commit: f.commit } : {}),
    ...(f.branch !== undefined ? { branch: f.branch } : {}),
    ...(Object.keys(author).length > 0 ? { author } : {}),
    ...(f.message !== undefined ? { message: f.message } : {}),
    ...(f.time !== undefined ? { time: f.time } : {}),
  };
}

/** The facts a new report states, with the labelled fields named. */
export function factsOf(a: NewArtifact): ArtifactFacts {
  return {
    ...(a.image !== undefined ? { image: a.image } : {}),
    ...(a.digest !== undefined ? { digest: a.digest } : {}),
    ...(a.chart !== undefined ? { chart: a.chart } : {}),
    ...(a.version !== undefined ? { version: a.version } : {}),
    source: flattenSource(a.source),
    labelled: a.labelled ?? [],
    ci: a.ci,
    pipelines: a.pipelines,
    verified: a.verified,
    ...(a.unverifiedReason !== undefined ? { unverifiedReason: a.unverifiedReason } : {}),
  };
}

/**
 * A report merged into what is recorded. Reported fields win; a field read from labels only
 * fills a gap or replaces another labelled value (CI's word beats the image's). Pipelines
 * accumulate; once the registry held the digest, it stays verified (a registry down later
 * says nothing new about it).
 */
export function mergeFacts(old: ArtifactFacts, next: ArtifactFacts): ArtifactFacts {
  const source: Partial<Record<SourceField, string>> = { ...old.source };
  const labelled = new Set(old.labelled);
  for (const f of SOURCE_FIELDS) {
    const v = next.source[f];
    if (v === undefined) continue;
    if (!next.labelled.includes(f)) {
      source[f] = v;
      labelled.delete(f);
    } else if (source[f] === undefined || labelled.has(f)) {
      source[f] = v;
      labelled.add(f);
    }
  }
  const verified = old.verified || next.verified;
  const reason = verified ? undefined : (next.unverifiedReason ?? old.unverifiedReason);
  const digest = old.digest ?? next.digest;
  const image = old.image ?? next.image;
  return {
    ...(image !== undefined ? { image } : {}),
    ...(digest !== undefined ? { digest } : {}),
    ...(old.chart !== undefined ? { chart: old.chart } : {}),
    ...(old.version !== undefined ? { version: old.version } : {}),
    source,
    labelled: SOURCE_FIELDS.filter((f) => labelled.has(f)),
    ci: { ...old.ci, ...defined(next.ci) },
    pipelines: [...new Set([...old.pipelines, ...next.pipelines])],
    verified,
    ...(reason !== undefined ? { unverifiedReason: reason } : {}),
  };
}

const TERMINAL = new Set(['succeeded', 'failed', 'skipped']);

/**
 * A step report merged into the recorded step, or `undefined` when it changes nothing (a
 * replay, or a late `running` of a step that already ended). A `running` after the end only
 * counts when it started later (the step was run again). Without times, Gantry notes when it
 * heard the step start and end, and the duration between them.
 */
export function mergeStep(old: ArtifactStep | undefined, next: NewArtifactStep, now: string): ArtifactStep | undefined {
  if (old && TERMINAL.has(old.status) && next.status === 'running') {
    const rerun = next.startedAt !== undefined && old.finishedAt !== undefined && next.startedAt > old.finishedAt;
    if (!rerun) return undefined;
    const { durationMs: _d, finishedAt: _f, ...kept } = old;
    return withTimes({ ...kept, ...defined(next), updatedAt: now }, old, now);
  }
  const merged: ArtifactStep = { ...(old ?? {}), ...defined(next), updatedAt: now } as ArtifactStep;
  const out = withTimes(merged, old, now);
  if (old && sameStep(old, out)) return undefined;
  return out;
}

function withTimes(s: ArtifactStep, old: ArtifactStep | undefined, now: string): ArtifactStep {
  const changedStatus = old?.status !== s.status;
  const out: ArtifactStep = { ...s };
  if (out.status === 'running' && out.startedAt === undefined && changedStatus) out.startedAt = now;
  if (TERMINAL.has(out.status) && out.finishedAt === undefined && changedStatus) out.finishedAt = now;
  if (TERMINAL.has(out.status) && out.durationMs === undefined && out.startedAt && out.finishedAt) {
    const ms = Date.parse(out.finishedAt) - Date.parse(out.startedAt);
    if (Number.isFinite(ms) && ms >= 0) out.durationMs = ms;
  }
  return out;
}

const STEP_FIELDS = ['name', 'status', 'durationMs', 'url', 'startedAt', 'finishedAt'] as const;
const sameStep = (a: ArtifactStep, b: ArtifactStep) => STEP_FIELDS.every((f) => a[f] === b[f]);

export function sameFacts(a: ArtifactFacts, b: ArtifactFacts): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Every field in one order, absent ones as null: two equal facts serialize the same. */
const canonical = (f: ArtifactFacts) => [
  f.image ?? null,
  f.digest ?? null,
  f.chart ?? null,
  f.version ?? null,
  SOURCE_FIELDS.map((k) => f.source[k] ?? null),
  SOURCE_FIELDS.filter((k) => f.labelled.includes(k)),
  f.ci.runUrl ?? null,
  f.ci.provider ?? null,
  f.pipelines,
  f.verified,
  f.unverifiedReason ?? null,
];

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
