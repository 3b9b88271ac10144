import type { EvaluationContext } from './evaluation-context.js';
import { iso, shortDigest } from './evaluation-context.js';
import type { UpstreamFacts } from './facts.js';
import { instantOf } from './facts.js';
import { formatSpan } from './relative-time.js';
import type { SoakGate } from './soak-schema.js';
import type { SoakUpstreamEvidence, SoakVerdict } from './verdict.js';
import { makeVerdict } from './verdict.js';
import { formatInstant, zoneOf } from './zone.js';

/** Where one upstream stands; `until` is the soak's end for `soaking`. */
interface Standing {
  readonly kind: 'soaked' | 'soaking' | 'verifying' | 'blocked';
  readonly until: number;
  readonly reason: string;
  readonly unblock: string;
  readonly evidence: SoakUpstreamEvidence;
}

function standingOf(g: SoakGate, u: UpstreamFacts, c: EvaluationContext): Standing {
  const e: { -readonly [P in keyof SoakUpstreamEvidence]: SoakUpstreamEvidence[P] } = {
    phase: u.phase,
    state: u.state,
  };
  if (u.verifiedAt) e.verifiedAt = u.verifiedAt;
  const blocked = (reason: string, unblock: string): Standing => ({
    kind: 'blocked',
    until: 0,
    reason,
    unblock,
    evidence: e,
  });
  const soakText = g.duration.ms > 0 ? ` and soak ${formatSpan(g.duration.ms)}` : '';
  if (u.digest !== undefined && u.digest !== c.facts.version.digest) {
    return blocked(
      `${u.phase} verified ${shortDigest(u.digest)}, not this version`,
      `promote this version to ${u.phase} and let it verify there${soakText}`,
    );
  }
  switch (u.state) {
    case 'verified': {
      const at = instantOf(u.verifiedAt);
      if (at === undefined) {
        return blocked(
          `${u.phase} verified this version, but when is not known`,
          `record when ${u.phase} verified it (its verification has no time)`,
        );
      }
      const until = at + g.duration.ms;
      e.soakedAt = iso(until);
      return { kind: until <= c.now ? 'soaked' : 'soaking', until, reason: '', unblock: '', evidence: e };
    }
    case 'pending':
    case 'running':
      return { kind: 'verifying', until: 0, reason: '', unblock: '', evidence: e };
    case 'failed':
      return blocked(
        `verification of this version failed in ${u.phase}${u.reason ? `: ${u.reason}` : ''}`,
        `fix it and verify it again in ${u.phase} (gantry verify), or release a version that verifies there`,
      );
    default:
      return blocked(
        `this version has not been promoted to ${u.phase}`,
        `promote it to ${u.phase} and let it verify there${soakText}`,
      );
  }
}

/** `soak`: verified in the upstream(s) at least `duration` ago. */
export function evaluateSoak(g: SoakGate, c: EvaluationContext): SoakVerdict {
  const all = c.facts.upstreams ?? [];
  const upstreams = g.upstream === undefined ? all : all.filter((u) => u.phase === g.upstream);
  if (upstreams.length === 0) {
    const where = g.upstream ?? 'the upstream phase';
    const reason = `no verification of this version in ${where} is known`;
    const unblock = `the version must be verified in ${where}${g.upstream ? '' : ' (this phase has no upstream to soak in)'}`;
    return makeVerdict(g.name, 'soak', 'block', reason, { durationMs: g.duration.ms, upstreams: [] }, unblock);
  }
  const standings = upstreams.map((u) => standingOf(g, u, c));
  const evidence = { durationMs: g.duration.ms, upstreams: standings.map((x) => x.evidence) };
  const blocked = standings.filter((x) => x.kind === 'blocked');
  if (blocked.length > 0) {
    const reason = blocked.map((b) => b.reason).join('; ');
    return makeVerdict(g.name, 'soak', 'block', reason, evidence, blocked.map((b) => b.unblock).join('; '));
  }
  const verifying: string[] = [];
  const soaking: string[] = [];
  let soakEnd = Number.NEGATIVE_INFINITY;
  for (const x of standings) {
    if (x.kind === 'verifying') verifying.push(x.evidence.phase);
    else if (x.kind === 'soaking') {
      soakEnd = Math.max(soakEnd, x.until);
      soaking.push(x.evidence.phase);
    }
  }
  if (verifying.length === 0 && soaking.length === 0) {
    const phases = standings.map((x) => x.evidence.phase).join(', ');
    const reason =
      g.duration.ms > 0 ? `verified in ${phases} and soaked ${formatSpan(g.duration.ms)}` : `verified in ${phases}`;
    return makeVerdict(g.name, 'soak', 'pass', reason, evidence);
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
  // only time is awaited: the soak's end is when this may pass
  const changesAt = verifying.length === 0 ? iso(soakEnd) : undefined;
  return makeVerdict(g.name, 'soak', 'wait', parts.join('; '), evidence, unblock.join(', then '), changesAt);
}
