/*
 * Argo CD Notifications sends whatever the webhook template renders, so Gantry documents one
 * template (docs/argocd.md) and accepts what it renders. It copies the Application's fields under
 * their own paths (`app.status.sync.revision`, `app.status.health.status`,
 * `app.status.operationState.phase`, ...), so the payload reads like the Application itself.
 *
 * Every value goes through Sprig's `toJson`, which Argo CD templates have: a message with quotes
 * or newlines stays valid JSON, and a field the Application does not have yet (no
 * operationState before the first sync) renders as `null` instead of failing the template,
 * because Go templates yield no value for a missing map key.
 */

/** The `body` of the webhook template, exactly as docs/argocd.md shows it. */
export const ARGOCD_WEBHOOK_BODY_TEMPLATE = `{
  "app": {
    "metadata": {
      "name": {{toJson .app.metadata.name}},
      "namespace": {{toJson .app.metadata.namespace}},
      "uid": {{toJson .app.metadata.uid}}
    },
    "spec": {
      "project": {{toJson .app.spec.project}},
      "destination": {{toJson .app.spec.destination}},
      "source": {
        "repoURL": {{toJson .app.spec.source.repoURL}},
        "path": {{toJson .app.spec.source.path}},
        "targetRevision": {{toJson .app.spec.source.targetRevision}}
      }
    },
    "status": {
      "sync": {
        "status": {{toJson .app.status.sync.status}},
        "revision": {{toJson .app.status.sync.revision}},
        "revisions": {{toJson .app.status.sync.revisions}}
      },
      "health": {{toJson .app.status.health}},
      "operationState": {
        "phase": {{toJson .app.status.operationState.phase}},
        "message": {{toJson .app.status.operationState.message}},
        "startedAt": {{toJson .app.status.operationState.startedAt}},
        "finishedAt": {{toJson .app.status.operationState.finishedAt}},
        "syncResult": {
          "revision": {{toJson .app.status.operationState.syncResult.revision}},
          "revisions": {{toJson .app.status.operationState.syncResult.revisions}}
        }
      }
    }
  },
  "context": {
    "argocdUrl": {{toJson .context.argocdUrl}}
  }
}
`;

/** The names docs/argocd.md gives the webhook service and the template. */
export const ARGOCD_SERVICE_NAME = 'gantry';
export const ARGOCD_TEMPLATE_NAME = 'gantry-deployment';
