/**
 * Gantry's own account of what a deployer (Flux CD or Argo CD) reported: one shape for both,
 * so the promotion lifecycle never reads a Flux or Argo CD payload itself.
 */

/** Who applies the manifests Gantry commits. */
export type Deployer = 'flux' | 'argocd';

/**
 * Where a version stands in one place, as its deployer reports it.
 *
 * - `progressing`: the deployer is working on it (sync running, dependencies not ready, upgrade started).
 * - `applied`: the manifests are in the cluster, health not known yet (Kustomization change set,
 *   Argo CD sync succeeded while health is still Progressing).
 * - `healthy`: applied and the deployer says it is ready (Flux Ready / Helm release succeeded,
 *   Argo CD Synced + Healthy).
 * - `failed`: the version could not be applied (build, apply, Helm action, or sync failed).
 * - `degraded`: applied, but the workloads are not healthy (Flux `HealthCheckFailed`,
 *   Argo CD health `Degraded`).
 */
export type DeploymentState = 'progressing' | 'applied' | 'healthy' | 'failed' | 'degraded';

export const DEPLOYMENT_STATES: readonly DeploymentState[] = [
  'progressing',
  'applied',
  'healthy',
  'failed',
  'degraded',
];

/**
 * A revision as the deployer reported it, split into what Gantry can match on.
 * Every field but `raw` is optional: a deployer reports only what its source knows.
 */
export interface Revision {
  /** Exactly as reported, e.g. `main@sha1:5394cb7f…`, `main/5394cb7f…`, `v1.2.3@sha256:…`, `6.5.4`. */
  readonly raw: string;
  /** Git branch (`main` from `main@sha1:…`, `refs/heads/main@sha1:…` or the legacy `main/<sha>`). */
  readonly branch?: string;
  /**
   * Git commit, lower-case hex. Usually the full 40 characters; a 12-character abbreviation when the
   * deployer only has one (a Helm chart built from Git with `reconcileStrategy: Revision`, `0.1.0+<12 hex>`).
   */
  readonly commit?: string;
  /** Content digest with its algorithm, e.g. `sha256:…` (OCI artifact, Bucket, Helm chart in OCI). */
  readonly digest?: string;
  /** A version name: a Helm chart version, an OCI tag, or a Git tag. */
  readonly version?: string;
  /** The Git revision an OCI artifact was built from (Flux `originRevision`), when reported. */
  readonly originRevision?: string;
}

/** The object the deployer reconciles. */
export interface DeployedObject {
  /** `Kustomization`, `HelmRelease` (Flux) or `Application` (Argo CD); other Flux kinds pass through as named. */
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

interface DeploymentEventBase {
  readonly object: DeployedObject;
  /** What the event is about; absent when the deployer reported none (e.g. a failure before a source was read). */
  readonly revision?: Revision;
  readonly state: DeploymentState;
  /** The deployer's own words, for people. */
  readonly message: string;
  /** A short machine-readable reason: Flux's `reason`, or for Argo CD the phase/sync/health it was derived from. */
  readonly reason: string;
  readonly occurredAt: Date;
  /**
   * Stable for one report, so a redelivery (Flux and Argo CD both retry) is recognised: the same
   * payload always yields the same key, two different reports practically never do.
   */
  readonly idempotencyKey: string;
}

export interface FluxDeploymentEvent extends DeploymentEventBase {
  readonly deployer: 'flux';
  readonly severity: 'info' | 'error';
  /** `reportingController`, e.g. `kustomize-controller`. */
  readonly controller?: string;
  /** The event's metadata with group prefixes removed (`kustomize.toolkit.fluxcd.io/revision` -> `revision`). */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ArgoCdDeploymentEvent extends DeploymentEventBase {
  readonly deployer: 'argocd';
  readonly sync: { readonly status: string };
  readonly health: { readonly status: string; readonly message?: string };
  /** The phase of the last sync operation (`Running`, `Succeeded`, `Failed`, `Error`, `Terminating`). */
  readonly operationPhase?: string;
  /** For an Application with several sources: one revision per source, in `spec.sources` order. */
  readonly sourceRevisions?: readonly Revision[];
  readonly destination?: { readonly server?: string; readonly name?: string; readonly namespace?: string };
  /** Link to the Application in the Argo CD UI, when `context.argocdUrl` is configured. */
  readonly url?: string;
}

/** What a deployer reported, normalized. Discriminated by `deployer`. */
export type DeploymentEvent = FluxDeploymentEvent | ArgoCdDeploymentEvent;
