import type { Logger, System } from '@gantry/core';
import type { ApprovalVerdict, GateVerdict } from '@gantry/gates';
import type { NotificationEvent, NotificationEventOf, NotificationsConfig } from '@gantry/notify';
import { createNotifier, notifierSettings } from '@gantry/notify';
import type { Promotion, Store } from '@gantry/store';
import type { EventBus } from './events.js';
import type { ImageProvenance } from './image-provenance.js';

/** Keys this process already handed to the notifier; bounded, oldest forgotten first. */
const REMEMBERED = 10_000;

/**
 * What a promotion's current record is worth telling people: it succeeded or failed, its
 * verification failed (once per run), its deployer reported it failed or degraded (once per
 * report), it waits for approvals, its approval gate was decided (each once per promotion). Pure: the same record always gives the same events, so a replay after a crash
 * produces the same idempotency keys.
 */
export function notificationsOf(p: Promotion, source?: ImageProvenance): NotificationEvent[] {
  const common = {
    promotionId: p.id,
    pipeline: p.pipeline,
    phase: p.phase,
    ...(p.fromPhase ? { fromPhase: p.fromPhase } : {}),
    from: p.fromVersion ? { version: p.fromVersion, ...(p.fromDigest ? { digest: p.fromDigest } : {}) } : null,
    to: { version: p.toVersion, digest: p.toDigest },
    trigger:
      p.trigger.kind === 'person'
        ? { kind: 'person' as const, actor: p.trigger.actor }
        : (p.trigger as Exclude<Promotion['trigger'], { kind: 'person' }>),
    ...(p.trigger.kind === 'person' && p.trigger.author
      ? { author: { name: p.trigger.author.name, email: p.trigger.author.email } }
      : {}),
    ...(p.commitSha ? { configCommit: { sha: p.commitSha } } : {}),
    ...(source
      ? {
          sourceCommit: {
            sha: source.sha,
            ...(source.repository ? { repository: source.repository } : {}),
            ...(source.url?.startsWith('https://')
              ? { url: `${source.url.replace(/\.git$/, '')}/commit/${source.sha}` }
              : {}),
          },
        }
      : {}),
    occurredAt: p.updatedAt,
  };
  const out: NotificationEvent[] = [];
  if (p.state === 'succeeded' && p.commitSha) out.push({ type: 'promotion.succeeded', ...common });
  if (p.state === 'failed') {
    out.push({ type: 'promotion.failed', ...common, error: p.error ?? { code: 'unknown', message: 'failed' } });
  }
  if (p.verification?.state === 'failed') {
    out.push({
      type: 'verification.failed',
      ...common,
      occurrence: `run-${p.verification.run}`,
      occurredAt: p.verification.at,
      check: { name: p.verification.failed?.[0] ?? 'verification', message: p.verification.reason ?? 'failed' },
    });
  }
  const d = p.deployment;
  if (d && (d.state === 'failed' || d.state === 'degraded')) {
    out.push({
      type: 'deployment.degraded',
      ...common,
      occurrence: d.eventId ?? d.at,
      occurredAt: d.at,
      deployment: { ...(d.deployer ? { deployer: d.deployer } : {}), state: d.state, message: d.message ?? d.state },
    });
  }
  out.push(...approvalNotifications(p, common));
  return out;
}

/** The approval gates among the verdicts recorded on the promotion (written by the lifecycle from @gantry/gates). */
function approvalVerdicts(p: Promotion): ApprovalVerdict[] {
  return ((p.gates ?? []) as unknown as GateVerdict[]).filter(
    (v): v is ApprovalVerdict => v.kind === 'approval' && typeof v.evidence?.required === 'number',
  );
}

/**
 * `approval.requested` while the promotion waits on an approval gate that still needs approvals;
 * `approval.decided` once the gate passed with approvals or someone rejected the version. No
 * occurrence: once per promotion, so judging it again while it still waits sends nothing new,
 * and a newer version's promotion (another id) asks on its own.
 */
function approvalNotifications(
  p: Promotion,
  common: Omit<NotificationEventOf<'promotion.succeeded'>, 'type'>,
): NotificationEvent[] {
  const out: NotificationEvent[] = [];
  for (const v of approvalVerdicts(p)) {
    const e = v.evidence;
    if (v.outcome === 'wait' && p.state === 'waiting') {
      out.push({
        type: 'approval.requested',
        ...common,
        occurredAt: p.createdAt,
        approval: {
          gate: v.gate,
          required: e.required,
          approved: e.approvers.length,
          eligible: {
            ...(e.eligible.minRole ? { minRole: e.eligible.minRole } : {}),
            tokens: [...e.eligible.tokens],
            text: e.eligible.text,
          },
          ...(e.requester ? { requester: e.requester } : {}),
          reason: v.reason,
          ...(v.unblock ? { unblock: v.unblock } : {}),
        },
      });
    }
    const decisions = v.outcome === 'pass' ? e.approvers : v.outcome === 'block' && !e.notEvaluated ? e.rejections : [];
    const last = decisions.at(-1);
    if (last) {
      out.push({
        type: 'approval.decided',
        ...common,
        approval: {
          gate: v.gate,
          decision: v.outcome === 'pass' ? 'approved' : 'rejected',
          required: e.required,
          decisions: decisions.map((d) => ({
            by: d.by,
            role: d.role,
            at: d.at,
            ...(d.comment ? { comment: d.comment } : {}),
          })),
          reason: v.reason,
        },
      });
    }
  }
  return out;
}

export interface Notifications {
  /** Notifies again what recent promotions are worth, skipping deliveries already made (after a crash). */
  replay(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Notifications on the server: every promotion change on the event bus is turned into the
 * events it is worth and handed to the notifier, which delivers in the background (retries,
 * back-off) and records each attempt in the store. Never blocks or fails a promotion.
 */
export function startNotifications(o: {
  config: NotificationsConfig | undefined;
  system: System;
  bus: EventBus;
  store: Store;
  logger: Logger;
  /** Where a version was built from (its image's labels), for commit statuses on the source commit. */
  provenance?: (pipeline: string, digest: string) => Promise<ImageProvenance | undefined>;
}): Notifications {
  if (!o.config || Object.keys(o.config.channels).length === 0) {
    return { replay: async () => {}, close: async () => {} };
  }
  const notifier = createNotifier({
    ...notifierSettings(o.config),
    deliveryLog: {
      record: (r) => o.store.recordDelivery({ ...r }),
      wasDelivered: (key) => o.store.wasDelivered(key),
    },
    logger: o.logger.child({ component: 'notify' }),
  });
  const handed = new Set<string>();
  const hand = async (p: Promotion) => {
    const worth = notificationsOf(p);
    if (worth.length === 0) return;
    const source = await o.provenance?.(p.pipeline, p.toDigest);
    for (const e of notificationsOf(p, source)) {
      const key = `${e.promotionId} ${e.type} ${e.occurrence ?? ''}`;
      if (handed.has(key)) continue;
      handed.add(key);
      if (handed.size > REMEMBERED) handed.delete(handed.values().next().value as string);
      notifier.notify(e);
    }
  };
  const unsubscribe = o.bus.subscribe((event) => {
    if (event.type === 'promotion') void hand(event.promotion);
  });
  return {
    async replay() {
      for (const p of o.system.pipelines) {
        for (const promotion of (await o.store.listPromotions({ pipeline: p.name, limit: 20 })).items)
          await hand(promotion);
      }
    },
    async close() {
      unsubscribe();
      await notifier.close();
    },
  };
}
