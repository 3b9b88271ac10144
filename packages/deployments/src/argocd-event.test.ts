import { describe, expect, it } from 'vitest';
import { parseArgoCdEvent } from './argocd-event.js';
import { normalizeArgoCdEvent } from './argocd-normalize.js';
import type { ArgoCdDeploymentEvent } from './deployment-event.js';
import { InvalidDeployerEventError } from './errors.js';
import { COMMIT, COMMIT2, fixture, fixtureNames } from './fixtures.test-support.js';

const RECEIVED = new Date('2025-06-12T12:00:00Z');
const guestbook = { kind: 'Application', namespace: 'argocd', name: 'guestbook' };
const normalize = (body: string) => normalizeArgoCdEvent(parseArgoCdEvent(body), { receivedAt: RECEIVED });

type Expected = Pick<ArgoCdDeploymentEvent, 'object' | 'state' | 'reason'> & {
  commit?: string;
  occurredAt: string;
  message: string;
};

const EXPECTED: Record<string, Expected> = {
  'argocd-notifications-webhook-template-synced-healthy.json': {
    object: guestbook,
    state: 'healthy',
    reason: 'Succeeded/Synced/Healthy',
    commit: COMMIT,
    // healthy from the health transition, which came after the sync finished
    occurredAt: '2025-06-12T09:41:18Z',
    message: 'successfully synced (all tasks run)',
  },
  'argocd-notifications-webhook-template-sync-succeeded-progressing.json': {
    object: guestbook,
    state: 'applied',
    reason: 'Succeeded/Synced/Progressing',
    commit: COMMIT,
    occurredAt: '2025-06-12T09:41:04Z',
    message: 'successfully synced (all tasks run)',
  },
  'argocd-notifications-webhook-template-sync-failed.json': {
    object: guestbook,
    state: 'failed',
    reason: 'Failed/OutOfSync/Healthy',
    commit: COMMIT2,
    occurredAt: '2025-06-12T10:02:44Z',
    message:
      'one or more objects failed to apply, reason: Deployment.apps "guestbook-ui" is invalid: spec.template.spec.containers[0].image: Invalid value: "gcr.io/heptio-images/ks-guestbook-demo:<none>": invalid reference format',
  },
  'argocd-notifications-webhook-template-health-degraded.json': {
    object: guestbook,
    state: 'degraded',
    reason: 'Succeeded/Synced/Degraded',
    commit: COMMIT2,
    occurredAt: '2025-06-12T10:12:31Z',
    message: 'successfully synced (all tasks run)',
  },
  'argocd-notifications-webhook-template-sync-running.json': {
    object: guestbook,
    state: 'progressing',
    reason: 'Running/OutOfSync/Healthy',
    commit: COMMIT2,
    occurredAt: '2025-06-12T10:02:40Z',
    message: 'one or more tasks are running',
  },
  'argocd-notifications-webhook-template-never-synced.json': {
    object: guestbook,
    state: 'progressing',
    reason: 'OutOfSync/Missing',
    commit: COMMIT,
    // the Application carries no time of its own: the time Gantry received it
    occurredAt: RECEIVED.toISOString(),
    message: 'Argo CD reports sync OutOfSync, health Missing',
  },
  'argocd-notifications-webhook-template-multi-source.json': {
    object: { kind: 'Application', namespace: 'argocd', name: 'podinfo' },
    state: 'healthy',
    reason: 'Succeeded/Synced/Healthy',
    commit: COMMIT,
    occurredAt: '2025-06-12T09:41:18Z',
    message: 'successfully synced (all tasks run)',
  },
};

describe('Argo CD fixtures', () => {
  it('GIVEN the fixtures directory THEN every Argo CD fixture has an expectation here', () => {
    expect(fixtureNames('argocd-').sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('GIVEN %s WHEN parsed and normalized THEN the event is right', (name, want) => {
    const event = normalize(fixture(name));
    expect(event.deployer).toBe('argocd');
    expect(event.object).toEqual(want.object);
    expect(event.state).toBe(want.state);
    expect(event.reason).toBe(want.reason);
    expect(event.revision?.commit).toBe(want.commit);
    expect(event.occurredAt).toEqual(new Date(want.occurredAt));
    expect(event.message).toBe(want.message);
    expect(event.idempotencyKey).toMatch(/^argocd:[0-9a-f]{64}$/);
  });

  it('GIVEN a synced Application THEN destination, health, sync and the Argo CD link are carried over', () => {
    const event = normalize(fixture('argocd-notifications-webhook-template-synced-healthy.json'));
    expect(event).toMatchObject({
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
      operationPhase: 'Succeeded',
      destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
      url: 'https://argocd.example.com/applications/guestbook',
    });
    expect(event.revision).toEqual({ raw: COMMIT, commit: COMMIT });
    expect(event.sourceRevisions).toBeUndefined();
  });

  it('GIVEN a multi-source Application THEN every source has its revision, the first one leading', () => {
    const event = normalize(fixture('argocd-notifications-webhook-template-multi-source.json'));
    expect(event.sourceRevisions).toEqual([
      { raw: COMMIT, commit: COMMIT },
      { raw: '6.5.4', version: '6.5.4' },
    ]);
    expect(event.revision).toEqual({ raw: COMMIT, commit: COMMIT });
  });
});

describe('Argo CD states from sync, health and operation', () => {
  const base = JSON.parse(fixture('argocd-notifications-webhook-template-synced-healthy.json'));
  const stateOf = (status: Record<string, unknown>) => {
    const body = structuredClone(base);
    body.app.status = { ...body.app.status, ...status };
    return normalize(JSON.stringify(body)).state;
  };
  const op = (phase: string) => ({ ...base.app.status.operationState, phase });

  it.each([
    ['an Error operation', 'failed', { operationState: op('Error') }],
    ['a failed sync while Degraded', 'failed', { operationState: op('Failed'), health: { status: 'Degraded' } }],
    ['Degraded during a new sync', 'degraded', { operationState: op('Running'), health: { status: 'Degraded' } }],
    ['a Terminating operation', 'progressing', { operationState: op('Terminating') }],
    ['Synced and Healthy without any operation', 'healthy', { operationState: null }],
    ['Synced and Suspended', 'applied', { health: { status: 'Suspended' } }],
    ['OutOfSync after a succeeded operation, Healthy', 'healthy', { sync: { status: 'OutOfSync', revision: COMMIT } }],
    ['OutOfSync without an operation', 'progressing', { operationState: null, sync: { status: 'OutOfSync' } }],
    ['no health reported', 'applied', { health: null }],
  ])('GIVEN %s THEN %s', (_what, state, status) => {
    expect(stateOf(status)).toBe(state);
  });
});

describe('Argo CD idempotency keys', () => {
  const body = fixture('argocd-notifications-webhook-template-synced-healthy.json');
  const keyOf = (b: string) => normalize(b).idempotencyKey;

  it('GIVEN the same notification twice (a retry, or two triggers on one state) THEN the key is the same', () => {
    expect(keyOf(body)).toBe(keyOf(JSON.stringify(JSON.parse(body))));
  });

  it('GIVEN the same body received at another time THEN the key is the same (it does not depend on the clock)', () => {
    const parsed = parseArgoCdEvent(body);
    expect(normalizeArgoCdEvent(parsed, { receivedAt: new Date(0) }).idempotencyKey).toBe(keyOf(body));
  });

  it('GIVEN a later degradation of the same revision THEN the key differs', () => {
    const a = JSON.parse(fixture('argocd-notifications-webhook-template-health-degraded.json'));
    const b = structuredClone(a);
    b.app.status.health.lastTransitionTime = '2025-06-12T11:00:00Z';
    expect(keyOf(JSON.stringify(a))).not.toBe(keyOf(JSON.stringify(b)));
  });
});

describe('bad Argo CD events', () => {
  const base = JSON.parse(fixture('argocd-notifications-webhook-template-synced-healthy.json'));
  const issuesOf = (body: string): string[] => {
    try {
      parseArgoCdEvent(body);
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidDeployerEventError);
      return (e as InvalidDeployerEventError).issues.map((i) => `[${i.path}] ${i.message}`);
    }
    throw new Error('expected the body to be refused');
  };
  const without = (mutate: (b: typeof base) => void) => {
    const b = structuredClone(base);
    mutate(b);
    return JSON.stringify(b);
  };

  it.each([
    ['no app', (b: typeof base) => delete b.app, '[app] Required'],
    ['no app name', (b: typeof base) => delete b.app.metadata.name, '[app.metadata.name] Required'],
    [
      'a null app name (the template rendered a missing name)',
      (b: typeof base) => (b.app.metadata.name = null),
      '[app.metadata.name]',
    ],
    ['no sync status', (b: typeof base) => delete b.app.status.sync.status, '[app.status.sync.status] Required'],
    [
      'an unknown health status',
      (b: typeof base) => (b.app.status.health.status = 'Fine'),
      '[app.status.health.status]',
    ],
    [
      'an unknown operation phase',
      (b: typeof base) => (b.app.status.operationState.phase = 'Done'),
      '[app.status.operationState.phase]',
    ],
    [
      'a finishedAt that is no time',
      (b: typeof base) => (b.app.status.operationState.finishedAt = 'soon'),
      '[app.status.operationState.finishedAt] must be an RFC 3339 time',
    ],
  ])('GIVEN %s THEN the field is named', (_what, mutate, expected) => {
    expect(issuesOf(without(mutate)).join('\n')).toContain(expected);
  });

  it('GIVEN a body that is not JSON (a template with a typo) THEN [body] names it', () => {
    expect(issuesOf('{"app": {"metadata": {"name": guestbook}}}')[0]).toMatch(/^\[body\] not valid JSON/);
  });

  it('GIVEN fields a user added to the template THEN they are accepted', () => {
    expect(() => parseArgoCdEvent(JSON.stringify({ ...base, team: 'payments' }))).not.toThrow();
  });
});
