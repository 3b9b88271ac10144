import { describe, expect, it } from 'vitest';
import { headingSelector, pageTitle } from './page-title.js';

describe('page titles', () => {
  it('GIVEN each place THEN its own title, most specific first', () => {
    expect(pageTitle({ kind: 'pipeline', pipeline: 'app', phase: 'production' })).toBe('app · production — Gantry');
    expect(pageTitle({ kind: 'pipeline', pipeline: 'app' })).toBe('app — Gantry');
    expect(pageTitle({ kind: 'overview', filter: '' })).toBe('Pipelines — Gantry');
    expect(pageTitle({ kind: 'overview', filter: 'production:behind' })).toBe('Pipelines (production:behind) — Gantry');
    expect(pageTitle({ kind: 'activity', q: '', what: '' })).toBe('Activity — Gantry');
    expect(pageTitle({ kind: 'metrics', pipeline: 'app' })).toBe('Delivery metrics · app — Gantry');
    expect(pageTitle({ kind: 'not-found', path: '/x' })).toBe('Not found — Gantry');
  });

  it('GIVEN a phase opens THEN its panel heading takes focus; otherwise the page heading', () => {
    expect(headingSelector({ kind: 'pipeline', pipeline: 'app', phase: 'staging' })).toBe('.phase-panel h2');
    expect(headingSelector({ kind: 'overview', filter: '' })).toBe('main h1');
  });
});
