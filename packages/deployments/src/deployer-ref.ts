import { z } from 'zod';
import type { DeploymentEvent } from './deployment-event.js';

/**
 * How a phase names who applies it. Kubernetes names are exact (case-sensitive), so matching is
 * plain equality.
 */
export type DeployerRef =
  | { readonly kind: 'flux-kustomization'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'flux-helmrelease'; readonly namespace: string; readonly name: string }
  | {
      readonly kind: 'argocd-application';
      /**
       * The namespace the Application object lives in (usually `argocd`). Omitted: any namespace,
       * which is unambiguous unless Applications are allowed in several namespaces.
       */
      readonly namespace?: string;
      readonly name: string;
    };

export type DeployerRefKind = DeployerRef['kind'];

/** The Kubernetes kind each reference kind stands for. */
export const DEPLOYER_OBJECT_KINDS: Readonly<Record<DeployerRefKind, { deployer: 'flux' | 'argocd'; kind: string }>> = {
  'flux-kustomization': { deployer: 'flux', kind: 'Kustomization' },
  'flux-helmrelease': { deployer: 'flux', kind: 'HelmRelease' },
  'argocd-application': { deployer: 'argocd', kind: 'Application' },
};

// A DNS-1123 name, as Kubernetes requires for namespaces and for these objects' names.
const k8sName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes name (lower-case letters, digits, "-", ".")');

/** One schema for the reference, for config files and API bodies. */
export const deployerRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('flux-kustomization'), namespace: k8sName, name: k8sName }),
  z.object({ kind: z.literal('flux-helmrelease'), namespace: k8sName, name: k8sName }),
  z.object({ kind: z.literal('argocd-application'), namespace: k8sName.optional(), name: k8sName }),
]);

/** True when `event` is about the object `ref` names. Pure: no revision or state is looked at. */
export function matchesDeployer(ref: DeployerRef, event: DeploymentEvent): boolean {
  const expected = DEPLOYER_OBJECT_KINDS[ref.kind];
  if (event.deployer !== expected.deployer || event.object.kind !== expected.kind) return false;
  if (event.object.name !== ref.name) return false;
  return ref.namespace === undefined || event.object.namespace === ref.namespace;
}

/**
 * The reference that would match `event`, for telling a user how to map an unmatched event;
 * undefined for Flux kinds a phase cannot name (e.g. a GitRepository).
 */
export function deployerRefOf(event: DeploymentEvent): DeployerRef | undefined {
  const { kind, namespace, name } = event.object;
  if (event.deployer === 'argocd') return { kind: 'argocd-application', namespace, name };
  if (kind === 'Kustomization') return { kind: 'flux-kustomization', namespace, name };
  if (kind === 'HelmRelease') return { kind: 'flux-helmrelease', namespace, name };
  return undefined;
}

/** `flux-kustomization apps/webapp`, for messages and logs. */
export function formatDeployerRef(ref: DeployerRef): string {
  return `${ref.kind} ${ref.namespace === undefined ? '' : `${ref.namespace}/`}${ref.name}`;
}
