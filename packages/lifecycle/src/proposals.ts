import type { ProposalProvider } from '@gantry/core';
import { findPhase, findPipeline, isGantryError } from '@gantry/core';
import type { OpenProposal, Promotion } from '@gantry/store';
import { ACTIVE_STATES } from '@gantry/store';
import { errorOf, lostRace } from './errors.js';
import { writeRequestOf } from './write-request.js';
import type { LifecycleOptions } from './ports.js';

/** What a provider says became of a pull request (a webhook, or a poll). */
export interface ProposalChange {
  readonly provider: 'github' | 'gitlab';
  /** `owner/name`, as the provider spells it (compared case-insensitively). */
  readonly repository: string;
  readonly number: number;
  readonly state: 'open' | 'merged' | 'closed';
  /** Set when merged: the commit the base branch got. */
  readonly mergedCommit?: string;
}

export interface ProposalsOptions {
  readonly publish: (p: Promotion) => void;
  /** A proposal merged: the promotion succeeded (verification may start). */
  readonly onSucceeded: (p: Promotion) => Promise<void> | void;
}

/** Why a proposal is no longer needed, in words for its pull request; undefined while it is. */
async function unnecessary(o: LifecycleOptions, p: Promotion): Promise<string | undefined> {
  const plan = await o.engine.plan(p.pipeline, p.phase);
  const current = plan.kind === 'in-sync' ? plan.current : plan.kind === 'promote' ? plan.current : undefined;
  if (current?.digest === p.toDigest)
    return `${p.pipeline}/${p.phase} already runs ${p.toVersion}: it got there another way, so this pull request is no longer needed.`;
  // a version asked for by name (a release, a rollback) stands whatever the upstream does
  if (p.fromPhase !== undefined && plan.kind === 'in-sync')
    return `${p.fromPhase} went back to ${plan.current.version}, which ${p.pipeline}/${p.phase} already runs: ${p.toVersion} is no longer proposed.`;
  return undefined;
}

/**
 * The life of a promotion after its pull request opened: merged -> succeeded with the merge
 * commit as the phase's commit (deployment tracking and verification follow from it); closed by
 * someone -> failed; no longer needed (the phase got the version, the upstream went back) ->
 * closed by Gantry with a comment, and superseded. News comes from webhooks (`changed`) and,
 * where no webhook tells, from polling with conditional requests (`poll`).
 */
export function createProposals(o: LifecycleOptions, po: ProposalsOptions) {
  const { store, logger } = o;
  const now = () => (o.clock ?? (() => new Date()))().getTime();
  const lastPolled = new Map<string, number>();
  const provider = (p: OpenProposal): ProposalProvider | undefined => {
    const subject = findPhase(findPipeline(o.engine.system, p.promotion.pipeline), p.promotion.phase).source.subject;
    return subject?.kind === 'git' ? o.proposals?.forRepository(subject.repository) : undefined;
  };

  /** Reads the checks of the pull request's head and records them when they changed. */
  async function refreshChecks(open: OpenProposal, pr: ProposalProvider, headSha?: string): Promise<void> {
    if (!pr.checks) return;
    const checks = await pr.checks(open.proposal.number, headSha || open.proposal.headSha);
    const was = open.proposal.checks;
    if (was?.state === checks.state && was.total === checks.total && was.passed === checks.passed) return;
    await store.updateProposal(open.promotion.id, { checks });
    const p = await store.getPromotion(open.promotion.id);
    if (p) po.publish(p);
  }

  async function settle(open: OpenProposal, c: ProposalChange): Promise<Promotion | undefined> {
    const { promotion: p, proposal } = open;
    try {
      if (c.state === 'merged') {
        await store.updateProposal(p.id, {
          state: 'merged',
          ...(c.mergedCommit ? { mergedCommit: c.mergedCommit } : {}),
        });
        const done = await store.transition(p.id, 'succeeded', {
          ...(c.mergedCommit ? { commitSha: c.mergedCommit } : {}),
          detail: { proposal: proposal.number, merged: true },
        });
        logger.info({ promotion: p.id, number: proposal.number, commit: c.mergedCommit }, 'proposal merged');
        po.publish(done);
        await o.afterPromotion?.(done).catch(() => undefined);
        await po.onSucceeded(done);
        return done;
      }
      if (c.state === 'closed') {
        await store.updateProposal(p.id, { state: 'closed' });
        const done = await store.transition(p.id, 'failed', {
          error: {
            code: 'proposal_closed',
            message: `${proposal.provider === 'gitlab' ? 'merge request !' : 'pull request #'}${proposal.number} (${proposal.url}) was closed without merging`,
          },
          detail: { proposal: proposal.number },
        });
        logger.info({ promotion: p.id, number: proposal.number }, 'proposal closed unmerged');
        po.publish(done);
        await o.afterPromotion?.(done).catch(() => undefined);
        return done;
      }
    } catch (e) {
      // another replica (or the webhook and a poll) settled it first
      if (!lostRace(e)) throw e;
    }
    return undefined;
  }

  /** Polls the open proposals whose provider polls and whose interval has passed. */
  async function poll(force = false): Promise<void> {
    for (const open of await store.openProposals()) {
      const pr = provider(open);
      if (!pr || (pr.pollIntervalMs <= 0 && !force)) continue;
      const key = open.promotion.id;
      if (!force && now() - (lastPolled.get(key) ?? 0) < pr.pollIntervalMs) continue;
      lastPolled.set(key, now());
      try {
        const read = await pr.read(open.proposal.number, open.proposal.etag);
        if (!read.notModified) {
          if (read.etag) await store.updateProposal(key, { etag: read.etag });
          if (read.proposal.state !== 'open') {
            await settle(open, read.proposal);
            continue;
          }
        }
        // statuses change without the pull request changing (its ETag stays): asked every round
        await refreshChecks(open, pr, read.notModified ? undefined : read.proposal.headSha);
        // auto-merge where the host's own could not be enabled: Gantry merges once the checks pass
        const autoMerge = findPhase(findPipeline(o.engine.system, open.promotion.pipeline), open.promotion.phase)
          .proposal?.autoMerge;
        if (autoMerge && pr.mergeIfReady) {
          const merged = await pr.mergeIfReady(open.proposal.number, autoMerge.method);
          if (merged?.state === 'merged') await settle(open, merged);
        }
      } catch (e) {
        // a rate limit or an outage: this proposal waits for the next round; others go on
        logger.warn({ promotion: key, number: open.proposal.number, err: errorOf(e) }, 'polling a proposal failed');
      }
    }
    for (const id of lastPolled.keys())
      if (!(await store.getPromotion(id).then((p) => p?.state === 'proposed'))) lastPolled.delete(id);
  }

  /**
   * The phase's branch moved under the proposal (someone merged something else): the change is
   * rebuilt on the new tip and force-pushed, with a comment; when the version line itself
   * changed there, the promotion fails with `proposal_conflict`, said on the pull request too.
   */
  async function rebase(open: OpenProposal, pr: ProposalProvider): Promise<void> {
    const { promotion: p, proposal } = open;
    if (!o.engine.rebaseProposal || !o.ancestry) return;
    const ancestry = o.ancestry;
    const r = await o.engine.rebaseProposal(p.pipeline, p.phase, {
      ...writeRequestOf(o, p),
      headSha: proposal.headSha,
      ...(p.fromDigest ? { fromDigest: p.fromDigest } : {}),
      isAncestor: (a, d) => ancestry(p.pipeline, p.phase, a, d),
    });
    const name = `${proposal.provider === 'gitlab' ? 'merge request !' : 'pull request #'}${proposal.number}`;
    if (r.kind === 'rebased') {
      // a new head: its checks are read afresh (recording resets them and the ETag)
      await store.recordProposal(p.id, { ...r.proposal, headSha: r.revision.id });
      po.publish((await store.getPromotion(p.id)) ?? p);
      await pr
        .comment(
          proposal.number,
          `Gantry rebased this onto ${r.base}: ${proposal.baseBranch} moved, and the change was re-applied on its new tip.`,
        )
        .catch((e: unknown) => logger.warn({ promotion: p.id, err: errorOf(e) }, 'commenting a rebase failed'));
      logger.info({ promotion: p.id, number: proposal.number, base: r.base, head: r.revision.id }, 'proposal rebased');
    } else if (r.kind === 'conflict') {
      const why = `${proposal.baseBranch} changed the version this proposal replaces (it now holds ${r.found ?? 'nothing'} at ${r.base.slice(0, 12)}, not ${p.fromVersion ?? 'nothing'}): ${p.toVersion} no longer applies as proposed`;
      const done = await store.transition(p.id, 'failed', {
        error: {
          code: 'proposal_conflict',
          message: `${name} (${proposal.url}): ${why}. Promote again to propose it on the new tip.`,
        },
        detail: { proposal: proposal.number, base: r.base },
      });
      po.publish(done);
      await pr
        .comment(
          proposal.number,
          `Gantry cannot rebase this: ${why}. It is left as it is; promote again to propose ${p.toVersion} on the new tip, or close this.`,
        )
        .catch((e: unknown) => logger.warn({ promotion: p.id, err: errorOf(e) }, 'commenting a conflict failed'));
      logger.warn({ promotion: p.id, number: proposal.number, base: r.base }, 'proposal conflicts with its branch');
      await o.afterPromotion?.(done).catch(() => undefined);
    }
  }

  // one review at a time (the timer's and a push webhook's): two rebases of one proposal would race their pushes
  let reviewing: Promise<void> = Promise.resolve();
  const review = (only?: ReadonlySet<string>): Promise<void> => {
    const run = reviewing.then(() => reviewOnce(only));
    reviewing = run.catch(() => undefined);
    return run;
  };

  /** Closes the open proposals that became unnecessary, saying why on each, and rebases those whose branch moved. */
  async function reviewOnce(only?: ReadonlySet<string>): Promise<void> {
    for (const open of await store.openProposals()) {
      if (only && !only.has(`${open.promotion.pipeline}/${open.promotion.phase}`)) continue;
      const { promotion: p, proposal } = open;
      const pr = provider(open);
      if (!pr) continue;
      try {
        // a newer promotion of the phase is running: it updates (or settles) this pull request
        const recent = await store.listPromotions({ pipeline: p.pipeline, phase: p.phase, limit: 5 });
        if (recent.items.some((x) => ACTIVE_STATES.includes(x.state) || x.state === 'queued')) continue;
        const why = await unnecessary(o, p);
        if (!why) {
          await rebase(open, pr);
          continue;
        }
        // settled first: the `closed` webhook our own close sends must not read as someone closing it
        const done = await store.transition(p.id, 'superseded', { detail: { proposal: proposal.number, reason: why } });
        await store.updateProposal(p.id, { state: 'closed' });
        po.publish((await store.getPromotion(p.id)) ?? done);
        try {
          await pr.close(proposal.number, `${why}\n\n<sub>Closed by Gantry.</sub>`);
          logger.info({ promotion: p.id, number: proposal.number, reason: why }, 'proposal closed as unnecessary');
        } catch (e) {
          // the next promotion of the phase takes the still-open pull request over
          logger.warn(
            { promotion: p.id, number: proposal.number, err: errorOf(e) },
            'closing an unnecessary proposal failed',
          );
        }
        await o.afterPromotion?.(done).catch(() => undefined);
      } catch (e) {
        if (lostRace(e)) continue;
        const err = errorOf(e);
        if (isGantryError(e) && e.code === 'proposal_rate_limited')
          logger.info({ promotion: p.id, err }, 'proposal review waits');
        else logger.warn({ promotion: p.id, err }, 'reviewing a proposal failed');
      }
    }
  }

  return {
    /** A provider's news about a pull request: settles the promotion whose open proposal it is. */
    async changed(c: ProposalChange): Promise<Promotion | undefined> {
      const open = await store.openProposalByNumber(c.provider, c.repository, c.number);
      if (!open) return undefined;
      if (c.state !== 'open') return settle(open, c);
      // still open (a push, an edit, a pipeline on GitLab): its checks may have moved
      const pr = provider(open);
      if (pr)
        await refreshChecks(open, pr).catch((e: unknown) =>
          logger.warn({ promotion: open.promotion.id, err: errorOf(e) }, 'reading the checks of a proposal failed'),
        );
      return undefined;
    },
    /**
     * A commit status or check run changed on some commit (GitHub's `status`, `check_run`,
     * `check_suite` events): the open proposals whose head it is read their checks again, and
     * where Gantry merges by itself (auto-merge without the host's own), merge once they pass.
     */
    async headChecked(c: {
      readonly provider: 'github' | 'gitlab';
      readonly repository: string;
      readonly sha: string;
    }): Promise<Promotion[]> {
      const hits = (await store.openProposals()).filter(
        (x) =>
          x.proposal.provider === c.provider &&
          x.proposal.repository.toLowerCase() === c.repository.toLowerCase() &&
          x.proposal.headSha === c.sha,
      );
      for (const open of hits) {
        const pr = provider(open);
        if (!pr) continue;
        try {
          await refreshChecks(open, pr, c.sha);
          const autoMerge = findPhase(findPipeline(o.engine.system, open.promotion.pipeline), open.promotion.phase)
            .proposal?.autoMerge;
          if (autoMerge && pr.mergeIfReady) {
            const merged = await pr.mergeIfReady(open.proposal.number, autoMerge.method);
            if (merged?.state === 'merged') await settle(open, merged);
          }
        } catch (e) {
          logger.warn({ promotion: open.promotion.id, err: errorOf(e) }, 'reading the checks of a proposal failed');
        }
      }
      return hits.map((h) => h.promotion);
    },
    poll,
    review,
    /** A push to these phases' branches (a webhook): their proposals are reviewed now (rebased, or closed). */
    baseMoved: (phases: readonly { pipeline: string; phase: string }[]) =>
      review(new Set(phases.map((x) => `${x.pipeline}/${x.phase}`))),
    /** Marks the earlier open proposals of the phase superseded: `p` took their pull request over. */
    async supersedeEarlier(p: Promotion): Promise<void> {
      const recent = await store.listPromotions({ pipeline: p.pipeline, phase: p.phase, limit: 20 });
      for (const old of recent.items) {
        if (old.id === p.id || old.state !== 'proposed') continue;
        try {
          po.publish(
            await store.transition(old.id, 'superseded', {
              detail: { supersededBy: p.id, ...(p.proposal ? { proposal: p.proposal.number } : {}) },
            }),
          );
        } catch (e) {
          if (!lostRace(e)) throw e;
        }
      }
    },
  };
}

export type Proposals = ReturnType<typeof createProposals>;
