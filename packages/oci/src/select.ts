import { SourceError } from '@gantry/core';
import { createRequire } from 'node:module';
import type * as Semver from 'semver';

/** semver, loaded the first time versions are compared: a command that selects by tag never needs it. */
let loadedSemver: typeof Semver | undefined;
const semver = (): typeof Semver => {
  loadedSemver ??= createRequire(import.meta.url)('semver') as typeof Semver;
  return loadedSemver;
};

/** How a source picks one tag of a repository. */
export type TagSelect =
  /** Follow this tag's digest. */
  | { readonly by: 'tag'; readonly tag: string }
  /** The highest tag satisfying a semver range (`^1.2`, `>=2 <3`); `v1.2.3` counts as 1.2.3. */
  | { readonly by: 'semver'; readonly range: string; readonly includePrerelease?: boolean }
  /** The highest tag by plain string order, among those matching `pattern` (an unanchored regex). */
  | { readonly by: 'lexical'; readonly pattern?: string }
  /** The tag whose image config says it was created last, among those matching `pattern`. */
  | { readonly by: 'newest'; readonly pattern?: string };

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Helm writes `+` of a version as `_` in OCI tags; read it back. */
export const versionOfTag = (tag: string): string => tag.replaceAll('_', '+');
/** The reverse: OCI tags cannot hold `+`, so `helm push` writes `_`. */
export const tagOfVersion = (version: string): string => version.replaceAll('+', '_');

function compile(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern);
  } catch (e) {
    throw new SourceError(
      'invalid_select',
      `tag pattern /${pattern}/ is not a valid regular expression`,
      { pattern },
      {
        cause: e,
      },
    );
  }
}

/** Throws `invalid_select` for a select that can never match (a bad range or regex). */
export function checkSelect(select: TagSelect): void {
  if (select.by === 'semver' && semver().validRange(select.range) === null) {
    throw new SourceError('invalid_select', `"${select.range}" is not a semver range`, { range: select.range });
  }
  if (select.by === 'lexical' || select.by === 'newest') compile(select.pattern);
  if (select.by === 'tag' && select.tag.length === 0) {
    throw new SourceError('invalid_select', 'select by tag needs a tag', {});
  }
}

/** Tags matching an optional unanchored regex. */
export function filterTags(tags: readonly string[], pattern?: string): string[] {
  const re = compile(pattern);
  return re ? tags.filter((t) => re.test(t)) : [...tags];
}

/** The highest tag whose version satisfies `range`; ties (`v1.0.0`, `1.0.0`) go to the larger string. */
export function pickSemver(tags: readonly string[], range: string, includePrerelease = false): string | undefined {
  let best: { tag: string; version: Semver.SemVer } | undefined;
  for (const tag of tags) {
    const version = semver().parse(versionOfTag(tag), { loose: true });
    if (!version || !semver().satisfies(version, range, { includePrerelease, loose: true })) continue;
    const c = best ? semver().compare(version, best.version) : 1;
    if (c > 0 || (c === 0 && best && byString(tag, best.tag) > 0)) best = { tag, version };
  }
  return best?.tag;
}

/** The highest matching tag by code-unit order (not locale), e.g. `main-20240102` over `main-20240101`. */
export function pickLexical(tags: readonly string[], pattern?: string): string | undefined {
  return filterTags(tags, pattern).sort(byString).at(-1);
}

/** The most recently created; images with no creation time are never picked; ties go to the larger tag. */
export function pickNewest(candidates: readonly { tag: string; created?: Date }[]): string | undefined {
  let best: { tag: string; time: number } | undefined;
  for (const c of candidates) {
    const time = c.created?.getTime();
    if (time === undefined || Number.isNaN(time)) continue;
    if (!best || time > best.time || (time === best.time && byString(c.tag, best.tag) > 0)) best = { tag: c.tag, time };
  }
  return best?.tag;
}

/** `:latest`, ` semver ^1.2`, ` lexical /^main-/`, ` newest`: how a select reads in `describe()`. */
export function describeSelect(select: TagSelect): string {
  switch (select.by) {
    case 'tag':
      return `:${select.tag}`;
    case 'semver':
      return ` semver ${select.range}${select.includePrerelease ? ' (with prereleases)' : ''}`;
    case 'lexical':
      return ` lexical${select.pattern !== undefined ? ` /${select.pattern}/` : ''}`;
    case 'newest':
      return ` newest${select.pattern !== undefined ? ` /${select.pattern}/` : ''}`;
  }
}
