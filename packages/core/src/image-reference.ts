/** The parts of an OCI image reference: `host[:port]/path[:tag][@digest]`. */
export interface ImageReference {
  /** Everything before the tag and digest, e.g. `ghcr.io/team/app`. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;

/**
 * Splits an image reference as container runtimes do. A colon belongs to a tag only
 * after the last `/`, so `localhost:5000/app` has no tag. Returns `undefined` for text
 * that is not a reference.
 */
export function parseImageReference(text: string): ImageReference | undefined {
  const ref = text.trim();
  if (ref.length === 0 || /\s/.test(ref)) return undefined;
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) return undefined;
  }
  if (rest.length === 0) return undefined;
  return { repository: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** The reverse of `parseImageReference`. */
export function formatImageReference(ref: ImageReference): string {
  return `${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}
