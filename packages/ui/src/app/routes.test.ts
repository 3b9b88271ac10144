import { describe, expect, it } from 'vitest';
import { deployerEventsHref, overviewHref, parseRoute, pipelineHref } from './routes.js';

describe('routes', () => {
  it('GIVEN each href THEN it parses back to its route', () => {
    expect(parseRoute('/', '?q=team%3Dweb')).toEqual({ kind: 'overview', filter: 'team=web' });
    expect(parseRoute(pipelineHref('my app'), '')).toEqual({ kind: 'pipeline', pipeline: 'my app' });
    expect(parseRoute(pipelineHref('app', 'prod/eu'), '')).toEqual({
      kind: 'pipeline',
      pipeline: 'app',
      phase: 'prod/eu',
    });
    expect(overviewHref('a b')).toBe('/?q=a%20b');
    expect(parseRoute(deployerEventsHref(), '')).toEqual({ kind: 'deployer-events', all: false });
    const all = deployerEventsHref(true);
    expect(parseRoute(all.slice(0, all.indexOf('?')), all.slice(all.indexOf('?')))).toEqual({
      kind: 'deployer-events',
      all: true,
    });
  });

  it('GIVEN an unknown path THEN not-found', () => {
    expect(parseRoute('/nope/x', '')).toEqual({ kind: 'not-found', path: '/nope/x' });
  });
});
