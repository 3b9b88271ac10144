import { describe, expect, it } from 'vitest';
import { resolveLocation } from './connection.js';

describe('resolveLocation', () => {
  it('GIVEN a postgres URL WHEN resolved THEN PostgreSQL is chosen and the display form is masked', () => {
    expect(resolveLocation({ databaseUrl: 'postgresql://app:pw@db:5432/gantry', sqlitePath: '/ignored' })).toEqual({
      dialect: 'postgres',
      url: 'postgresql://app:pw@db:5432/gantry',
      display: 'postgresql://app:***@db:5432/gantry',
    });
  });

  it('GIVEN a sqlite or file URL or a bare path WHEN resolved THEN SQLite is chosen with that path', () => {
    expect(resolveLocation({ databaseUrl: 'sqlite:///var/lib/gantry/gantry.db' })).toMatchObject({
      dialect: 'sqlite',
      path: '/var/lib/gantry/gantry.db',
    });
    expect(resolveLocation({ databaseUrl: 'file:./data/g.db' })).toMatchObject({
      dialect: 'sqlite',
      path: './data/g.db',
    });
    expect(resolveLocation({ sqlitePath: '/data/gantry.db' })).toMatchObject({
      dialect: 'sqlite',
      path: '/data/gantry.db',
    });
  });

  it('GIVEN nothing WHEN resolved THEN it asks for a database', () => {
    expect(() => resolveLocation({})).toThrow(expect.objectContaining({ code: 'store_not_configured' }));
  });
});
