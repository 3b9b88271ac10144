import { z } from 'zod';
import { InvalidDeployerEventError, issuesOf, parseJsonBody } from './errors.js';

/*
 * The Event notification-controller POSTs to a `generic` / `generic-hmac` Provider: Flux's Event
 * API (fluxcd/pkg apis/event/v1beta1), `involvedObject` being a Kubernetes ObjectReference.
 * Unknown keys pass (newer releases add some); the fields Gantry reads are checked.
 */

const nonEmpty = z.string().min(1, 'must not be empty');

// metav1.Time marshals as RFC 3339 with second precision ("2022-10-28T07:26:19Z"); accept any RFC 3339.
const rfc3339 = z.string().refine((s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s), {
  message: 'must be an RFC 3339 time, e.g. 2024-05-01T10:00:00Z',
});

export const fluxEventSchema = z.looseObject({
  involvedObject: z.looseObject({
    kind: nonEmpty,
    namespace: nonEmpty,
    name: nonEmpty,
    uid: z.string().optional(),
    apiVersion: z.string().optional(),
    resourceVersion: z.string().optional(),
  }),
  // `trace` events are never forwarded to providers, so a real Provider sends only these two.
  severity: z.enum(['info', 'error']),
  timestamp: rfc3339,
  message: z.string(),
  reason: nonEmpty,
  metadata: z.record(z.string(), z.string()).nullish(),
  reportingController: z.string().optional(),
  reportingInstance: z.string().optional(),
});

/** A Flux event as received, after validation. */
export type FluxEvent = z.infer<typeof fluxEventSchema>;

/**
 * Parses the body of a Flux notification. Verify the `X-Signature` on the same bytes first
 * ({@link verifyFluxSignature}). Throws {@link InvalidDeployerEventError} naming the field.
 */
export function parseFluxEvent(raw: string | Uint8Array): FluxEvent {
  return validateFluxEvent(parseJsonBody(raw, 'Flux event'));
}

/** Validates an already-decoded Flux event. */
export function validateFluxEvent(body: unknown): FluxEvent {
  const parsed = fluxEventSchema.safeParse(body, { reportInput: true });
  if (!parsed.success) throw new InvalidDeployerEventError('Flux event', issuesOf(parsed.error));
  return parsed.data;
}
