import { describe, expect, it } from 'vitest';
import { authorOfToken } from './token-author.js';

describe('authorOfToken', () => {
  it('GIVEN a token named "Name <email>" THEN that person', () => {
    expect(authorOfToken('Alice Example <alice@example.com>')).toEqual({
      name: 'Alice Example',
      email: 'alice@example.com',
    });
  });
  it('GIVEN a token named by an email THEN its local part and the email', () => {
    expect(authorOfToken('bob@example.com')).toEqual({ name: 'bob', email: 'bob@example.com' });
  });
  it('GIVEN any other name THEN the name with an address at a reserved domain', () => {
    expect(authorOfToken('Release Bot')).toEqual({ name: 'Release Bot', email: 'release-bot@tokens.gantry.invalid' });
  });
  it('GIVEN the anonymous caller of an open server THEN nobody', () => {
    expect(authorOfToken('anonymous')).toBeUndefined();
  });
});
