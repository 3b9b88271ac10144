import type { artifactReportSchema, artifactStepBodySchema } from '@gantry/api';
import type { ServiceKey, System } from '@gantry/core';
import { findPipeline, GantryError } from '@gantry/core';
import type { Runtime } from '@gantry/config';
import type { HelmRepositories } from '@gantry/helm';
import { helmRepositoriesKey } from '@gantry/helm';
import type { Registries } from '@gantry/oci';
import type { ArtifactAuditOf, Artifact, ArtifactOutcome, NewArtifact, SourceField, Store } from '@gantry/store';
import type { z } from 'zod';
import type { ImageLocation, Presence } from './artifact-registry.js';
import { chartPresence, imageName, imagePresence, locateImage, registryChecks } from './artifact-registry.js';
import type { Principal } from './auth.js';
import type { EventBus } from './events.js';
import type { SourceLabelKeys } from './image-provenance.js';
import { readImageLabels, sourceOfLabels } from './image-provenance.js';
import { labelKeysOf } from './source-facts.js';

export type ArtifactReportBody = z.infer<typeof artifactReportSchema>;
export type ArtifactStepBody = z.infer<typeof artifactStepBodySchema>;

export interface ArtifactReportsDeps {
  readonly system: System;
  readonly store: Store;
  readonly bus: EventBus;
  /** The runtime's registries; without them every image report is unverified. */
  readonly registries?: Registries;
  readonly helm?: HelmRepositories;
  /** A registry's configured source label keys (`registries.<name>.sourceLabels`). */
  readonly labelKeys?: (registry: string) => SourceLabelKeys | undefined;
  /**
   * How long a report waits for the registry's answer (default 2 s); a slower answer (a busy
   * registry, its request budget spent) is recorded when it comes, and announced then.
   */
  readonly answerWithinMs?: number;
  /**
   * Checks a lane (a registry host, a chart) may have unanswered before a new report stops
   * waiting for its own, while the lane's pace is not known yet (default 8; see `registryChecks`).
   */
  readonly laneDepth?: number;
  /**
   * Checks a lane may have queued at its registry (default 64: about six seconds of a 10/s
   * budget). A report beyond them is recorded unverified without waiting, and its build is
   * checked when the lane has room (see `registryChecks`).
   */
  readonly checkQueue?: number;
}

export interface ArtifactReports {
  /** Records what CI built: checked against the registry, completed from labels, merged idempotently. */
  report(body: ArtifactReportBody, by: Principal): Promise<{ artifact: Artifact; outcome: ArtifactOutcome }>;
  /** Records one step as the pipeline runs; `undefined` when no artifact has that id. */
  step(
    id: string,
    body: ArtifactStepBody,
    by: Principal,
  ): Promise<{ artifact: Artifact; outcome: ArtifactOutcome } | undefined>;
  /**
   * Asks the registry again about an unverified artifact and records the answer: the artifact
   * as now recorded. Throws when the registry cannot be asked (still nothing to trust).
   */
  reverify(a: Artifact): Promise<Artifact>;
}

/** How long a check of the registry may take in all before it counts as not answered. */
const REGISTRY_WAIT_MS = 60_000;
/** How long a report waits for that check before it is recorded unverified, to be settled later. */
const ANSWER_WITHIN_MS = 2_000;
/** Unanswered checks a lane may hold before a new report stops waiting, until its pace is known. */
const LANE_DEPTH = 8;
/** Checks a lane may have queued at its registry before reports are checked later instead. */
const CHECK_QUEUE = 64;
/** Checks a lane may put off for later before a report is left to a gate's check. */
const MAX_PUT_OFF = 10_000;
/** How long labels (the source facts of a labels-only report) are waited for. */
const LABELS_WAIT_MS = 10_000;

const within = <T>(p: Promise<T>, ms: number, onTimeout: () => T): Promise<T> =>
  Promise.race([p, new Promise<T>((resolve) => setTimeout(() => resolve(onTimeout()), ms).unref())]);

/** Pipelines with a phase whose source reads `repository` of `registry` (names as configured). */
function pipelinesReading(system: System, match: (registry: string, repository: string) => boolean): string[] {
  return system.pipelines
    .filter((p) =>
      p.phases.some(
        (ph) => ph.source.subject?.kind === 'oci' && match(ph.source.subject.registry, ph.source.subject.repository),
      ),
    )
    .map((p) => p.name);
}

export function createArtifactReports(d: ArtifactReportsDeps): ArtifactReports {
  const helmNames = () => d.helm?.names() ?? [];
  const answerWithin = d.answerWithinMs ?? ANSWER_WITHIN_MS;

  const checks = registryChecks({
    answerWithinMs: answerWithin,
    laneDepth: d.laneDepth ?? LANE_DEPTH,
    cap: d.checkQueue ?? CHECK_QUEUE,
    maxPutOff: MAX_PUT_OFF,
  });
  /** What a check is of: a build, wherever reports of it come from. */
  const keyOf = (kind: 'image' | 'chart', b: { digest?: string; chart?: string; version?: string }) =>
    kind === 'image' ? `image ${b.digest ?? ''}` : `chart ${b.chart ?? ''}@${b.version ?? ''}`;

  const presence = (
    kind: 'image' | 'chart',
    at: ImageLocation | undefined,
    b: { image?: string; digest?: string; chart?: string; version?: string },
  ) => {
    const check =
      kind === 'image'
        ? imagePresence(at, b.image as string, b.digest as string)
        : chartPresence(
            { registries: d.registries, helm: d.helm, helmNames: helmNames() },
            b.chart as string,
            b.version as string,
          );
    return within<Presence>(check, REGISTRY_WAIT_MS, () => ({
      verified: false,
      absent: false,
      reason: `the registry did not answer within ${REGISTRY_WAIT_MS / 1000}s`,
    }));
  };

  /** Source fields the report leaves out, read from the image's labels; nothing when they cannot be read. */
  const fromLabels = async (
    at: ImageLocation | undefined,
    digest: string,
  ): Promise<Partial<Record<SourceField, string>>> => {
    if (!at) return {};
    const labels = await within(
      readImageLabels(at.registry, at.repository, digest).catch(() => ({})),
      LABELS_WAIT_MS,
      () => ({}),
    );
    const s = sourceOfLabels(labels, d.labelKeys?.(at.registry.name));
    return {
      ...(s.sha ? { commit: s.sha } : {}),
      ...(s.url ? { repository: s.url } : s.repository ? { repository: s.repository } : {}),
      ...(s.branch ? { branch: s.branch.replace(/^refs\/heads\//, '') } : {}),
      ...(s.message ? { message: s.message } : {}),
      ...(s.author?.name ? { authorName: s.author.name } : {}),
      ...(s.author?.email ? { authorEmail: s.author.email } : {}),
    } satisfies Partial<Record<SourceField, string>>;
  };

  /** The audit entry of a change, written in the transaction that records it. */
  const auditOf =
    (by: Principal, action: string, detail: (a: Artifact) => Record<string, unknown>): ArtifactAuditOf =>
    ({ artifact: a, outcome }) => ({
      actor: by.name,
      action,
      subject: a.kind === 'image' ? `${a.image ?? ''}@${a.digest ?? ''}` : `${a.chart ?? ''}@${a.version ?? ''}`,
      detail: { artifact: a.id, outcome, ...detail(a) },
    });

  /** A change is announced once committed; a replay changes nothing and says nothing. */
  const announce = (r: { artifact: Artifact; outcome: ArtifactOutcome }) => {
    if (r.outcome !== 'unchanged') d.bus.publish({ type: 'artifact', artifact: r.artifact, outcome: r.outcome });
  };

  /** The registry's late answer about a recorded artifact: recorded (verified sticks) and announced. */
  const settle = async (
    a: Pick<Artifact, 'kind' | 'image' | 'digest' | 'chart' | 'version' | 'reportedBy'>,
    found: Presence,
  ) => {
    const r = await d.store.recordArtifact({
      ...identity(a),
      verified: found.verified,
      ...(found.verified ? {} : { unverifiedReason: found.reason }),
      reportedBy: a.reportedBy,
    });
    if (r.outcome !== 'unchanged') d.bus.publish({ type: 'artifact', artifact: r.artifact, outcome: r.outcome });
  };

  return {
    async report(b, by) {
      const kind = b.chart !== undefined ? 'chart' : 'image';
      const digest = b.digest ?? b.image?.split('@')[1];
      const image = b.image !== undefined ? imageName(b.image) : undefined;
      const at =
        kind === 'image' && image !== undefined
          ? locateImage(d.registries, image)
          : b.chart?.startsWith('oci://')
            ? locateImage(d.registries, b.chart.slice('oci://'.length))
            : undefined;
      const pipelines =
        b.pipeline !== undefined
          ? [findPipeline(d.system, b.pipeline).name]
          : at
            ? pipelinesReading(d.system, (reg, repo) => reg === at.registry.name && repo === at.repository)
            : kind === 'chart'
              ? pipelinesReading(d.system, (reg, repo) => repo === b.chart && helmNames().includes(reg))
              : [];
      const reported: Partial<Record<SourceField, string>> = {
        ...(b.source?.repository !== undefined ? { repository: b.source.repository } : {}),
        ...(b.source?.commit !== undefined ? { commit: b.source.commit.toLowerCase() } : {}),
        ...(b.source?.branch !== undefined ? { branch: b.source.branch.replace(/^refs\/heads\//, '') } : {}),
        ...(b.source?.author?.name !== undefined ? { authorName: b.source.author.name } : {}),
        ...(b.source?.author?.email !== undefined ? { authorEmail: b.source.author.email } : {}),
        ...(b.source?.message !== undefined ? { message: b.source.message } : {}),
        ...(b.source?.time !== undefined ? { time: new Date(b.source.time).toISOString() } : {}),
      };
      const wantLabels = kind === 'image' && digest !== undefined && (b.fromLabels ?? reported.commit === undefined);
      const lane = at ? `registry ${at.registry.host}` : `chart ${b.chart ?? ''}`;
      const args = { ...b, ...(image ? { image } : {}), ...(digest ? { digest } : {}) };
      const key = keyOf(kind, args);
      const ask = () => presence(kind, at, args);
      const { check, late } = checks.check(lane, key, ask);
      const [answered, labels] = await Promise.all([
        !check || late ? undefined : within<Presence | undefined>(check, answerWithin, () => undefined),
        wantLabels ? fromLabels(at, digest) : Promise.resolve({} as Partial<Record<SourceField, string>>),
      ]);
      const found: Presence = answered ?? {
        verified: false,
        absent: false,
        reason: !check
          ? 'the registry is busy (as many checks are queued as it may hold); this build is checked when it has room, and its answer recorded then'
          : late
            ? `the registry has not answered yet (it is behind: earlier checks are unanswered after ${answerWithin / 1000}s, or too many are queued to answer this one in time); its answer is recorded when it comes`
            : 'the registry has not answered yet; its answer is recorded when it comes',
      };
      // the report's own word wins; labels fill only what it leaves out
      const labelled = (Object.keys(labels) as SourceField[]).filter((f) => reported[f] === undefined);
      const source = { ...reported, ...Object.fromEntries(labelled.map((f) => [f, labels[f]])) } as Partial<
        Record<SourceField, string>
      >;
      const a: NewArtifact = {
        kind,
        ...(image !== undefined ? { image } : {}),
        ...(digest !== undefined ? { digest } : {}),
        ...(b.chart !== undefined ? { chart: b.chart } : {}),
        ...(b.version !== undefined ? { version: b.version } : {}),
        source: {
          ...(source.repository !== undefined ? { repository: source.repository } : {}),
          ...(source.commit !== undefined ? { commit: source.commit } : {}),
          ...(source.branch !== undefined ? { branch: source.branch } : {}),
          ...(source.authorName !== undefined || source.authorEmail !== undefined
            ? {
                author: {
                  ...(source.authorName !== undefined ? { name: source.authorName } : {}),
                  ...(source.authorEmail !== undefined ? { email: source.authorEmail } : {}),
                },
              }
            : {}),
          ...(source.message !== undefined ? { message: source.message } : {}),
          ...(source.time !== undefined ? { time: source.time } : {}),
        },
        labelled,
        ci: {
          ...(b.ci?.runUrl !== undefined ? { runUrl: b.ci.runUrl } : {}),
          ...(b.ci?.provider !== undefined ? { provider: b.ci.provider } : {}),
        },
        pipelines,
        verified: found.verified,
        ...(found.verified ? {} : { unverifiedReason: found.reason }),
        reportedBy: by.name,
        steps: (b.steps ?? []).map(step),
      };
      const r = await d.store.recordArtifact(
        a,
        auditOf(by, 'artifact.report', (x) => ({
          verified: x.verified,
          ...(x.source.commit ? { commit: x.source.commit } : {}),
          ...(x.source.branch ? { branch: x.source.branch } : {}),
        })),
      );
      announce(r);
      // not answered in time: recorded when the answer comes (each report of a build settles its own record)
      const recorded = r.artifact;
      const then = (later: Presence) => settle(recorded, later).catch(() => undefined);
      if (!answered) {
        if (check) void check.then(then).catch(() => undefined);
        else checks.later(lane, key, ask, then);
      }
      return r;
    },
    async step(id, body, by) {
      const r = await d.store.recordArtifactStep(
        id,
        step(body),
        auditOf(by, 'artifact.step', () => ({ step: body.name, status: body.status })),
      );
      if (r) announce(r);
      return r;
    },
    async reverify(a) {
      const at =
        a.kind === 'image' && a.image !== undefined
          ? locateImage(d.registries, a.image)
          : a.chart?.startsWith('oci://')
            ? locateImage(d.registries, a.chart.slice('oci://'.length))
            : undefined;
      // a gate asking waits less than a report's background check
      // a check of the build already under way answers this one too
      const check = checks.underWay(keyOf(a.kind, a)) ?? presence(a.kind, at, a);
      const found = await within<Presence>(check, LABELS_WAIT_MS, () => ({
        verified: false,
        absent: false,
        reason: `the registry did not answer within ${LABELS_WAIT_MS / 1000}s`,
      }));
      if (!found.verified && !found.absent)
        throw new GantryError('registry_unreachable', found.reason, { artifact: a.id });
      if (!found.verified) return a;
      const r = await d.store.recordArtifact({ ...identity(a), verified: true, reportedBy: a.reportedBy });
      // as a report's late answer is: this replica's watchers see it verified too, as the others do
      if (r.outcome !== 'unchanged') d.bus.publish({ type: 'artifact', artifact: r.artifact, outcome: r.outcome });
      return r.artifact;
    },
  };
}

/** A step as the store takes it: times normalized to UTC. */
function step(s: ArtifactStepBody) {
  return {
    name: s.name,
    status: s.status,
    ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}),
    ...(s.url !== undefined ? { url: s.url } : {}),
    ...(s.startedAt !== undefined ? { startedAt: new Date(s.startedAt).toISOString() } : {}),
    ...(s.finishedAt !== undefined ? { finishedAt: new Date(s.finishedAt).toISOString() } : {}),
  };
}

/** Artifact reports on a configuration's registries and Helm repositories (the server's, or a local command's). */
export function runtimeArtifactReports(
  runtime: Pick<Runtime, 'system' | 'registries' | 'services' | 'loaded'>,
  store: Store,
  bus: EventBus,
): ArtifactReports {
  return createArtifactReports({
    system: runtime.system,
    store,
    bus,
    registries: runtime.registries,
    // a runtime without Helm repositories configured has no such service
    ...(runtime.services.has(helmRepositoriesKey as ServiceKey<unknown>)
      ? { helm: runtime.services.get(helmRepositoriesKey) }
      : {}),
    labelKeys: labelKeysOf(runtime),
  });
}

/** `release --branch` / `GET /artifacts?pipeline&branch` found no build from the branch: name those that have builds. */
export function noBranchBuild(pipeline: string, branch: string, branches: readonly string[]): GantryError {
  return new GantryError(
    'no_branch_build',
    `no build of ${pipeline} from branch "${branch}" was reported; branches with builds: ${branches.length > 0 ? branches.join(', ') : '(none)'}`,
    { pipeline, branch, branches },
  );
}

/** What names an artifact, with no facts: a record of it that changes only what the registry says. */
function identity(a: Pick<Artifact, 'kind' | 'image' | 'digest' | 'chart' | 'version'>) {
  return {
    kind: a.kind,
    ...(a.image !== undefined ? { image: a.image } : {}),
    ...(a.digest !== undefined ? { digest: a.digest } : {}),
    ...(a.chart !== undefined ? { chart: a.chart } : {}),
    ...(a.version !== undefined ? { version: a.version } : {}),
    source: {},
    ci: {},
    pipelines: [],
  };
}
