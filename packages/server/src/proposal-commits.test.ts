import { describe, expect, it } from 'vitest';
import { compareUrl } from './proposal-commits.js';

describe('the compare page of two source commits', () => {
  it('GIVEN a GitHub repository in https or scp form WHEN compared THEN {repo}/compare/{from}...{to}', () => {
    expect(compareUrl('https://github.com/acme/app.git', 'a1', 'b2')).toBe(
      'https://github.com/acme/app/compare/a1...b2',
    );
    expect(compareUrl('git@github.com:acme/app.git', 'a1', 'b2')).toBe('https://github.com/acme/app/compare/a1...b2');
  });
  it('GIVEN a GitLab project in a subgroup WHEN compared THEN /-/compare/ under its path', () => {
    expect(compareUrl('https://gitlab.example.com/acme/platform/app', 'a1', 'b2')).toBe(
      'https://gitlab.example.com/acme/platform/app/-/compare/a1...b2',
    );
  });
  it('GIVEN a host whose pages are unknown, or a bare owner/name WHEN compared THEN no link', () => {
    expect(compareUrl('https://git.example.com/acme/app', 'a1', 'b2')).toBeUndefined();
    expect(compareUrl('acme/app', 'a1', 'b2')).toBeUndefined();
  });
});
