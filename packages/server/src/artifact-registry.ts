import { GantryError } from '@gantry/core';
import type { HelmRepositories } from '@gantry/helm';
import type { Registries, Registry } from '@gantry/oci';

/** Where a reported image lives among the configured registries. */
export interface ImageLocation {
  readonly registry: Registry;
  readonly repository: string;
}

/**
 * Whether the registry holds what CI reported; `reason` says why not (never an exception), and
 * `absent` whether the registry answered that it does not (rather than could not be asked).
 */
export type Presence =
  | { readonly verified: true }
  | { readonly verified: false; readonly absent: boolean; readonly reason: string };

const why = (e: unknown): string =>
  e instanceof GantryError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);

/**
 * The configured registry an image reference names (its `host[:port][/path]`), the longest
 * host first (`localhost/sandbox` before `localhost`), and the repository after it. A tag or
 * digest on the reference is dropped.
 */
export function locateImage(registries: Registries | undefined, image: string): ImageLocation | undefined {
  const name = image.split('@')[0]?.replace(/:[\w][\w.-]{0,127}$/, '') ?? image;
  let best: ImageLocation | undefined;
  for (const n of registries?.names() ?? []) {
    const registry = registries?.get(n);
    if (!registry || !name.startsWith(`${registry.host}/`)) continue;
    if (best && best.registry.host.length >= registry.host.length) continue;
    best = { registry, repository: name.slice(registry.host.length + 1) };
  }
  return best;
}

/** The image reference without tag or digest, as the artifact records it. */
export const imageName = (image: string): string =>
  image.split('@')[0]?.replace(/(\/[^/:]+):[\w][\w.-]{0,127}$/, '$1') ?? image;

/** Asks the registry for the manifest: a registry down or refusing is "unverified, because ...". */
export async function imagePresence(at: ImageLocation | undefined, image: string, digest: string): Promise<Presence> {
  if (!at) return { verified: false, absent: true, reason: `no configured registry serves ${imageName(image)}` };
  try {
    await at.registry.manifest(at.repository, digest);
    return { verified: true };
  } catch (e) {
    if (e instanceof GantryError && e.code === 'manifest_not_found')
      return {
        verified: false,
        absent: true,
        reason: `${at.registry.host}/${at.repository} has no manifest ${digest}`,
      };
    return { verified: false, absent: false, reason: `registry ${at.registry.name} could not be asked: ${why(e)}` };
  }
}

/** A chart by version: an `oci://` chart is a tag in a registry; any other is looked up in the Helm repositories' indexes. */
export async function chartPresence(
  o: { registries: Registries | undefined; helm: HelmRepositories | undefined; helmNames: readonly string[] },
  chart: string,
  version: string,
): Promise<Presence> {
  if (chart.startsWith('oci://')) {
    const at = locateImage(o.registries, chart.slice('oci://'.length));
    if (!at) return { verified: false, absent: true, reason: `no configured registry serves ${chart}` };
    try {
      await at.registry.resolve(at.repository, version.replaceAll('+', '_'));
      return { verified: true };
    } catch (e) {
      if (e instanceof GantryError && e.code === 'manifest_not_found')
        return { verified: false, absent: true, reason: `${chart} has no version ${version}` };
      return { verified: false, absent: false, reason: `registry ${at.registry.name} could not be asked: ${why(e)}` };
    }
  }
  const names = o.helmNames.length > 0 ? o.helmNames : (o.helm?.names() ?? []);
  if (!o.helm || names.length === 0)
    return { verified: false, absent: true, reason: 'no Helm repository is configured' };
  const failures: string[] = [];
  for (const n of names) {
    try {
      const index = await o.helm.get(n).index();
      if (index.charts.get(chart)?.some((v) => v.version === version)) return { verified: true };
    } catch (e) {
      failures.push(`${n} could not be asked: ${why(e)}`);
    }
  }
  return {
    verified: false,
    absent: failures.length === 0,
    reason:
      failures.length > 0
        ? `chart ${chart} ${version} not found; ${failures.join('; ')}`
        : `no configured Helm repository (${names.join(', ')}) lists ${chart} ${version}`,
  };
}
