import type { BuiltImage, ImageBuildOptions } from '@gantry/oci';
import { buildHelmChart, buildImage, createRegistryClient } from '@gantry/oci';

export interface PushTestImageOptions extends ImageBuildOptions {
  readonly username?: string;
  readonly password?: string;
}

async function pushBuilt(
  url: string,
  repository: string,
  tag: string,
  built: BuiltImage,
  o: { username?: string; password?: string },
): Promise<string> {
  const client = createRegistryClient({
    url,
    // the test's own registry on this machine: no need to spare it as a shared registry is spared
    limits: { requestsPerSecond: 10_000, concurrency: 16 },
    ...(o.username !== undefined && o.password !== undefined
      ? { auth: { username: o.username, password: o.password } }
      : {}),
  });
  for (const blob of built.blobs) await client.pushBlob(repository, blob.bytes);
  return client.pushManifest(repository, tag, built.manifest.bytes, built.manifest.descriptor.mediaType);
}

/**
 * Pushes a small image through the Distribution API (blob uploads, manifest PUT) and
 * returns its manifest digest. Vary `created` or `labels` to get distinct digests.
 */
export function pushTestImage(
  url: string,
  repository: string,
  tag: string,
  options: PushTestImageOptions = {},
): Promise<string> {
  return pushBuilt(url, repository, tag, buildImage(`${repository}:${tag}`, options), options);
}

/** Pushes a Helm chart as `helm push` would, tagged with its version (`+` as `_`). */
export function pushTestChart(
  url: string,
  repository: string,
  version: string,
  options: { created?: Date; username?: string; password?: string } = {},
): Promise<string> {
  const name = repository.split('/').at(-1) ?? repository;
  return pushBuilt(url, repository, version.replaceAll('+', '_'), buildHelmChart(name, version, options), options);
}
