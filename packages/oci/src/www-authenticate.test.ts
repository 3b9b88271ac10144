import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from './www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  it('GIVEN a Distribution bearer challenge WHEN parsed THEN realm, service and scope are read', () => {
    expect(
      parseWwwAuthenticate(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:samalba/my-app:pull,push',
        },
      },
    ]);
  });

  it('GIVEN a basic challenge with spaces and an unquoted value WHEN parsed THEN the scheme is lower-cased', () => {
    expect(parseWwwAuthenticate('Basic  realm = registry , charset=UTF-8')).toEqual([
      { scheme: 'basic', params: { realm: 'registry', charset: 'UTF-8' } },
    ]);
  });

  it('GIVEN two challenges in one header WHEN parsed THEN both are returned in order', () => {
    const c = parseWwwAuthenticate('Basic realm="a", Bearer realm="https://x/token",service="s"');
    expect(c.map((x) => x.scheme)).toEqual(['basic', 'bearer']);
    expect(c[1]?.params).toEqual({ realm: 'https://x/token', service: 's' });
  });

  it('GIVEN escaped quotes and commas inside a quoted value WHEN parsed THEN they stay in the value', () => {
    expect(parseWwwAuthenticate('Bearer realm="a\\"b,c",scope="x:y:pull,push"')[0]?.params).toEqual({
      realm: 'a"b,c',
      scope: 'x:y:pull,push',
    });
  });

  it('GIVEN an empty or garbage header WHEN parsed THEN no challenge is invented', () => {
    expect(parseWwwAuthenticate('')).toEqual([]);
    expect(parseWwwAuthenticate('=== "')).toEqual([]);
  });
});
