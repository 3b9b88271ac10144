import { describe, expect, it } from 'vitest';
import { parseArgoCdEvent } from './argocd-event.js';
import { normalizeArgoCdEvent } from './argocd-normalize.js';
import {
  type DeployerRef,
  deployerRefOf,
  deployerRefSchema,
  formatDeployerRef,
  matchesDeployer,
} from './deployer-ref.js';
import { parseFluxEvent } from './flux-event.js';
import { normalizeFluxEvent } from './flux-normalize.js';
import { fixture } from './fixtures.test-support.js';

const kustomizationEvent = normalizeFluxEvent(
  parseFluxEvent(fixture('flux-v2.6-kustomization-reconciliation-succeeded.json')),
);
const helmEvent = normalizeFluxEvent(parseFluxEvent(fixture('flux-v2.3-helmrelease-upgrade-succeeded.json')));
const argoEvent = normalizeArgoCdEvent(
  parseArgoCdEvent(fixture('argocd-notifications-webhook-template-synced-healthy.json')),
  {
    receivedAt: new Date(0),
  },
);

describe('matchesDeployer', () => {
  it.each<[string, DeployerRef, boolean]>([
    [
      'the Kustomization by namespace and name',
      { kind: 'flux-kustomization', namespace: 'apps', name: 'webapp' },
      true,
    ],
    ['another namespace', { kind: 'flux-kustomization', namespace: 'other', name: 'webapp' }, false],
    ['another name', { kind: 'flux-kustomization', namespace: 'apps', name: 'web' }, false],
    ['a HelmRelease of the same name', { kind: 'flux-helmrelease', namespace: 'apps', name: 'webapp' }, false],
    [
      'an Argo CD Application of the same name',
      { kind: 'argocd-application', namespace: 'apps', name: 'webapp' },
      false,
    ],
  ])('GIVEN a Kustomization event and %s THEN %s', (_what, ref, expected) => {
    expect(matchesDeployer(ref, kustomizationEvent)).toBe(expected);
  });

  it('GIVEN a HelmRelease event THEN only the HelmRelease reference matches', () => {
    expect(matchesDeployer({ kind: 'flux-helmrelease', namespace: 'podinfo', name: 'podinfo' }, helmEvent)).toBe(true);
    expect(matchesDeployer({ kind: 'flux-kustomization', namespace: 'podinfo', name: 'podinfo' }, helmEvent)).toBe(
      false,
    );
  });

  it('GIVEN an Argo CD event THEN the Application matches by name, in its namespace or in any when none is named', () => {
    expect(matchesDeployer({ kind: 'argocd-application', name: 'guestbook' }, argoEvent)).toBe(true);
    expect(matchesDeployer({ kind: 'argocd-application', namespace: 'argocd', name: 'guestbook' }, argoEvent)).toBe(
      true,
    );
    expect(matchesDeployer({ kind: 'argocd-application', namespace: 'team-a', name: 'guestbook' }, argoEvent)).toBe(
      false,
    );
    expect(matchesDeployer({ kind: 'argocd-application', name: 'guestbook-ui' }, argoEvent)).toBe(false);
  });
});

describe('deployerRefOf', () => {
  it('GIVEN events THEN the reference a phase would need to match them', () => {
    expect(deployerRefOf(kustomizationEvent)).toEqual({
      kind: 'flux-kustomization',
      namespace: 'apps',
      name: 'webapp',
    });
    expect(deployerRefOf(helmEvent)).toEqual({ kind: 'flux-helmrelease', namespace: 'podinfo', name: 'podinfo' });
    expect(deployerRefOf(argoEvent)).toEqual({ kind: 'argocd-application', namespace: 'argocd', name: 'guestbook' });
    for (const e of [kustomizationEvent, helmEvent, argoEvent]) {
      const ref = deployerRefOf(e);
      expect(ref && matchesDeployer(ref, e)).toBe(true);
    }
  });

  it('GIVEN a Flux kind a phase cannot name THEN none', () => {
    expect(
      deployerRefOf({ ...kustomizationEvent, object: { kind: 'GitRepository', namespace: 'flux-system', name: 'x' } }),
    ).toBeUndefined();
  });
});

describe('deployerRefSchema', () => {
  it('GIVEN valid references THEN they parse', () => {
    expect(deployerRefSchema.parse({ kind: 'flux-helmrelease', namespace: 'podinfo', name: 'podinfo' })).toEqual({
      kind: 'flux-helmrelease',
      namespace: 'podinfo',
      name: 'podinfo',
    });
    expect(deployerRefSchema.parse({ kind: 'argocd-application', name: 'guestbook' })).toEqual({
      kind: 'argocd-application',
      name: 'guestbook',
    });
  });

  it.each([
    [{ kind: 'flux-kustomization', name: 'webapp' }, 'namespace'],
    [{ kind: 'flux-kustomization', namespace: 'Apps', name: 'webapp' }, 'Kubernetes name'],
    [{ kind: 'jenkins', name: 'x' }, 'kind'],
  ])('GIVEN %j THEN it is refused naming %s', (input, field) => {
    const result = deployerRefSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(field);
  });
});

describe('formatDeployerRef', () => {
  it('names the kind and the object', () => {
    expect(formatDeployerRef({ kind: 'flux-kustomization', namespace: 'apps', name: 'webapp' })).toBe(
      'flux-kustomization apps/webapp',
    );
    expect(formatDeployerRef({ kind: 'argocd-application', name: 'guestbook' })).toBe('argocd-application guestbook');
  });
});
