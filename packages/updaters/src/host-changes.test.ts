import { unifiedDiff } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { hostChanges, hostChangesInDiff } from './host-changes.js';

const before = 'a: 1\nimage: ghcr.io/team/app:1.0.0\nb: 2\nother: quay.io/x/y:1\n';

describe('registry hosts a promotion would change', () => {
  it('GIVEN an edit moving an image to a mirror THEN the file, line and both hosts are told, from the edits and from the diff text', () => {
    const after = before.replace('ghcr.io/team/app:1.0.0', 'mirror.local:5000/team/app:1.1.0');
    const edits = [{ path: 'env/prod.yaml', before, after }];
    const expected = [{ path: 'env/prod.yaml', line: 2, from: 'ghcr.io', to: 'mirror.local:5000' }];
    expect(hostChanges(edits)).toEqual(expected);
    expect(hostChangesInDiff(unifiedDiff(edits))).toEqual(expected);
  });

  it('GIVEN a version change that keeps the host THEN nothing is told', () => {
    const after = before.replace('app:1.0.0', 'app:1.1.0');
    const edits = [{ path: 'env/prod.yaml', before, after }];
    expect(hostChanges(edits)).toEqual([]);
    expect(hostChangesInDiff(unifiedDiff(edits))).toEqual([]);
  });
});
