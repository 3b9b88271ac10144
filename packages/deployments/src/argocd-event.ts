import { z } from 'zod';
import { InvalidDeployerEventError, issuesOf, parseJsonBody } from './errors.js';

/*
 * What Argo CD Notifications sends when the documented Gantry template
 * (ARGOCD_WEBHOOK_BODY_TEMPLATE) renders an Application. Values the Application does not have
 * render as null, so everything but the name and the sync and health status may be null.
 * Unknown keys pass: users may add fields of their own to the template.
 */

const nonEmpty = z.string().min(1, 'must not be empty');
const time = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: 'must be an RFC 3339 time' })
  .nullish();
const revisions = z.array(z.string()).nullish();

export const argoCdEventSchema = z.looseObject({
  app: z.looseObject({
    metadata: z.looseObject({
      name: nonEmpty,
      namespace: z.string().nullish(),
      uid: z.string().nullish(),
    }),
    spec: z
      .looseObject({
        project: z.string().nullish(),
        destination: z
          .looseObject({ server: z.string().nullish(), name: z.string().nullish(), namespace: z.string().nullish() })
          .nullish(),
        source: z
          .looseObject({
            repoURL: z.string().nullish(),
            path: z.string().nullish(),
            targetRevision: z.string().nullish(),
          })
          .nullish(),
      })
      .nullish(),
    status: z.looseObject({
      sync: z.looseObject({
        status: z.enum(['Synced', 'OutOfSync', 'Unknown']),
        revision: z.string().nullish(),
        revisions,
      }),
      health: z
        .looseObject({
          status: z.enum(['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown']),
          message: z.string().nullish(),
          lastTransitionTime: time,
        })
        .nullish(),
      operationState: z
        .looseObject({
          phase: z.enum(['Running', 'Terminating', 'Failed', 'Error', 'Succeeded']).nullish(),
          message: z.string().nullish(),
          startedAt: time,
          finishedAt: time,
          syncResult: z.looseObject({ revision: z.string().nullish(), revisions }).nullish(),
        })
        .nullish(),
    }),
  }),
  context: z.looseObject({ argocdUrl: z.string().nullish() }).nullish(),
});

/** An Argo CD notification as received, after validation. */
export type ArgoCdEvent = z.infer<typeof argoCdEventSchema>;

/**
 * Parses the body of an Argo CD notification rendered from Gantry's template. Check the secret
 * header first ({@link verifyArgoCdToken}). Throws {@link InvalidDeployerEventError} naming the field.
 */
export function parseArgoCdEvent(raw: string | Uint8Array): ArgoCdEvent {
  return validateArgoCdEvent(parseJsonBody(raw, 'Argo CD event'));
}

/** Validates an already-decoded Argo CD notification. */
export function validateArgoCdEvent(body: unknown): ArgoCdEvent {
  const parsed = argoCdEventSchema.safeParse(body, { reportInput: true });
  if (!parsed.success) throw new InvalidDeployerEventError('Argo CD event', issuesOf(parsed.error));
  return parsed.data;
}
