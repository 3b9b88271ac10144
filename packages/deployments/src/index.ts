export type {
  ArgoCdDeploymentEvent,
  DeployedObject,
  Deployer,
  DeploymentEvent,
  DeploymentState,
  FluxDeploymentEvent,
  Revision,
} from './deployment-event.js';
export { DEPLOYMENT_STATES } from './deployment-event.js';
export type { DeployerRef, DeployerRefKind } from './deployer-ref.js';
export {
  DEPLOYER_OBJECT_KINDS,
  deployerRefOf,
  deployerRefSchema,
  formatDeployerRef,
  matchesDeployer,
} from './deployer-ref.js';
export { DeployerAuthenticationError, InvalidDeployerEventError } from './errors.js';
export { describeRevision, parseRevision, withOrigin } from './revision.js';

export type { FluxEvent } from './flux-event.js';
export { fluxEventSchema, parseFluxEvent, validateFluxEvent } from './flux-event.js';
export type { FluxSignatureAlgorithm, SignatureCheck } from './flux-signature.js';
export { FLUX_SIGNATURE_HEADER, signFluxBody, verifyFluxSignature } from './flux-signature.js';
export { fluxRevision, fluxState, normalizeFluxEvent, normalizeFluxMetadata } from './flux-normalize.js';

export type { ArgoCdEvent } from './argocd-event.js';
export { argoCdEventSchema, parseArgoCdEvent, validateArgoCdEvent } from './argocd-event.js';
export type { TokenCheck } from './argocd-auth.js';
export { ARGOCD_TOKEN_HEADER, verifyArgoCdToken, verifyTokenHeader } from './argocd-auth.js';
export type { ArgoCdNormalizeOptions } from './argocd-normalize.js';
export { argoCdState, normalizeArgoCdEvent } from './argocd-normalize.js';
export { ARGOCD_SERVICE_NAME, ARGOCD_TEMPLATE_NAME, ARGOCD_WEBHOOK_BODY_TEMPLATE } from './argocd-template.js';

export type { DeployerRequest, FluxDeployerRef, FluxEventSpec } from './generate-flux.js';
export { fluxEventFor, fluxEventsFor } from './generate-flux.js';
export type { ArgoCdDeployerRef, ArgoCdEventSpec } from './generate-argocd.js';
export { applicationFor, argoEventFor, renderArgoCdTemplate } from './generate-argocd.js';
export { goJson } from './go-json.js';
