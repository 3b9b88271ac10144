import { describe, expect, it } from 'vitest';
import { activityHref, deployerEventsHref, overviewHref, parseRoute, pipelineHref } from './routes.js';

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

  it('GIVEN an overview filter and sort, or an activity query THEN the address keeps them, so a view can be shared', () => {
    const parse = (href: string) => {
      const q = href.indexOf('?');
      return q < 0 ? parseRoute(href, '') : parseRoute(href.slice(0, q), href.slice(q));
    };
    expect(parse(overviewHref('production:behind team=web', 'state'))).toEqual({
      kind: 'overview',
      filter: 'production:behind team=web',
      sort: 'state',
    });
    expect(overviewHref('', 'name')).toBe('/');
    expect(parse(activityHref({ q: 'app', what: 'holds' }))).toEqual({ kind: 'activity', q: 'app', what: 'holds' });
    expect(parse(activityHref())).toEqual({ kind: 'activity', q: '', what: '' });
  });

  it('GIVEN an unknown path THEN not-found', () => {
    expect(parseRoute('/nope/x', '')).toEqual({ kind: 'not-found', path: '/nope/x' });
  });
});
