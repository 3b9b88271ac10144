import { describe, expect, it } from 'vitest';
import type { DeploymentState, FluxDeploymentEvent, Revision } from './deployment-event.js';
import { InvalidDeployerEventError } from './errors.js';
import { parseFluxEvent } from './flux-event.js';
import { normalizeFluxEvent } from './flux-normalize.js';
import { COMMIT, COMMIT2, fixture, fixtureNames } from './fixtures.test-support.js';

const DIGEST = 'sha256:6ca1d018a562caa81bfee3c56c41d255b085bbdb30da79e09849559680df8675';
const webapp = { kind: 'Kustomization', namespace: 'apps', name: 'webapp' };
const podinfo = { kind: 'HelmRelease', namespace: 'podinfo', name: 'podinfo' };

interface Expected {
  object: { kind: string; namespace: string; name: string };
  state: DeploymentState;
  reason: string;
  revision: Omit<Revision, 'raw'> & { raw: string };
  occurredAt: string;
  message?: string;
}

const EXPECTED: Record<string, Expected> = {
  'flux-docs-generic-provider-kustomization.json': {
    object: webapp,
    state: 'failed',
    reason: 'ValidationFailed',
    revision: {
      raw: 'main/731f7eaddfb6af01cb2173e18f0f75b0ba780ef1',
      branch: 'main',
      commit: '731f7eaddfb6af01cb2173e18f0f75b0ba780ef1',
    },
    occurredAt: '2022-10-28T07:26:19Z',
    message: 'service/apps/webapp validation error: spec.type: Unsupported value: Ingress',
  },
  'flux-docs-event-api-kustomization.json': {
    object: webapp,
    state: 'failed',
    reason: 'ValidationFailed',
    revision: {
      raw: 'main/731f7eaddfb6af01cb2173e18f0f75b0ba780ef1',
      branch: 'main',
      commit: '731f7eaddfb6af01cb2173e18f0f75b0ba780ef1',
    },
    occurredAt: '2022-10-28T07:26:19Z',
  },
  'flux-v2.6-kustomization-progressing-change-set.json': {
    object: webapp,
    state: 'applied',
    reason: 'Progressing',
    revision: { raw: `main@sha1:${COMMIT}`, branch: 'main', commit: COMMIT },
    occurredAt: '2025-06-12T09:41:05Z',
    message: 'Deployment/apps/webapp configured\nService/apps/webapp unchanged',
  },
  'flux-v2.6-kustomization-health-check-passed.json': {
    object: webapp,
    state: 'healthy',
    reason: 'Progressing',
    revision: { raw: `main@sha1:${COMMIT}`, branch: 'main', commit: COMMIT },
    occurredAt: '2025-06-12T09:41:06Z',
  },
  'flux-v2.6-kustomization-reconciliation-succeeded.json': {
    object: webapp,
    state: 'healthy',
    reason: 'ReconciliationSucceeded',
    revision: { raw: `main@sha1:${COMMIT}`, branch: 'main', commit: COMMIT },
    occurredAt: '2025-06-12T09:41:07Z',
    message: 'Reconciliation finished in 2.183s, next run in 10m0s',
  },
  'flux-v2.6-kustomization-health-check-failed.json': {
    object: webapp,
    state: 'degraded',
    reason: 'HealthCheckFailed',
    revision: { raw: `main@sha1:${COMMIT2}`, branch: 'main', commit: COMMIT2 },
    occurredAt: '2025-06-12T09:46:09Z',
    message: "health check failed after 5m0.036s: timeout waiting for: [Deployment/apps/webapp status: 'InProgress']",
  },
  'flux-v2.6-kustomization-reconciliation-failed.json': {
    object: webapp,
    state: 'failed',
    reason: 'ReconciliationFailed',
    revision: { raw: `main@sha1:${COMMIT2}`, branch: 'main', commit: COMMIT2 },
    occurredAt: '2025-06-12T10:02:44Z',
  },
  'flux-v2.6-kustomization-oci-revision-origin.json': {
    object: webapp,
    state: 'healthy',
    reason: 'ReconciliationSucceeded',
    revision: {
      raw: `v1.2.3@${DIGEST}`,
      version: 'v1.2.3',
      digest: DIGEST,
      branch: 'main',
      commit: COMMIT,
      originRevision: `main@sha1:${COMMIT}`,
    },
    occurredAt: '2025-07-01T14:20:31Z',
  },
  'flux-v2.3-kustomization-ref-name-revision.json': {
    object: webapp,
    state: 'healthy',
    reason: 'ReconciliationSucceeded',
    revision: { raw: `refs/heads/main@sha1:${COMMIT}`, branch: 'main', commit: COMMIT },
    occurredAt: '2024-05-21T16:03:12Z',
  },
  'flux-v0.38-kustomization-reconciliation-succeeded-legacy-revision.json': {
    object: webapp,
    state: 'healthy',
    reason: 'ReconciliationSucceeded',
    revision: { raw: `main/${COMMIT}`, branch: 'main', commit: COMMIT },
    occurredAt: '2023-01-17T11:05:42Z',
  },
  'flux-v2.3-helmrelease-upgrade-succeeded.json': {
    object: podinfo,
    state: 'healthy',
    reason: 'UpgradeSucceeded',
    revision: { raw: '6.5.4', version: '6.5.4' },
    occurredAt: '2024-06-03T08:12:55Z',
    message: 'Helm upgrade succeeded for release podinfo/podinfo.v3 with chart podinfo@6.5.4',
  },
  'flux-v2.6-helmrelease-upgrade-failed.json': {
    object: podinfo,
    state: 'failed',
    reason: 'UpgradeFailed',
    revision: { raw: '6.6.0', version: '6.6.0', digest: DIGEST },
    occurredAt: '2025-06-12T10:15:00Z',
  },
  'flux-v2.6-helmrelease-git-chart-test-succeeded.json': {
    object: podinfo,
    state: 'healthy',
    reason: 'TestSucceeded',
    revision: { raw: `0.1.0+${COMMIT.slice(0, 12)}`, version: '0.1.0', commit: COMMIT.slice(0, 12) },
    occurredAt: '2025-06-12T10:20:17Z',
  },
  'flux-v2.1-helmrelease-upgrade-succeeded-legacy-reason.json': {
    object: podinfo,
    state: 'healthy',
    reason: 'info',
    revision: { raw: '6.4.1', version: '6.4.1' },
    occurredAt: '2023-09-14T13:30:02Z',
    message: 'Helm upgrade succeeded',
  },
};

describe('Flux fixtures', () => {
  it('GIVEN the fixtures directory THEN every Flux fixture has an expectation here', () => {
    expect(fixtureNames('flux-').sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('GIVEN %s WHEN parsed and normalized THEN the event is right', (name, want) => {
    const event = normalizeFluxEvent(parseFluxEvent(fixture(name)));
    expect(event.deployer).toBe('flux');
    expect(event.object).toEqual(want.object);
    expect(event.state).toBe(want.state);
    expect(event.reason).toBe(want.reason);
    expect(event.revision).toEqual(want.revision);
    expect(event.occurredAt).toEqual(new Date(want.occurredAt));
    if (want.message !== undefined) expect(event.message).toBe(want.message);
    expect(event.idempotencyKey).toMatch(/^flux:[0-9a-f]{64}$/);
  });

  it('GIVEN metadata with the group prefix THEN the keys are normalized and the token is kept but unused', () => {
    const event = normalizeFluxEvent(parseFluxEvent(fixture('flux-v2.3-helmrelease-upgrade-succeeded.json')));
    expect(event.metadata).toEqual({
      revision: '6.5.4',
      'app-version': '6.5.4',
      token: 'sha256:2c4ac2b5b6b9b3a1d8c0f7e6a5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6',
    });
    expect(event).toMatchObject({ severity: 'info', controller: 'helm-controller' });
  });
});

describe('Flux idempotency keys', () => {
  const body = fixture('flux-v2.6-kustomization-progressing-change-set.json');
  const parsed = () => JSON.parse(body) as Record<string, unknown>;
  const keyOf = (b: unknown) => normalizeFluxEvent(parseFluxEvent(JSON.stringify(b))).idempotencyKey;

  it('GIVEN the same event delivered twice THEN the key is the same', () => {
    expect(keyOf(parsed())).toBe(keyOf(JSON.parse(body)));
    expect(normalizeFluxEvent(parseFluxEvent(body)).idempotencyKey).toBe(keyOf(parsed()));
  });

  it('GIVEN two events of one second and one reason that differ only in message THEN the keys differ', () => {
    // kustomize-controller sends the change set and "Health check passed" as Progressing, possibly in one second
    expect(keyOf({ ...parsed(), message: 'Health check passed in 120ms' })).not.toBe(keyOf(parsed()));
  });

  it.each([
    ['timestamp', { timestamp: '2025-06-12T09:41:06Z' }],
    ['reason', { reason: 'ReconciliationSucceeded' }],
    ['revision', { metadata: { revision: `main@sha1:${COMMIT2}` } }],
    ['object', { involvedObject: { kind: 'Kustomization', namespace: 'apps', name: 'other' } }],
  ])('GIVEN another %s THEN the key differs', (_what, change) => {
    expect(keyOf({ ...parsed(), ...change })).not.toBe(keyOf(parsed()));
  });
});

describe('Flux states without a fixture', () => {
  const base = JSON.parse(fixture('flux-v2.6-kustomization-progressing-change-set.json')) as Record<string, unknown>;
  const stateOf = (change: Record<string, unknown>): FluxDeploymentEvent['state'] =>
    normalizeFluxEvent(parseFluxEvent(JSON.stringify({ ...base, ...change }))).state;

  it.each([
    [
      { reason: 'DependencyNotReady', message: 'Dependencies do not meet ready condition, retrying in 30s' },
      'progressing',
    ],
    [{ reason: 'HealthCheckCanceled', message: 'Health checks canceled due to new reconciliation' }, 'progressing'],
    [{ reason: 'Progressing', message: 'Deployment/apps/old deleted' }, 'applied'],
    [{ reason: 'BuildFailed', severity: 'error', message: 'kustomize build failed' }, 'failed'],
    [{ reason: 'SomethingNew', severity: 'error', message: 'x' }, 'failed'],
    [{ reason: 'SomethingNew', severity: 'info', message: 'x' }, 'progressing'],
    [{ reason: 'info', message: 'Helm install has started' }, 'progressing'],
    [
      { reason: 'error', severity: 'error', message: 'Helm upgrade failed: timed out waiting for the condition' },
      'failed',
    ],
    [
      { reason: 'RollbackSucceeded', message: 'Helm rollback to previous release podinfo/podinfo.v2 succeeded' },
      'applied',
    ],
  ])('GIVEN %j THEN %s', (change, state) => {
    expect(stateOf(change)).toBe(state);
  });

  it('GIVEN a HelmRelease Progressing event THEN it is progressing, not applied (only Kustomizations report change sets)', () => {
    expect(
      stateOf({
        involvedObject: { kind: 'HelmRelease', namespace: 'podinfo', name: 'podinfo' },
        message: 'Deployment/podinfo/podinfo configured',
      }),
    ).toBe('progressing');
  });

  it('GIVEN no revision in the metadata THEN the event has none and still normalizes', () => {
    const event = normalizeFluxEvent(
      parseFluxEvent(JSON.stringify({ ...base, reason: 'AccessDenied', severity: 'error', metadata: undefined })),
    );
    expect(event.revision).toBeUndefined();
    expect(event.state).toBe('failed');
  });
});

describe('bad Flux events', () => {
  const base = JSON.parse(fixture('flux-v2.6-kustomization-reconciliation-succeeded.json')) as Record<string, unknown>;
  const issuesOf = (body: string): string[] => {
    try {
      parseFluxEvent(body);
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidDeployerEventError);
      const err = e as InvalidDeployerEventError;
      expect(err.code).toBe('invalid_deployer_event');
      return err.issues.map((i) => `[${i.path}] ${i.message}`);
    }
    throw new Error('expected the body to be refused');
  };

  it('GIVEN no involvedObject.name THEN the error says [involvedObject.name] Required', () => {
    const { name: _dropped, ...object } = base.involvedObject as Record<string, unknown>;
    const issues = issuesOf(JSON.stringify({ ...base, involvedObject: object }));
    expect(issues).toEqual(['[involvedObject.name] Required']);
    expect(() => parseFluxEvent(JSON.stringify({ ...base, involvedObject: object }))).toThrow(
      'Flux event is invalid: [involvedObject.name] Required',
    );
  });

  it.each([
    ['no involvedObject', { involvedObject: undefined }, '[involvedObject] Required'],
    ['no reason', { reason: undefined }, '[reason] Required'],
    ['an empty reason', { reason: '' }, '[reason] must not be empty'],
    ['a severity Flux never sends', { severity: 'warning' }, '[severity]'],
    ['a timestamp that is not RFC 3339', { timestamp: 'yesterday' }, '[timestamp] must be an RFC 3339 time'],
    ['a number for a message', { message: 42 }, '[message]'],
    ['metadata values that are not strings', { metadata: { revision: 1 } }, '[metadata.revision]'],
  ])('GIVEN %s THEN the field is named', (_what, change, expected) => {
    const issues = issuesOf(JSON.stringify({ ...base, ...change }));
    expect(issues.join('\n')).toContain(expected);
  });

  it.each([
    ['not JSON', '{"involvedObject":'],
    ['empty', ''],
    ['binary garbage', '\u0000\u00ff\u0001'],
  ])('GIVEN a body that is %s THEN [body] names it', (_what, body) => {
    expect(issuesOf(body)[0]).toMatch(/^\[body\] not valid JSON/);
  });

  it.each([
    ['an array', '[]'],
    ['a string', '"hello"'],
    ['null', 'null'],
  ])('GIVEN JSON that is %s THEN [body] says it is the wrong type', (_what, body) => {
    expect(issuesOf(body)[0]).toMatch(/^\[body\] /);
  });

  it('GIVEN unknown extra keys THEN they are accepted (newer Flux releases add fields)', () => {
    expect(() =>
      parseFluxEvent(
        JSON.stringify({
          ...base,
          involvedObject: { ...(base.involvedObject as object), fieldPath: 'x' },
          extra: { a: 1 },
        }),
      ),
    ).not.toThrow();
  });
});
