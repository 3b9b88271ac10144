import { describe, expect, it } from 'vitest';
import { formatPath, parsePath } from './path.js';

describe('parsePath / formatPath', () => {
  it.each([
    'a.b[0].c',
    'spec.template.spec.containers[name=app].image',
    'metadata.labels["app.kubernetes.io/version"]',
    'dependencies[name=redis].version',
    '["a.b"].x',
    'weird key.x',
  ])('GIVEN %s WHEN parsed and formatted THEN it comes back the same', (path) => {
    expect(formatPath(parsePath(path))).toBe(path);
  });

  it('GIVEN a path WHEN parsed THEN keys, indexes and matches are told apart', () => {
    expect(parsePath('a[2][name=x].b')).toEqual([
      { kind: 'key', key: 'a' },
      { kind: 'index', index: 2 },
      { kind: 'match', field: 'name', value: 'x' },
      { kind: 'key', key: 'b' },
    ]);
  });

  it.each(['', 'a..b', '.a', 'a.', 'a[', 'a[=x]', 'a[x'])(
    'GIVEN the invalid path "%s" WHEN parsed THEN it throws',
    (p) => {
      expect(() => parsePath(p)).toThrow(/invalid path/);
    },
  );
});
