import { readFileSync } from 'node:fs';

/** Set by the package build (esbuild `define`) to the published `gantry` package's version. */
declare const __GANTRY_VERSION__: string | undefined;

let own: string | undefined;

/**
 * The version of Gantry this code is: in the published package, the version it was built as;
 * from the repository's sources, the `gantry` package's version there (every package of the
 * repository carries the same one).
 */
export function gantryVersion(): string {
  if (typeof __GANTRY_VERSION__ === 'string') return __GANTRY_VERSION__;
  own ??= (
    JSON.parse(readFileSync(new URL('../../gantry/package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return own;
}

/** The major version, as semver compares them: `0.x` releases are each their own major. */
export function majorOf(version: string): string {
  const [major = '0', minor = '0'] = version.split('.');
  return major === '0' ? `0.${minor}` : major;
}
