import { gatesSchema } from '@gantry/gates';
import { parsePublicKey } from '@gantry/signatures';
import type { z } from 'zod';

/** One public key of a signature gate that does not parse, where it is among the phase's gates. */
export interface KeyProblem {
  /** `[gate, 'keys', key, 'publicKey']`, relative to the phase's `gates`. */
  readonly path: readonly (string | number)[];
  /** The key's id, for finding it in a file. */
  readonly id?: string;
  readonly message: string;
}

/**
 * Every public key of the signature gates that `@gantry/signatures` cannot use: not PEM, a
 * private key or a certificate, a curve it does not verify. The gates' own schema only checks
 * the PEM shape (it verifies nothing, so it imports no crypto); a key that passes it but cannot
 * verify would otherwise surface only as a gate that never passes. Reads any value: a gate that
 * failed its own schema is skipped.
 */
export function signatureKeyProblems(gates: unknown): KeyProblem[] {
  if (!Array.isArray(gates)) return [];
  const out: KeyProblem[] = [];
  gates.forEach((g: unknown, i) => {
    const gate = g as { kind?: unknown; keys?: unknown } | null;
    if (gate?.kind !== 'signature' || !Array.isArray(gate.keys)) return;
    gate.keys.forEach((k: unknown, j) => {
      const key = k as { id?: unknown; publicKey?: unknown } | null;
      if (typeof key?.publicKey !== 'string') return;
      const id = typeof key.id === 'string' ? key.id : undefined;
      const parsed = parsePublicKey(key.publicKey, id);
      if (parsed.ok) return;
      out.push({
        path: [i, 'keys', j, 'publicKey'],
        ...(id !== undefined ? { id } : {}),
        message: `the public key${id !== undefined ? ` "${id}"` : ''} ${parsed.message}`,
      });
    });
  });
  return out;
}

/**
 * A phase's gates as `gantry.yaml` and `gantry.config.ts` both declare them: the gates' schema,
 * and every signature key parsed as verification will parse it. Key problems are reported along
 * with the other gates' problems, not after them.
 */
export const phaseGatesSchema = gatesSchema.superRefine(
  (gates, ctx) => {
    for (const p of signatureKeyProblems(gates))
      ctx.addIssue({ code: 'custom', path: [...p.path], message: p.message, input: gates });
  },
  { when: () => true },
);

export type PhaseGates = z.output<typeof phaseGatesSchema>;
