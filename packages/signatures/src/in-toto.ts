import { z } from 'zod';
import { COSIGN, STATEMENT_TYPES } from './media-types.js';

const statementSchema = z.object({
  _type: z.string(),
  subject: z.array(z.object({ name: z.string().optional(), digest: z.record(z.string(), z.string()) })),
  predicateType: z.string(),
  predicate: z.unknown().optional(),
});

export type StatementCheck =
  | { readonly ok: true; readonly predicateType: string }
  | {
      readonly ok: false;
      readonly code: 'payload_invalid' | 'digest_mismatch' | 'predicate_type_mismatch';
      readonly message: string;
      readonly predicateType?: string;
    };

/**
 * Checks a verified DSSE payload: an in-toto statement whose `subject[].digest.sha256`
 * names the image (`digest` is `sha256:<hex>`) and whose `predicateType` is the one
 * required. The subject is checked before the predicate type, so an attestation of
 * another image never reads as "almost right".
 */
export function checkStatement(
  payloadType: string,
  payload: Uint8Array,
  digest: string,
  predicateType: string,
): StatementCheck {
  if (payloadType !== COSIGN.inTotoPayload) {
    return {
      ok: false,
      code: 'payload_invalid',
      message: `the DSSE payload type is "${payloadType}", not "${COSIGN.inTotoPayload}"`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return { ok: false, code: 'payload_invalid', message: 'the in-toto statement is not JSON' };
  }
  const parsed = statementSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      code: 'payload_invalid',
      message: `the payload is not an in-toto statement (${issue?.path.join('.') || 'statement'}: ${issue?.message ?? 'invalid'})`,
    };
  }
  const statement = parsed.data;
  if (!STATEMENT_TYPES.includes(statement._type)) {
    return {
      ok: false,
      code: 'payload_invalid',
      message: `the statement's _type "${statement._type}" is not in-toto's`,
    };
  }
  const hex = digest.slice('sha256:'.length).toLowerCase();
  if (!statement.subject.some((s) => s.digest.sha256?.toLowerCase() === hex)) {
    const named = statement.subject.map((s) => s.digest.sha256).filter((d): d is string => d !== undefined);
    return {
      ok: false,
      code: 'digest_mismatch',
      message: `the attestation's subjects (${named.length > 0 ? named.map((d) => `sha256:${d}`).join(', ') : 'none with a sha256 digest'}) do not include ${digest}`,
      predicateType: statement.predicateType,
    };
  }
  if (statement.predicateType !== predicateType) {
    return {
      ok: false,
      code: 'predicate_type_mismatch',
      message: `the attestation's predicate type is "${statement.predicateType}", not "${predicateType}"`,
      predicateType: statement.predicateType,
    };
  }
  return { ok: true, predicateType: statement.predicateType };
}
