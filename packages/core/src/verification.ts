import type { Duration } from './duration.js';

/**
 * Who applies a phase's commits to a cluster: a Flux Kustomization or HelmRelease, or an
 * Argo CD Application. Its reports (pushed to Gantry's webhooks) say whether the commit
 * that holds the phase's version is applied and healthy.
 */
export type PhaseDeployer =
  | { readonly kind: 'flux-kustomization' | 'flux-helmrelease'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'argocd-application'; readonly namespace?: string; readonly name: string };

/**
 * One check run after the deployer reports healthy: an HTTP probe, a Prometheus query, a
 * command. Plain data, validated (with every field's meaning) by `@gantry/checks` when the
 * system is assembled.
 */
export interface PhaseCheck {
  readonly kind: 'http' | 'prometheus' | 'command';
  readonly name?: string;
  readonly [field: string]: unknown;
}

/** What proves a version in a phase: all must pass for it to be *verified* there. */
export interface PhaseVerification {
  /** With a deployer: it must report healthy and stay healthy this long (default: healthy once). */
  readonly healthyFor?: Duration;
  readonly checks?: readonly PhaseCheck[];
}

/** A phase has verification when a deployer reports on it or checks prove it. */
export function hasVerification(phase: { deployer?: PhaseDeployer; verify?: PhaseVerification }): boolean {
  return phase.deployer !== undefined || (phase.verify?.checks?.length ?? 0) > 0;
}

/**
 * A rule before a promotion (approval, soak, change window, commit and branch rules, a
 * signature): plain data, validated and evaluated by `@gantry/gates`.
 */
export interface PhaseGate {
  readonly kind: 'soak' | 'approval' | 'window' | 'commit' | 'branch' | 'signature';
  readonly name?: string;
  readonly [field: string]: unknown;
}
