import type { EvaluationContext } from './evaluation-context.js';
import { shortDigest } from './evaluation-context.js';
import type { SignatureRecord } from './facts.js';
import type { CompiledSignature, SignatureGate } from './signature-schema.js';
import type { SignatureResultEvidence, SignatureVerdict } from './verdict.js';

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
): SignatureVerdict {
  const digest = c.facts.version.digest;
  const noun = g.predicateType ? `attestation of ${g.predicateType}` : 'signature';
  const what = `a${g.predicateType ? 'n' : ''} ${noun}`;
  const results: SignatureRecord[] = [];
  for (const r of c.facts.signatures ?? []) {
    if (r.gate !== undefined && r.gate !== g.name) continue;
    const checked = r.digest ?? r.evidence?.digest;
    if (checked !== undefined && checked !== digest) continue;
    // a result of the other requirement (a plain signature for an attestation gate, or the reverse)
    if (isAttestation(r) !== (g.predicateType !== undefined)) continue;
    results.push(r);
  }
  const evidenceResults: SignatureResultEvidence[] = results.map((r) => ({
    verified: r.verified,
    reason: r.reason,
    ...(r.keyId ? { keyId: r.keyId } : {}),
    ...(r.predicateType ? { predicateType: r.predicateType } : {}),
    ...(r.outcome ? { outcome: r.outcome } : {}),
  }));
  const keys = [...compiled.keyIds];
  const evidence = { keys, ...(g.predicateType ? { predicateType: g.predicateType } : {}), results: evidenceResults };
  const base = { gate: g.name, kind: 'signature' as const };
  const good = results.find(
    (r) =>
      r.verified &&
      !unavailable(r) &&
      r.keyId !== undefined &&
      compiled.keyIds.has(r.keyId) &&
      (g.predicateType === undefined || r.predicateType === g.predicateType),
  );
  if (good?.keyId) {
    return {
      ...base,
      outcome: 'pass',
      reason: `${what} verified with key ${good.keyId}`,
      evidence: { ...evidence, verifiedBy: good.keyId },
    };
  }
  if (results.length === 0) {
    return {
      ...base,
      outcome: 'block',
      reason: `no check of ${what} on ${shortDigest(digest)} was recorded`,
      unblock: `Gantry must check ${what} on this digest (keys: ${keys.join(', ')})`,
      evidence,
    };
  }
  const down = results.find(unavailable);
  if (down) {
    return {
      ...base,
      outcome: 'wait',
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
  return {
    ...base,
    outcome: 'block',
    reason: `no ${noun} verified with keys ${keys.join(', ')}: ${[...new Set(reasons)].join('; ')}`,
    unblock: `sign ${shortDigest(digest)} with one of ${keys.join(', ')}${g.predicateType ? ` (attestation of ${g.predicateType})` : ''}, or release a version that is`,
    evidence,
  };
}
