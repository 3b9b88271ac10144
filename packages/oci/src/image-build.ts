import { gzipSync } from 'node:zlib';
import type { Descriptor } from './manifest.js';
import { digestOf } from './manifest.js';
import { ANNOTATIONS, MEDIA_TYPES } from './media-types.js';
import { tarFiles } from './tar.js';

/** One image layer: the files of a tar archive, stored gzip-compressed. */
export interface LayerInput {
  readonly files: Readonly<Record<string, string | Uint8Array>>;
}

export interface ImageBuildOptions {
  /** The config's `created`; default now. */
  readonly created?: Date;
  readonly labels?: Readonly<Record<string, string>>;
  /** Default: one layer holding `gantry/image.txt` naming the image and its creation time. */
  readonly layers?: readonly LayerInput[];
  /** OCI media types (default) or Docker's schema 2. */
  readonly format?: 'oci' | 'docker';
}

export interface BuiltBlob {
  readonly descriptor: Descriptor;
  readonly bytes: Uint8Array;
}

/** An image or artifact in memory: its blobs (config first) and its manifest. */
export interface BuiltImage {
  readonly blobs: readonly BuiltBlob[];
  readonly manifest: BuiltBlob;
}

const json = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

const blob = (mediaType: string, bytes: Uint8Array): BuiltBlob => ({
  descriptor: { mediaType, digest: digestOf(bytes), size: bytes.byteLength },
  bytes,
});

function assemble(
  manifestType: string,
  config: BuiltBlob,
  layers: readonly BuiltBlob[],
  annotations?: Record<string, string>,
): BuiltImage {
  const manifest = blob(
    manifestType,
    json({
      schemaVersion: 2,
      mediaType: manifestType,
      config: config.descriptor,
      layers: layers.map((l) => l.descriptor),
      ...(annotations ? { annotations } : {}),
    }),
  );
  return { blobs: [config, ...layers], manifest };
}

/**
 * A small but valid container image: gzip tar layers, an image config (`created`,
 * labels, diff ids) and an image manifest. Same inputs, same digest.
 */
export function buildImage(name: string, options: ImageBuildOptions = {}): BuiltImage {
  const created = options.created ?? new Date();
  const docker = options.format === 'docker';
  const inputs = options.layers ?? [{ files: { 'gantry/image.txt': `${name}\ncreated ${created.toISOString()}\n` } }];
  const diffIds: string[] = [];
  const layers = inputs.map((input) => {
    const tar = tarFiles(input.files, created);
    diffIds.push(digestOf(tar));
    return blob(docker ? 'application/vnd.docker.image.rootfs.diff.tar.gzip' : MEDIA_TYPES.ociLayerGzip, gzipSync(tar));
  });
  const config = blob(
    docker ? MEDIA_TYPES.dockerConfig : MEDIA_TYPES.ociConfig,
    json({
      created: created.toISOString(),
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { ...options.labels } },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: [{ created: created.toISOString(), created_by: 'gantry buildImage' }],
    }),
  );
  return docker
    ? assemble(MEDIA_TYPES.dockerManifest, config, layers)
    : assemble(MEDIA_TYPES.ociManifest, config, layers, { [ANNOTATIONS.created]: created.toISOString() });
}

/**
 * A Helm chart as `helm push` stores it: a config of the chart's metadata, one
 * chart-content layer (a .tgz holding `<name>/Chart.yaml`). The tag to push it under
 * is the version with `+` written as `_`.
 */
export function buildHelmChart(name: string, version: string, options: { created?: Date } = {}): BuiltImage {
  const created = options.created ?? new Date();
  const chartYaml = `apiVersion: v2\nname: ${name}\nversion: ${version}\ntype: application\n`;
  const content = blob(
    MEDIA_TYPES.helmChartContent,
    gzipSync(tarFiles({ [`${name}/Chart.yaml`]: chartYaml }, created)),
  );
  const config = blob(MEDIA_TYPES.helmConfig, json({ apiVersion: 'v2', name, version, type: 'application' }));
  return assemble(MEDIA_TYPES.ociManifest, config, [content], { [ANNOTATIONS.created]: created.toISOString() });
}
