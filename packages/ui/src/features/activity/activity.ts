import type { ApiArtifact, ApiDeployment, ApiHold, ApiPromotion, ApiVerification } from '@gantry/api';

/** What the feed can show; the page's `kind` filter names these. */
export const ACTIVITY_KINDS = ['promotions', 'deployments', 'verifications', 'holds', 'artifacts'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const ACTIVITY_KIND_LABELS: Readonly<Record<ActivityKind, string>> = {
  promotions: 'Promotions',
  deployments: 'Deployments',
  verifications: 'Verifications',
  holds: 'Pins and pauses',
  artifacts: 'CI reports',
};

/** One thing that happened, at one time, to one pipeline. */
export type ActivityItem =
  | { readonly kind: 'promotions'; readonly key: string; readonly at: string; readonly promotion: ApiPromotion }
  | {
      readonly kind: 'deployments';
      readonly key: string;
      readonly at: string;
      readonly promotion: ApiPromotion;
      readonly deployment: ApiDeployment;
    }
  | {
      readonly kind: 'verifications';
      readonly key: string;
      readonly at: string;
      readonly promotion: ApiPromotion;
      readonly verification: ApiVerification;
    }
  | {
      readonly kind: 'holds';
      readonly key: string;
      readonly at: string;
      readonly hold: ApiHold;
      readonly change: 'set' | 'released';
    }
  | {
      readonly kind: 'artifacts';
      readonly key: string;
      readonly at: string;
      readonly artifact: ApiArtifact;
      readonly outcome: 'created' | 'updated';
    };

/** A hold set or released, as the event stream reports it. */
export interface HoldChange {
  readonly hold: ApiHold;
  readonly change: 'set' | 'released';
}

/** An artifact CI reported (or whose run moved on) while the page was open, as the event stream reports it. */
export interface ArtifactChange {
  readonly artifact: ApiArtifact;
  readonly outcome: 'created' | 'updated';
}

/**
 * The feed, newest first: each promotion (as it stands now), what its deployer reported and its
 * verification's verdict (once there is one: "not applied yet" is not news), and pins and pauses
 * set or released. A hold both listed in force and reported by the stream appears once.
 */
export function activityItems(
  promotions: readonly ApiPromotion[],
  holdsInForce: readonly ApiHold[],
  holdChanges: readonly HoldChange[] = [],
  artifactChanges: readonly ArtifactChange[] = [],
): ActivityItem[] {
  const items: ActivityItem[] = [];
  for (const p of promotions) {
    items.push({ kind: 'promotions', key: `p:${p.id}`, at: p.createdAt, promotion: p });
    const d = p.deployment;
    if (d && d.state !== 'pending')
      items.push({ kind: 'deployments', key: `d:${p.id}`, at: d.at, promotion: p, deployment: d });
    const v = p.verification;
    if (v && v.state !== 'pending')
      items.push({ kind: 'verifications', key: `v:${p.id}`, at: v.at, promotion: p, verification: v });
  }
  const seen = new Set<string>();
  const addHold = (hold: ApiHold, change: 'set' | 'released') => {
    const key = `h:${hold.id}:${change}`;
    if (seen.has(key)) return;
    seen.add(key);
    const at = change === 'released' ? (hold.releasedAt ?? hold.at) : hold.at;
    items.push({ kind: 'holds', key, at, hold, change });
  };
  for (const c of holdChanges) {
    // a hold released while the page was open was set before: both are news
    if (c.change === 'released') addHold(c.hold, 'set');
    addHold(c.hold, c.change);
  }
  for (const h of holdsInForce) addHold(h, 'set');
  // one line per artifact, as it stands after its latest report or step ("created" stays news)
  const artifacts = new Map<string, ActivityItem & { kind: 'artifacts' }>();
  for (const c of artifactChanges) {
    const earlier = artifacts.get(c.artifact.id);
    const outcome = earlier?.outcome === 'created' ? 'created' : c.outcome;
    artifacts.set(c.artifact.id, {
      kind: 'artifacts',
      key: `a:${c.artifact.id}`,
      at: c.artifact.updatedAt,
      artifact: c.artifact,
      outcome,
    });
  }
  items.push(...artifacts.values());
  return items.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.key < b.key ? -1 : 1));
}

/** The pipeline an item happened to; an artifact's first (an artifact no pipeline reads: its image or chart). */
export const pipelineOf = (i: ActivityItem): string =>
  i.kind === 'holds'
    ? i.hold.pipeline
    : i.kind === 'artifacts'
      ? (i.artifact.pipelines[0] ?? i.artifact.image ?? i.artifact.chart ?? '')
      : i.promotion.pipeline;
export const phaseOf = (i: ActivityItem): string | undefined =>
  i.kind === 'holds' ? i.hold.phase : i.kind === 'artifacts' ? undefined : i.promotion.phase;

/** Narrowed by kind (empty: all) and by words that must all be in the pipeline's or phase's name. */
export function filterActivity(items: readonly ActivityItem[], q: string, kind: string): ActivityItem[] {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  return items.filter((i) => {
    if (kind && i.kind !== kind) return false;
    if (words.length === 0) return true;
    const text =
      `${i.kind === 'artifacts' ? i.artifact.pipelines.join(' ') : ''} ${pipelineOf(i)} ${phaseOf(i) ?? ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

export const parseActivityKind = (s: string): ActivityKind | '' =>
  (ACTIVITY_KINDS as readonly string[]).includes(s) ? (s as ActivityKind) : '';
