import type { EvaluationContext } from './evaluation-context.js';
import { iso, shortDigest } from './evaluation-context.js';
import type { UpstreamFacts } from './facts.js';
import { instantOf } from './facts.js';
import { formatSpan } from './relative-time.js';
import type { SoakGate } from './soak-schema.js';
import type { Decided } from './decision.js';
import type { GateOutcome, SoakUpstreamEvidence } from './verdict.js';
import { decided } from './decision.js';
import { formatInstant, zoneOf } from './zone.js';

type Standing = 'soaked' | 'soaking' | 'verifying' | 'blocked';

/** Where one upstream stands, and (when verified) when its soak ends. */
function standingOf(g: SoakGate, u: UpstreamFacts, digest: string, now: number): { s: Standing; until: number } {
  if (u.digest !== undefined && u.digest !== digest) return { s: 'blocked', until: 0 };
  if (u.state === 'pending' || u.state === 'running') return { s: 'verifying', until: 0 };
  if (u.state !== 'verified') return { s: 'blocked', until: 0 };
  const at = instantOf(u.verifiedAt);
  if (at === undefined) return { s: 'blocked', until: 0 };
  const until = at + g.duration.ms;
  return { s: until <= now ? 'soaked' : 'soaking', until };
}

/** `soak`: verified in the upstream(s) at least `duration` ago. */
export function evaluateSoak(g: SoakGate, c: EvaluationContext): Decided<'soak'> {
  const all = c.facts.upstreams ?? [];
  const upstreams = g.upstream === undefined ? all : all.filter((u) => u.phase === g.upstream);
  let blocked = upstreams.length === 0;
  let verifying = false;
  let soakEnd = Number.NEGATIVE_INFINITY;
  for (const u of upstreams) {
    const { s, until } = standingOf(g, u, c.facts.version.digest, c.now);
    if (s === 'blocked') blocked = true;
    else if (s === 'verifying') verifying = true;
    else if (s === 'soaking') soakEnd = Math.max(soakEnd, until);
  }
  const soaking = soakEnd > Number.NEGATIVE_INFINITY;
  const outcome: GateOutcome = blocked ? 'block' : verifying || soaking ? 'wait' : 'pass';
  // only time is awaited: the soak's end is when this may pass
  const changesAt = outcome === 'wait' && !verifying ? soakEnd : undefined;
  return decided(g.name, 'soak', outcome, changesAt, () => explain(g, c, upstreams));
}

function explain(g: SoakGate, c: EvaluationContext, upstreams: readonly UpstreamFacts[]) {
  const soakText = g.duration.ms > 0 ? ` and soak ${formatSpan(g.duration.ms)}` : '';
  if (upstreams.length === 0) {
    const where = g.upstream ?? 'the upstream phase';
    return {
      reason: `no verification of this version in ${where} is known`,
      unblock: `the version must be verified in ${where}${g.upstream ? '' : ' (this phase has no upstream to soak in)'}`,
      evidence: { durationMs: g.duration.ms, upstreams: [] },
    };
  }
  const evidence: SoakUpstreamEvidence[] = [];
  const blocked: { reason: string; unblock: string }[] = [];
  const verifying: string[] = [];
  const soaking: string[] = [];
  let soakEnd = Number.NEGATIVE_INFINITY;
  for (const u of upstreams) {
    const { s, until } = standingOf(g, u, c.facts.version.digest, c.now);
    const e: { -readonly [P in keyof SoakUpstreamEvidence]: SoakUpstreamEvidence[P] } = {
      phase: u.phase,
      state: u.state,
    };
    if (u.verifiedAt) e.verifiedAt = u.verifiedAt;
    if (s === 'soaked' || s === 'soaking') e.soakedAt = iso(until);
    evidence.push(e);
    if (s === 'verifying') verifying.push(u.phase);
    else if (s === 'soaking') {
      soaking.push(u.phase);
      soakEnd = Math.max(soakEnd, until);
    } else if (s === 'blocked') blocked.push(blockedText(u, c, soakText));
  }
  const all = { durationMs: g.duration.ms, upstreams: evidence };
  if (blocked.length > 0) {
    return {
      reason: blocked.map((b) => b.reason).join('; '),
      unblock: blocked.map((b) => b.unblock).join('; '),
      evidence: all,
    };
  }
  if (verifying.length === 0 && soaking.length === 0) {
    const phases = upstreams.map((u) => u.phase).join(', ');
    return {
      reason:
        g.duration.ms > 0 ? `verified in ${phases} and soaked ${formatSpan(g.duration.ms)}` : `verified in ${phases}`,
      evidence: all,
    };
  }
  const parts: string[] = [];
  const unblock: string[] = [];
  if (verifying.length > 0) {
    parts.push(`${verifying.join(', ')} ${verifying.length === 1 ? 'is' : 'are'} still verifying this version`);
    unblock.push(`${verifying.join(' and ')} ${verifying.length === 1 ? 'verifies' : 'verify'} it`);
  }
  if (soaking.length > 0) {
    const when = formatInstant(zoneOf('UTC'), soakEnd, c.now);
    parts.push(`soaking in ${soaking.join(', ')} for ${formatSpan(g.duration.ms)}, until ${when}`);
    unblock.push(`the soak time ends ${when}`);
  }
  return { reason: parts.join('; '), unblock: unblock.join(', then '), evidence: all };
}

function blockedText(u: UpstreamFacts, c: EvaluationContext, soakText: string): { reason: string; unblock: string } {
  if (u.digest !== undefined && u.digest !== c.facts.version.digest) {
    return {
      reason: `${u.phase} verified ${shortDigest(u.digest)}, not this version`,
      unblock: `promote this version to ${u.phase} and let it verify there${soakText}`,
    };
  }
  if (u.state === 'verified') {
    return {
      reason: `${u.phase} verified this version, but when is not known`,
      unblock: `record when ${u.phase} verified it (its verification has no time)`,
    };
  }
  if (u.state === 'failed') {
    return {
      reason: `verification of this version failed in ${u.phase}${u.reason ? `: ${u.reason}` : ''}`,
      unblock: `fix it and verify it again in ${u.phase} (gantry verify), or release a version that verifies there`,
    };
  }
  return {
    reason: `this version has not been promoted to ${u.phase}`,
    unblock: `promote it to ${u.phase} and let it verify there${soakText}`,
  };
}
