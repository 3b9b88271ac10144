import { describe, expect, it } from 'vitest';
import { diffLines, diffStat } from './diff-lines.js';

const DIFF = `--- a/env/staging/deployment.yaml
+++ b/env/staging/deployment.yaml
@@ -20,4 +20,4 @@
     spec:
-      image: app@sha256:a391
+      image: app@sha256:a4a0
       ports:
`;

describe('diffLines', () => {
  it('GIVEN a unified diff THEN file headers, hunks, additions, removals and context with line numbers', () => {
    const lines = diffLines(DIFF);
    expect(lines.map((l) => l.kind)).toEqual(['file', 'file', 'hunk', 'context', 'remove', 'add', 'context']);
    expect(lines[3]).toMatchObject({ oldNo: 20, newNo: 20 });
    expect(lines[4]).toMatchObject({ oldNo: 21 });
    expect(lines[5]).toMatchObject({ newNo: 21 });
    expect(lines[6]).toMatchObject({ oldNo: 22, newNo: 22 });
    expect(diffStat(lines)).toEqual({ added: 1, removed: 1 });
  });

  it('GIVEN an empty diff THEN no lines', () => {
    expect(diffLines('')).toEqual([]);
  });
});
