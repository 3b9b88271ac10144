import type { EvaluationContext } from './evaluation-context.js';
import { shortDigest } from './evaluation-context.js';
import type { SignatureRecord } from './facts.js';
import type { CompiledSignature, SignatureGate } from './signature-schema.js';
import type { Decided } from './decision.js';
import type { GateOutcome, SignatureEvidence, SignatureResultEvidence } from './verdict.js';
import { decided } from './decision.js';

function isAttestation(r: SignatureRecord): boolean {
  return r.kind === 'attestation' || (r.kind === undefined && r.predicateType !== undefined);
}

function unavailable(r: SignatureRecord): boolean {
  return r.outcome === 'unavailable' || r.code === 'unavailable';
}

/**
 * `signature`: a recorded check of this digest verified with one of the gate's keys (and,
 * for an attestation, of the required predicate type). Never passes on presence, on a key
 * the gate does not name, or on a check that could not be done.
 */
export function evaluateSignature(
  g: SignatureGate,
  compiled: CompiledSignature,
  c: EvaluationContext,
): Decided<'signature'> {
  const digest = c.facts.version.digest;
  const results: SignatureRecord[] = [];
  for (const r of c.facts.signatures ?? []) {
    if (r.gate !== undefined && r.gate !== g.name) continue;
    const checked = r.digest ?? r.evidence?.digest;
    if (checked !== undefined && checked !== digest) continue;
    // a result of the other requirement (a plain signature for an attestation gate, or the reverse)
    if (isAttestation(r) !== (g.predicateType !== undefined)) continue;
    results.push(r);
  }
  const good = results.find(
    (r) =>
      r.verified &&
      !unavailable(r) &&
      r.keyId !== undefined &&
      compiled.keyIds.has(r.keyId) &&
      (g.predicateType === undefined || r.predicateType === g.predicateType),
  );
  const down = good || results.length === 0 ? undefined : results.find(unavailable);
  const outcome: GateOutcome = good ? 'pass' : down ? 'wait' : 'block';
  return decided(g.name, 'signature', outcome, undefined, () => explain(g, compiled, digest, results, good, down));
}

function explain(
  g: SignatureGate,
  compiled: CompiledSignature,
  digest: string,
  results: readonly SignatureRecord[],
  good: SignatureRecord | undefined,
  down: SignatureRecord | undefined,
) {
  const noun = g.predicateType ? `attestation of ${g.predicateType}` : 'signature';
  const what = `a${g.predicateType ? 'n' : ''} ${noun}`;
  const evidenceResults: SignatureResultEvidence[] = results.map((r) => {
    const e: { -readonly [P in keyof SignatureResultEvidence]: SignatureResultEvidence[P] } = {
      verified: r.verified,
      reason: r.reason,
    };
    if (r.keyId) e.keyId = r.keyId;
    if (r.predicateType) e.predicateType = r.predicateType;
    if (r.outcome) e.outcome = r.outcome;
    return e;
  });
  const keys = [...compiled.keyIds];
  const evidence: { -readonly [P in keyof SignatureEvidence]: SignatureEvidence[P] } = {
    keys,
    results: evidenceResults,
  };
  if (g.predicateType) evidence.predicateType = g.predicateType;
  if (good?.keyId) {
    evidence.verifiedBy = good.keyId;
    return { reason: `${what} verified with key ${good.keyId}`, evidence };
  }
  if (results.length === 0) {
    return {
      reason: `no check of ${what} on ${shortDigest(digest)} was recorded`,
      unblock: `Gantry must check ${what} on this digest (keys: ${keys.join(', ')})`,
      evidence,
    };
  }
  if (down) {
    return {
      reason: `${what} could not be checked: ${down.reason}`,
      unblock: 'the registry answers when Gantry checks again',
      evidence,
    };
  }
  const reasons = results.map((r) =>
    r.verified && r.keyId !== undefined && !compiled.keyIds.has(r.keyId)
      ? `verified with key ${r.keyId}, which this gate does not name`
      : r.verified && g.predicateType !== undefined && r.predicateType !== g.predicateType
        ? `an attestation of ${r.predicateType ?? 'an unknown predicate type'}, not ${g.predicateType}`
        : r.reason,
  );
  const attestation = g.predicateType ? ` (attestation of ${g.predicateType})` : '';
  return {
    reason: `no ${noun} verified with keys ${keys.join(', ')}: ${[...new Set(reasons)].join('; ')}`,
    unblock: `sign ${shortDigest(digest)} with one of ${keys.join(', ')}${attestation}, or release a version that is`,
    evidence,
  };
}
