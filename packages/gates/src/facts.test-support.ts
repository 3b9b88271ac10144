import { evaluateGates } from './evaluate.js';
import type { GateFacts } from './facts.js';
import { parseGate } from './gate-schema.js';
import type { GateEvidenceByKind, GateVerdict } from './verdict.js';

/** The digest of the version under evaluation in tests. */
export const DIGEST = `sha256:${'a'.repeat(64)}`;
export const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;

/** Facts for one evaluation at `now`: a hand-made release by carol of a version from main. */
export function factsAt(now: string, more: Partial<GateFacts> = {}): GateFacts {
  return {
    now: new Date(now),
    request: { trigger: 'person', requester: 'carol' },
    version: {
      digest: DIGEST,
      version: '1.4.0',
      source: {
        sha: '0123456789abcdef0123456789abcdef01234567',
        message: 'Add the checkout button\n\nRefs SHOP-42',
        committer: { name: 'Dev', email: 'dev@example.com' },
        author: { name: 'Author', email: 'author@contractor.test' },
        branch: 'main',
      },
    },
    ...more,
  };
}

/** The same facts for an automatic promotion (a policy reacting to the upstream's verification). */
export function autoFactsAt(now: string, more: Partial<GateFacts> = {}): GateFacts {
  return factsAt(now, { request: { trigger: 'policy', requester: 'policy' }, ...more });
}

/** Parses one gate definition and evaluates it alone. */
export function verdictOf(gate: unknown, facts: GateFacts): GateVerdict {
  const [v] = evaluateGates([parseGate(gate)], facts);
  if (!v) throw new Error('no verdict');
  return v;
}

/** The verdict's evidence, typed by its kind (failing the test when the kind differs). */
export function evidenceOf<K extends keyof GateEvidenceByKind>(v: GateVerdict, kind: K): GateEvidenceByKind[K] {
  if (v.kind !== kind) throw new Error(`expected a ${kind} verdict, got ${v.kind}`);
  return v.evidence as unknown as GateEvidenceByKind[K];
}
