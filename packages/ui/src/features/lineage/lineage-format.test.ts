import type { ApiLineageCell } from '@gantry/api';
import { describe, expect, it } from 'vitest';
import { cellOrigin, cellText } from './lineage-format.js';

const t = (iso: string) => iso.slice(0, 10);
const cell = (o: Partial<ApiLineageCell>): ApiLineageCell => ({
  phase: 'staging',
  current: false,
  verified: false,
  stays: [],
  ...o,
});

describe('lineage cells', () => {
  it('GIVEN a version never in the phase WHEN shown THEN a dash', () => {
    expect(cellText(cell({}), t)).toBe('—');
  });

  it('GIVEN a version there now, and one that came twice and left WHEN shown THEN since, or from → to', () => {
    expect(cellText(cell({ current: true, enteredAt: '2025-01-02T00:00:00Z', stays: [{ via: 'gantry' }] }), t)).toBe(
      'since 2025-01-02',
    );
    expect(
      cellText(
        cell({
          enteredAt: '2025-01-01T00:00:00Z',
          leftAt: '2025-01-05T00:00:00Z',
          stays: [{ via: 'gantry' }, { via: 'git' }],
        }),
        t,
      ),
    ).toBe('2025-01-01 → 2025-01-05 (2 times)');
    expect(cellOrigin(cell({ stays: [{ via: 'gantry' }, { via: 'git' }] }))).toBe('Gantry and Git');
    expect(cellOrigin(cell({ stays: [{ via: 'git' }] }))).toBe('Git history');
    expect(cellOrigin(cell({ stays: [{ via: 'gantry' }] }))).toBeUndefined();
  });
});
