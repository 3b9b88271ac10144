import { describe, expect, it } from 'vitest';
import { nextLink } from './link-header.js';

const base = 'http://127.0.0.1:5000/v2/app/tags/list?n=2';

describe('nextLink', () => {
  it('GIVEN the registry Link header WHEN read THEN the next page URL is resolved against the request', () => {
    expect(nextLink('</v2/app/tags/list?last=b&n=2>; rel="next"', base)?.href).toBe(
      'http://127.0.0.1:5000/v2/app/tags/list?last=b&n=2',
    );
  });

  it('GIVEN several links and an unquoted rel WHEN read THEN the one with rel=next is picked', () => {
    expect(nextLink('</first>; rel="first", <https://r.example/v2/a/tags/list?last=z>; rel=next', base)?.href).toBe(
      'https://r.example/v2/a/tags/list?last=z',
    );
  });

  it('GIVEN rel with several values WHEN read THEN next is found among them', () => {
    expect(nextLink('</p2>; title="x"; rel="prefetch next"', base)?.pathname).toBe('/p2');
  });

  it('GIVEN no header or no next link WHEN read THEN there is no next page', () => {
    expect(nextLink(null, base)).toBeUndefined();
    expect(nextLink('</prev>; rel="prev"', base)).toBeUndefined();
  });
});
