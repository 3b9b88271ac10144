import { describe, expect, it } from 'vitest';
import { formatImageReference, parseImageReference } from './image-reference.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  it.each([
    ['nginx', { repository: 'nginx' }],
    ['nginx:1.27', { repository: 'nginx', tag: '1.27' }],
    [`ghcr.io/team/app@${D}`, { repository: 'ghcr.io/team/app', digest: D }],
    [`localhost:5000/app:v1@${D}`, { repository: 'localhost:5000/app', tag: 'v1', digest: D }],
    ['localhost:5000/app', { repository: 'localhost:5000/app' }],
  ])('GIVEN %s THEN it splits into its parts and formats back', (text, parts) => {
    expect(parseImageReference(text)).toEqual(parts);
    expect(formatImageReference(parts)).toBe(text);
  });

  it.each(['', 'app@notadigest', 'app:bad tag', ':v1'])('GIVEN %j THEN it is not a reference', (text) => {
    expect(parseImageReference(text)).toBeUndefined();
  });
});
