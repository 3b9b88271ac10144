import { describe, expect, it } from 'vitest';
import { hold, promotion } from '../../shared/fixtures.js';
import { activityItems, filterActivity, parseActivityKind } from './activity.js';

const settled = promotion({
  id: '00000000-0000-4000-8000-000000000001',
  pipeline: 'web',
  phase: 'staging',
  createdAt: '2030-01-01T10:00:00.000Z',
  deployment: { state: 'healthy', at: '2030-01-01T10:02:00.000Z' },
  verification: { state: 'verified', at: '2030-01-01T10:03:00.000Z', run: 1 },
});
const fresh = promotion({
  id: '00000000-0000-4000-8000-000000000002',
  pipeline: 'api',
  phase: 'production',
  state: 'running',
  createdAt: '2030-01-01T10:05:00.000Z',
  deployment: { state: 'pending', at: '2030-01-01T10:05:00.000Z' },
});

describe('activity feed', () => {
  it('GIVEN promotions with deployments and verifications, and a pin THEN one item each, newest first; pending reports are not news', () => {
    const pin = hold({ id: 'h1', pipeline: 'api', phase: 'production', at: '2030-01-01T10:04:00.000Z' });
    const items = activityItems([fresh, settled], [pin]);
    expect(items.map((i) => `${i.kind} ${i.at.slice(11, 16)}`)).toEqual([
      'promotions 10:05',
      'holds 10:04',
      'verifications 10:03',
      'deployments 10:02',
      'promotions 10:00',
    ]);
  });

  it('GIVEN a hold released while the page was open THEN it was set and released, once each, though also listed in force', () => {
    const h = hold({ id: 'h2', at: '2030-01-01T09:00:00.000Z' });
    const released = { ...h, releasedAt: '2030-01-01T11:00:00.000Z', releasedBy: 'bob' };
    const items = activityItems(
      [],
      [h],
      [
        { hold: h, change: 'set' },
        { hold: released, change: 'released' },
      ],
    );
    expect(items.map((i) => (i.kind === 'holds' ? `${i.change} ${i.at.slice(11, 16)}` : i.kind))).toEqual([
      'released 11:00',
      'set 09:00',
    ]);
  });

  it('GIVEN a kind and words THEN only those items', () => {
    const items = activityItems([fresh, settled], [hold({ pipeline: 'api', phase: 'production' })]);
    expect(filterActivity(items, 'api', '').map((i) => i.kind)).toEqual(['promotions', 'holds']);
    expect(filterActivity(items, '', 'verifications')).toHaveLength(1);
    expect(filterActivity(items, 'web staging', 'deployments')).toHaveLength(1);
    expect(parseActivityKind('holds')).toBe('holds');
    expect(parseActivityKind('nonsense')).toBe('');
  });

  it('GIVEN an artifact created and then its steps updated live THEN one line, as it stands now, still news as reported; the kind filter and its pipelines find it', () => {
    const a = {
      id: 'a1',
      kind: 'image' as const,
      image: 'registry.example.com/app',
      source: { branch: 'main' },
      sourceFrom: 'report' as const,
      ci: {},
      pipelines: ['web', 'api'],
      verified: true,
      reportedAt: '2030-01-01T10:06:00.000Z',
      reportedBy: 'ci',
      updatedAt: '2030-01-01T10:06:00.000Z',
      steps: [],
    };
    const later = {
      ...a,
      updatedAt: '2030-01-01T10:07:00.000Z',
      steps: [{ name: 'test', status: 'succeeded' as const, updatedAt: '2030-01-01T10:07:00.000Z' }],
    };
    const items = activityItems(
      [fresh],
      [],
      [],
      [
        { artifact: a, outcome: 'created' },
        { artifact: later, outcome: 'updated' },
      ],
    );
    expect(items.map((i) => `${i.kind} ${i.at.slice(11, 16)}`)).toEqual(['artifacts 10:07', 'promotions 10:05']);
    const [first] = items;
    expect(first?.kind === 'artifacts' && [first.outcome, first.artifact.steps.length]).toEqual(['created', 1]);
    expect(filterActivity(items, '', 'artifacts').map((i) => i.key)).toEqual(['a:a1']);
    expect(filterActivity(items, 'api', '').map((i) => i.key)).toEqual(['a:a1', `p:${fresh.id}`]);
    expect(parseActivityKind('artifacts')).toBe('artifacts');
  });
});
