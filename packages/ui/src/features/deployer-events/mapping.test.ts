import { describe, expect, it } from 'vitest';
import { mappingYaml, objectLabel } from './mapping.js';

describe('deployer mapping hints', () => {
  it('GIVEN the reference a report would match THEN the deployer: line of gantry.yaml', () => {
    expect(mappingYaml({ kind: 'flux-kustomization', namespace: 'flux-system', name: 'billing' })).toBe(
      'deployer: { kind: flux-kustomization, namespace: flux-system, name: billing }',
    );
    expect(mappingYaml({ kind: 'argocd-application', name: 'web' })).toBe(
      'deployer: { kind: argocd-application, name: web }',
    );
  });

  it('GIVEN an object with or without a namespace THEN kind namespace/name', () => {
    expect(objectLabel({ object: { kind: 'HelmRelease', namespace: 'apps', name: 'web' } })).toBe(
      'HelmRelease apps/web',
    );
    expect(objectLabel({ object: { kind: 'Application', name: 'web' } })).toBe('Application web');
  });
});
