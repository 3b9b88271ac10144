/**
 * The `rel="next"` target of an HTTP `Link` header (RFC 8288), as registries send it
 * for tag-list pagination: `</v2/app/tags/list?last=b&n=2>; rel="next"`. Resolved
 * against `base`; `undefined` when there is no next page.
 */
export function nextLink(header: string | null | undefined, base: string | URL): URL | undefined {
  if (!header) return undefined;
  for (const m of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const params = m[2] ?? '';
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (rels.includes('next')) {
      try {
        return new URL(m[1] ?? '', base);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
