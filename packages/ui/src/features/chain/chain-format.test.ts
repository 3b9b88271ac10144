import { describe, expect, it } from 'vitest';
import { linkTitle, stateWord } from './chain-format.js';

describe('chain format', () => {
  it('GIVEN link kinds and states WHEN shown THEN in words', () => {
    expect(linkTitle('config')).toBe('Config commit');
    expect(stateWord('pending')).toBe('waiting');
    expect(stateWord('unknown')).toBe('not known');
  });
});
