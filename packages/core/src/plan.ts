import { unifiedDiff } from './diff.js';
import type { Phase, Pipeline } from './pipeline.js';
import type { Resource } from './resource.js';
import { GantryError } from './errors.js';
import type { FileEdit, Observation, Snapshot } from './source.js';

/** Inputs to planning; everything already read, so planning does no I/O. */
export interface PlanInput<R extends Resource> {
  readonly pipeline: Pipeline<R>;
  readonly phase: Phase<R>;
  readonly upstreams: ReadonlyArray<{ readonly phase: string; readonly observation: Observation<R> }>;
  readonly current: Observation<R>;
  /** An explicit version (release, rollback) instead of the upstream's; already parsed and verified. */
  readonly target?: { readonly resource: R };
  /**
   * Why, in the words of whoever asked (a person's note, `auto-promotion`): the plan's
   * reason, which the promotion records, and `{{reason}}` in the commit message template.
   * Without it the reason says where the version comes from.
   */
  readonly reason?: string;
  /**
   * Who asked (a token's name, a person's email, `policy auto-promotion`): the commit's
   * `Gantry-Actor` trailer and `{{actor}}` in the message template.
   */
  readonly actor?: string;
  /**
   * The promotion this one reverts: a rollback says so in its message (`rollback <pipeline>
   * <phase> to <version>`) and links it with a `Gantry-Reverts` trailer.
   */
  readonly rollbackOf?: string;
}

export interface ResourceRef<R extends Resource> {
  readonly resource: R;
  readonly digest: string;
  readonly version: string;
}

export type PromotionPlan<R extends Resource = Resource> =
  | {
      readonly kind: 'in-sync';
      readonly pipeline: string;
      readonly phase: string;
      readonly current: ResourceRef<R>;
    }
  | { readonly kind: 'blocked'; readonly pipeline: string; readonly phase: string; readonly reason: string }
  | {
      readonly kind: 'promote';
      readonly pipeline: string;
      readonly phase: string;
      /** Upstream phase the version comes from; absent for an explicit target. */
      readonly from?: string;
      readonly reason: string;
      readonly target: ResourceRef<R>;
      readonly current?: ResourceRef<R>;
      readonly edits: readonly FileEdit[];
      readonly diff: string;
      readonly message: string;
      readonly trailers: Readonly<Record<string, string>>;
    };

export const DEFAULT_MESSAGE = 'promote {{pipeline}}/{{phase}} to {{version}}';

/** A rollback's message, whatever the phase's template: the log must not read like the release it undoes. */
export const ROLLBACK_MESSAGE = 'rollback {{pipeline}} {{phase}} to {{version}}';

export const TRAILERS = {
  pipeline: 'Gantry-Pipeline',
  phase: 'Gantry-Phase',
  digest: 'Gantry-Digest',
  promotionId: 'Gantry-Promotion-Id',
  /** Who asked for the promotion (the person, or the automation that did). */
  actor: 'Gantry-Actor',
  /** Why, in one line: the person's note, or where the version came from. */
  reason: 'Gantry-Reason',
  /** The promotion a rollback reverts. */
  reverts: 'Gantry-Reverts',
} as const;

/** A caller's reason as one line of plain text: history shows it on one line, and a note needs no control characters. */
function oneLine(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Replaces `{{name}}` placeholders; unknown names are left as they are. */
export function renderTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([a-zA-Z]+)\s*\}\}/g, (m, k: string) => vars[k] ?? m);
}

function ref<R extends Resource>(p: Pipeline<R>, resource: R): ResourceRef<R> {
  return { resource, digest: p.resource.digest(resource), version: p.resource.describe(resource) };
}

/**
 * The phase's edits for `target`. A file whose current content its updater cannot
 * rewrite is that phase's failure (`updater_failed`, naming the source), never a bug.
 */
function editsFor<R extends Resource>(phase: Phase<R>, snapshot: Snapshot, target: ResourceRef<R>): FileEdit[] {
  if (!phase.source.writable) return [];
  try {
    return phase.source.edit(snapshot, target.resource);
  } catch (e) {
    if (e instanceof GantryError) throw e;
    throw new GantryError(
      'updater_failed',
      `${phase.source.describe()}: cannot write ${target.version}: ${e instanceof Error ? e.message : String(e)}`,
      { phase: phase.name },
      { cause: e },
    );
  }
}

/**
 * Decides what a promotion into `phase` would do. Pure: the same inputs always give the
 * same plan, so the diff preview, the dry run and the real promotion agree.
 */
export function planPromotion<R extends Resource>(input: PlanInput<R>): PromotionPlan<R> {
  const { pipeline, phase } = input;
  const base = { pipeline: pipeline.name, phase: phase.name };
  if (!phase.source.writable) {
    return { kind: 'blocked', ...base, reason: `${phase.source.describe()} is read-only` };
  }
  let target: ResourceRef<R>;
  let from: string | undefined;
  let reason: string;
  if (input.target) {
    target = ref(pipeline, input.target.resource);
    reason = 'explicit version';
  } else {
    if (input.upstreams.length === 0) {
      return {
        kind: 'blocked',
        ...base,
        reason: `phase "${phase.name}" has no upstream phase; name a version to release`,
      };
    }
    const empty = input.upstreams.find((u) => u.observation.resource === undefined);
    if (empty) return { kind: 'blocked', ...base, reason: `upstream phase "${empty.phase}" holds no version yet` };
    const refs = input.upstreams.map((u) => ({ phase: u.phase, ref: ref(pipeline, u.observation.resource as R) }));
    const first = refs[0] as (typeof refs)[number];
    const disagree = refs.find((r) => r.ref.digest !== first.ref.digest);
    if (disagree) {
      return {
        kind: 'blocked',
        ...base,
        reason: `upstream phases disagree: ${refs.map((r) => `${r.phase}=${r.ref.version}`).join(', ')}`,
      };
    }
    target = first.ref;
    from = first.phase;
    reason = `${from} is at ${target.version}`;
  }
  const current = input.current.resource === undefined ? undefined : ref(pipeline, input.current.resource);
  if (current && current.digest === target.digest) return { kind: 'in-sync', ...base, current };

  const note = input.reason === undefined ? '' : oneLine(input.reason);
  if (note !== '') reason = note;
  const actor = input.actor === undefined ? '' : oneLine(input.actor);

  const snapshot = input.current.snapshot;
  const edits = snapshot ? editsFor(phase, snapshot, target) : [];
  const vars = {
    pipeline: pipeline.name,
    phase: phase.name,
    from: from ?? '',
    version: target.version,
    digest: target.digest,
    previous: current?.version ?? '',
    reason,
    actor,
  };
  return {
    kind: 'promote',
    ...base,
    ...(from !== undefined ? { from } : {}),
    reason,
    target,
    ...(current ? { current } : {}),
    edits,
    diff: unifiedDiff(edits),
    message: renderTemplate(
      input.rollbackOf !== undefined ? ROLLBACK_MESSAGE : (phase.message ?? DEFAULT_MESSAGE),
      vars,
    ),
    trailers: {
      [TRAILERS.pipeline]: pipeline.name,
      [TRAILERS.phase]: phase.name,
      [TRAILERS.digest]: target.digest,
      ...(actor !== '' ? { [TRAILERS.actor]: actor } : {}),
      [TRAILERS.reason]: reason,
      ...(input.rollbackOf !== undefined ? { [TRAILERS.reverts]: oneLine(input.rollbackOf) } : {}),
    },
  };
}
