import { describe, expect, it } from 'vitest';
import { hostNotes } from './format-diff.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe('hostNotes', () => {
  it('GIVEN a diff moving an image to a mirror WHEN noted THEN one line names the file, the line and both hosts', () => {
    const diff = [
      '--- a/env/production/deployment.yaml',
      '+++ b/env/production/deployment.yaml',
      '@@ -18,3 +18,3 @@',
      '       containers:',
      '         - name: app',
      `-          image: ghcr.io/team/app@${digest('a')}`,
      `+          image: mirror.example.com:5000/team/app@${digest('b')}`,
      '           ports:',
      '',
    ].join('\n');
    expect(hostNotes(diff)).toBe(
      '# note: env/production/deployment.yaml:20 changes the registry host ghcr.io -> mirror.example.com:5000\n',
    );
  });

  it('GIVEN a diff changing only the digest WHEN noted THEN nothing is said', () => {
    const diff = [
      '--- a/env/staging/deployment.yaml',
      '+++ b/env/staging/deployment.yaml',
      '@@ -5,1 +5,1 @@',
      `-  image: ghcr.io/team/app@${digest('a')}`,
      `+  image: ghcr.io/team/app@${digest('b')}`,
      '',
    ].join('\n');
    expect(hostNotes(diff)).toBe('');
  });
});
