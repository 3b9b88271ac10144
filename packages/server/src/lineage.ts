import type { ApiLineage, ApiLineageCell, ApiLineageStay, ApiLineageVersion, ApiReleaseSpec } from '@gantry/api';
import type { Artifact, LandedPromotion } from '@gantry/store';
import { referenceOf, triggerBy } from './chain.js';
import type { Linker } from './links.js';

type Res = { readonly kind: string } & Record<string, unknown>;

/** One earlier state of a writable phase, from its Git history (newest first). */
export interface LineageHistoryEntry {
  readonly revision: {
    readonly id: string;
    readonly time?: Date | undefined;
    readonly author?: string | undefined;
    readonly trailers?: Readonly<Record<string, string>> | undefined;
  };
  readonly resource: unknown;
  readonly digest: string;
  readonly version: string;
}

/** Every record a pipeline's lineage is assembled from. */
export interface LineageInput {
  readonly pipeline: string;
  /** In pipeline order (upstream first); read-only phases are where versions are seen first. */
  readonly phases: ReadonlyArray<{
    readonly phase: string;
    readonly writable: boolean;
    /** The configured repository of a Git phase, for links. */
    readonly repository?: string | undefined;
  }>;
  /** The pipeline's promotions that landed, oldest first. */
  readonly landed: readonly LandedPromotion[];
  /** Per writable phase: the versions its Git history holds, newest first. */
  readonly history: Readonly<Record<string, readonly LineageHistoryEntry[]>>;
  /** What each phase holds now. */
  readonly current: Readonly<
    Record<
      string,
      | {
          readonly digest?: string | undefined;
          readonly version?: string | undefined;
          readonly resource?: unknown;
          readonly setBy?: { readonly id: string; readonly time?: Date | string | undefined } | undefined;
        }
      | undefined
    >
  >;
  /** CI's reports for the pipeline (any order): builds seen at the source, and their links. */
  readonly artifacts: readonly Artifact[];
  readonly linker: Linker;
  /** Newest versions kept (default 50). */
  readonly limit?: number;
}

/** Something that put a version into a phase at a time. */
interface Arrival {
  readonly at?: string | undefined;
  readonly digest: string;
  readonly version: string;
  readonly resource?: Res | undefined;
  /** Its commit's place in the phase's Git history (higher is newer), when the history holds it. */
  readonly rank?: number | undefined;
  readonly stay: Omit<ApiLineageStay, 'enteredAt' | 'leftAt'>;
}

const iso = (t: Date | string | undefined) =>
  t === undefined ? undefined : typeof t === 'string' ? t : t.toISOString();
const asResource = (r: unknown): Res | undefined =>
  typeof r === 'object' && r !== null && typeof (r as { kind?: unknown }).kind === 'string' ? (r as Res) : undefined;
const byName = (author: string | undefined) => author?.replace(/\s*<[^>]*>\s*$/, '').trim() || undefined;
const earlier = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : a < b ? a : b;
const latest = (a: string, b: string | undefined) => (b !== undefined && b > a ? b : a);

/** How a release of a version is named: an image by digest, a chart by version, else the shown version. */
export function releaseSpecOf(resource: Res | undefined, digest: string, version: string): ApiReleaseSpec {
  if (resource?.kind === 'oci-image' && typeof resource.digest === 'string') return { digest: resource.digest };
  if (resource?.kind === 'helm-chart' && typeof resource.version === 'string') return { version: resource.version };
  if (resource?.kind === 'oci-image' && typeof resource.tag === 'string') return { version: resource.tag };
  return digest.startsWith('sha256:') ? { digest } : { version };
}

/**
 * Arrivals in the order they happened: by time, except that those whose commits are in the
 * phase's Git history keep the order of that history among the places they hold. Git times have
 * whole seconds, so a hand edit made in the same second as Gantry's promotion would otherwise
 * sort before the commit it was made on top of.
 */
export function inHistoryOrder<T extends { readonly at?: string | undefined; readonly rank?: number | undefined }>(
  arrivals: readonly T[],
): T[] {
  const sorted = [...arrivals].sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''));
  const slots = sorted.flatMap((a, i) => (a.rank === undefined ? [] : [i]));
  const ranked = slots.map((i) => sorted[i] as T).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  slots.forEach((slot, k) => {
    sorted[slot] = ranked[k] as T;
  });
  return sorted;
}

/** Consecutive arrivals of one version are one stay; each stay lasts until the next version arrives. */
function staysOf(arrivals: readonly Arrival[]): Array<{ arrival: Arrival; stay: ApiLineageStay }> {
  const sorted = inHistoryOrder(arrivals);
  const out: Array<{ arrival: Arrival; stay: ApiLineageStay }> = [];
  for (const a of sorted) {
    const last = out[out.length - 1];
    if (last && last.arrival.digest === a.digest) {
      // the same version again (a commit that changed something else): Gantry's record, if any, tells more
      if (last.stay.via !== 'gantry' && a.stay.via === 'gantry')
        last.stay = { ...a.stay, ...(last.stay.enteredAt ? { enteredAt: last.stay.enteredAt } : {}) };
      continue;
    }
    // never before it entered: a same-second hand edit can carry a time earlier than Gantry's record
    if (last && a.at) last.stay = { ...last.stay, leftAt: latest(a.at, last.stay.enteredAt) };
    out.push({ arrival: a, stay: { ...a.stay, ...(a.at ? { enteredAt: a.at } : {}) } });
  }
  return out;
}

/**
 * A pipeline's versions and where each has been: when it entered and left each phase and
 * whether it was verified there. From Gantry's promotions, the phases' Git history (commits
 * Gantry did not write count as entering at their commit time), the phases' current state,
 * and CI's reports (builds seen at the source). Newest first. Pure.
 */
export function assembleLineage(i: LineageInput): ApiLineage {
  const gantryIds = new Set(i.landed.map((l) => l.promotion.id));
  const arrivalsByPhase = new Map<string, Arrival[]>(i.phases.map((p) => [p.phase, []]));
  const push = (phase: string, a: Arrival) => arrivalsByPhase.get(phase)?.push(a);
  const repositoryOf = new Map(i.phases.map((p) => [p.phase, p.repository]));
  const configUrl = (phase: string, sha: string | undefined) => {
    const repo = repositoryOf.get(phase);
    return repo && sha ? i.linker.configCommit(repo, sha) : undefined;
  };

  // per phase: commit -> its place in the Git history (history is newest first; higher is newer)
  const rankIn = new Map(
    Object.entries(i.history).map(([phase, entries]) => [
      phase,
      new Map(entries.map((h, k) => [h.revision.id, entries.length - k] as const)),
    ]),
  );
  const rankOf = (phase: string, sha: string | undefined) => (sha ? rankIn.get(phase)?.get(sha) : undefined);

  for (const { promotion: p, landedAt } of i.landed) {
    const by = triggerBy(p.trigger);
    const url = configUrl(p.phase, p.commitSha);
    push(p.phase, {
      at: landedAt,
      digest: p.toDigest,
      version: p.toVersion,
      resource: asResource(p.target),
      rank: rankOf(p.phase, p.commitSha),
      stay: {
        via: 'gantry',
        promotionId: p.id,
        ...(p.commitSha ? { commit: p.commitSha } : {}),
        ...(url ? { url } : {}),
        by,
        ...(p.verification ? { verification: { state: p.verification.state, at: p.verification.at } } : {}),
      },
    });
    // the version was at the upstream (a source phase) by then
    if (p.fromPhase && p.fromDigest && !i.phases.find((ph) => ph.phase === p.fromPhase)?.writable)
      push(p.fromPhase, {
        at: p.createdAt,
        digest: p.fromDigest,
        // the name only: the target is what was written, which need not be the upstream's version
        version: p.fromVersion ?? p.fromDigest,
        stay: { via: 'source' },
      });
  }
  for (const [phase, entries] of Object.entries(i.history)) {
    for (const h of entries) {
      const id = h.revision.trailers?.['Gantry-Promotion-Id'];
      if (id && gantryIds.has(id)) continue;
      const by = byName(h.revision.author);
      const url = configUrl(phase, h.revision.id);
      push(phase, {
        at: iso(h.revision.time),
        digest: h.digest,
        version: h.version,
        resource: asResource(h.resource),
        rank: rankOf(phase, h.revision.id),
        stay: { via: 'git', commit: h.revision.id, ...(url ? { url } : {}), ...(by ? { by } : {}) },
      });
    }
  }
  for (const a of i.artifacts) {
    const source = i.phases.find((p) => !p.writable);
    if (!source || a.kind !== 'image' || !a.digest) continue;
    push(source.phase, {
      at: a.reportedAt,
      digest: a.digest,
      version: `${a.image?.split('/').pop() ?? 'image'}@${a.digest.slice(7, 19)}`,
      stay: { via: 'source', by: a.reportedBy },
    });
  }
  // what a phase holds now, when nothing above brought it (history cut short, a read-only phase)
  for (const p of i.phases) {
    const c = i.current[p.phase];
    if (!c?.digest) continue;
    const list = arrivalsByPhase.get(p.phase) ?? [];
    const sorted = inHistoryOrder(list);
    if (sorted[sorted.length - 1]?.digest === c.digest) continue;
    const at = iso(c.setBy?.time);
    push(p.phase, {
      ...(at ? { at } : {}),
      digest: c.digest,
      version: c.version ?? c.digest,
      resource: asResource(c.resource),
      rank: rankOf(p.phase, c.setBy?.id),
      stay: p.writable
        ? {
            via: 'git',
            ...(c.setBy ? { commit: c.setBy.id } : {}),
            ...(configUrl(p.phase, c.setBy?.id) ? { url: configUrl(p.phase, c.setBy?.id) as string } : {}),
          }
        : { via: 'source' },
    });
  }

  // versions: one per digest, with a cell per phase
  interface Acc {
    version: string;
    digest: string;
    resource?: Res | undefined;
    firstSeen?: string | undefined;
    cells: Map<string, ApiLineageStay[]>;
  }
  const versions = new Map<string, Acc>();
  for (const p of i.phases) {
    for (const { arrival, stay } of staysOf(arrivalsByPhase.get(p.phase) ?? [])) {
      let v = versions.get(arrival.digest);
      if (!v) {
        v = { version: arrival.version, digest: arrival.digest, cells: new Map() };
        versions.set(arrival.digest, v);
      }
      // a name from Gantry or Git (the pipeline's own words) beats a report's
      if (arrival.resource && !v.resource) {
        v.resource = arrival.resource;
        v.version = arrival.version;
      }
      v.firstSeen = earlier(v.firstSeen, stay.enteredAt);
      v.cells.set(p.phase, [...(v.cells.get(p.phase) ?? []), stay]);
    }
  }
  const artifactOf = new Map(i.artifacts.flatMap((a) => (a.digest ? [[a.digest, a] as const] : [])));
  const out: ApiLineageVersion[] = [...versions.values()]
    .sort((a, b) => (b.firstSeen ?? '').localeCompare(a.firstSeen ?? ''))
    .slice(0, i.limit ?? 50)
    .map((v) => {
      const cells: ApiLineageCell[] = i.phases.map((p) => {
        const stays = v.cells.get(p.phase) ?? [];
        const current = i.current[p.phase]?.digest === v.digest;
        const verified = stays.find((s) => s.verification?.state === 'verified');
        const last = stays[stays.length - 1];
        const enteredAt = stays[0]?.enteredAt;
        return {
          phase: p.phase,
          current,
          ...(enteredAt ? { enteredAt } : {}),
          ...(!current && last?.leftAt ? { leftAt: last.leftAt } : {}),
          verified: !!verified,
          ...(verified?.verification ? { verifiedAt: verified.verification.at } : {}),
          stays,
        };
      });
      const digestOfImage = typeof v.resource?.digest === 'string' ? v.resource.digest : v.digest;
      const a = artifactOf.get(digestOfImage);
      const reference = referenceOf(v.resource) ?? a?.image;
      const tag = typeof v.resource?.tag === 'string' ? v.resource.tag : undefined;
      const image =
        reference && (v.resource?.kind ?? 'oci-image') === 'oci-image'
          ? i.linker.image(reference, {
              ...(digestOfImage.startsWith('sha256:') ? { digest: digestOfImage } : {}),
              ...(tag ? { tag } : {}),
            })
          : undefined;
      const sourceCommit = a?.source.commit
        ? i.linker.sourceCommit(
            {
              ...(a.source.repository ? { repository: a.source.repository } : {}),
              ...(a.ci.runUrl ? { ciRun: a.ci.runUrl } : {}),
            },
            a.source.commit,
          )
        : undefined;
      return {
        version: v.version,
        digest: v.digest,
        ...(v.resource ? { resource: v.resource } : {}),
        ...(v.firstSeen ? { firstSeen: v.firstSeen } : {}),
        release: releaseSpecOf(v.resource, v.digest, v.version),
        links: {
          ...(sourceCommit ? { sourceCommit } : {}),
          ...(a?.ci.runUrl ? { ciRun: a.ci.runUrl } : {}),
          ...(image ? { image } : {}),
        },
        phases: cells,
      };
    });
  return {
    pipeline: i.pipeline,
    phases: i.phases.map((p) => ({ phase: p.phase, writable: p.writable })),
    versions: out,
  };
}
