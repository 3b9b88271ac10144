import type { EvaluationContext } from './evaluation-context.js';
import { iso, shortDigest } from './evaluation-context.js';
import type { UpstreamFacts } from './facts.js';
import { instantOf } from './facts.js';
import { formatSpan } from './relative-time.js';
import type { SoakGate } from './soak-schema.js';
import type { SoakUpstreamEvidence, SoakVerdict } from './verdict.js';
import { formatInstant, zoneOf } from './zone.js';

type Standing =
  | { readonly kind: 'soaked' }
  | { readonly kind: 'soaking'; readonly until: number }
  | { readonly kind: 'verifying' }
  | { readonly kind: 'blocked'; readonly reason: string; readonly unblock: string };

function standingOf(g: SoakGate, u: UpstreamFacts, c: EvaluationContext): { s: Standing; e: SoakUpstreamEvidence } {
  const e: SoakUpstreamEvidence = {
    phase: u.phase,
    state: u.state,
    ...(u.verifiedAt ? { verifiedAt: u.verifiedAt } : {}),
  };
  const soakText = g.duration.ms > 0 ? ` and soak ${formatSpan(g.duration.ms)}` : '';
  if (u.digest !== undefined && u.digest !== c.facts.version.digest) {
    return {
      s: {
        kind: 'blocked',
        reason: `${u.phase} verified ${shortDigest(u.digest)}, not this version`,
        unblock: `promote this version to ${u.phase} and let it verify there${soakText}`,
      },
      e,
    };
  }
  switch (u.state) {
    case 'verified': {
      const at = instantOf(u.verifiedAt);
      if (at === undefined) {
        return {
          s: {
            kind: 'blocked',
            reason: `${u.phase} verified this version, but when is not known`,
            unblock: `record when ${u.phase} verified it (its verification has no time)`,
          },
          e,
        };
      }
      const until = at + g.duration.ms;
      const withEnd = { ...e, soakedAt: iso(until) };
      return { s: until <= c.now ? { kind: 'soaked' } : { kind: 'soaking', until }, e: withEnd };
    }
    case 'pending':
    case 'running':
      return { s: { kind: 'verifying' }, e };
    case 'failed':
      return {
        s: {
          kind: 'blocked',
          reason: `verification of this version failed in ${u.phase}${u.reason ? `: ${u.reason}` : ''}`,
          unblock: `fix it and verify it again in ${u.phase} (gantry verify), or release a version that verifies there`,
        },
        e,
      };
    default:
      return {
        s: {
          kind: 'blocked',
          reason: `this version has not been promoted to ${u.phase}`,
          unblock: `promote it to ${u.phase} and let it verify there${soakText}`,
        },
        e,
      };
  }
}

/** `soak`: verified in the upstream(s) at least `duration` ago. */
export function evaluateSoak(g: SoakGate, c: EvaluationContext): SoakVerdict {
  const all = c.facts.upstreams ?? [];
  const upstreams = g.upstream === undefined ? all : all.filter((u) => u.phase === g.upstream);
  const base = { gate: g.name, kind: 'soak' as const };
  if (upstreams.length === 0) {
    const where = g.upstream ?? 'the upstream phase';
    return {
      ...base,
      outcome: 'block',
      reason: `no verification of this version in ${where} is known`,
      unblock: `the version must be verified in ${where}${g.upstream ? '' : ' (this phase has no upstream to soak in)'}`,
      evidence: { durationMs: g.duration.ms, upstreams: [] },
    };
  }
  const standings = upstreams.map((u) => standingOf(g, u, c));
  const evidence = { durationMs: g.duration.ms, upstreams: standings.map((x) => x.e) };
  const blocked = standings.flatMap((x) => (x.s.kind === 'blocked' ? [x.s] : []));
  if (blocked.length > 0) {
    return {
      ...base,
      outcome: 'block',
      reason: blocked.map((b) => b.reason).join('; '),
      unblock: blocked.map((b) => b.unblock).join('; '),
      evidence,
    };
  }
  const utc = zoneOf('UTC');
  const verifying = standings.filter((x) => x.s.kind === 'verifying').map((x) => x.e.phase);
  let soakEnd = Number.NEGATIVE_INFINITY;
  const soaking: string[] = [];
  for (const x of standings) {
    if (x.s.kind === 'soaking') {
      soakEnd = Math.max(soakEnd, x.s.until);
      soaking.push(x.e.phase);
    }
  }
  if (verifying.length === 0 && soaking.length === 0) {
    const phases = standings.map((x) => x.e.phase).join(', ');
    return {
      ...base,
      outcome: 'pass',
      reason:
        g.duration.ms > 0 ? `verified in ${phases} and soaked ${formatSpan(g.duration.ms)}` : `verified in ${phases}`,
      evidence,
    };
  }
  const parts: string[] = [];
  const unblock: string[] = [];
  if (verifying.length > 0) {
    parts.push(`${verifying.join(', ')} ${verifying.length === 1 ? 'is' : 'are'} still verifying this version`);
    unblock.push(`${verifying.join(' and ')} ${verifying.length === 1 ? 'verifies' : 'verify'} it`);
  }
  if (soaking.length > 0) {
    const when = formatInstant(utc, soakEnd, c.now);
    parts.push(`soaking in ${soaking.join(', ')} for ${formatSpan(g.duration.ms)}, until ${when}`);
    unblock.push(`the soak time ends ${when}`);
  }
  return {
    ...base,
    outcome: 'wait',
    reason: parts.join('; '),
    unblock: unblock.join(', then '),
    // only time is awaited: the soak's end is when this may pass
    ...(verifying.length === 0 ? { changesAt: iso(soakEnd) } : {}),
    evidence,
  };
}
