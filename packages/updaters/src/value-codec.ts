import type { FileUpdater, GitCommit, HelmChart, OciImage, Resource } from '@gantry/core';
import { updaterError } from './fail.js';
import type { ImageUpdater } from './helm-values.js';
import { comparesByTag, formatReference, type ImageWriteOptions, readReference } from './image-codec.js';
import type { Slot } from './slot.js';
import { applyEdits } from './splice.js';
import { checkTag, type VersionCheck } from './version-text.js';
import { readChartVersion } from './yaml-path.js';

/**
 * What one value outside YAML (a Terraform variable, a CUE field, a marked line) holds:
 * a whole image reference, an image's tag or digest, a chart or module version, or a commit.
 */
export type ValueOptions =
  | ({ readonly value: 'image' } & ImageWriteOptions)
  | { readonly value: 'tag' | 'digest' /** The image the value versions, for status. */; readonly image: string }
  | ({ readonly value: 'version' /** The chart or module the version is of. */; readonly chart: string } & VersionCheck)
  | { readonly value: 'commit' };

/** The resource a `ValueOptions` reads and writes. */
export type ValueResource<O extends ValueOptions> = O extends { value: 'version' }
  ? HelmChart
  : O extends { value: 'commit' }
    ? GitCommit
    : OciImage;

/** The updater a `ValueOptions` makes: image values also say how their phase compares versions. */
export type ValueUpdater<O extends ValueOptions> = O extends { value: 'version' | 'commit' }
  ? FileUpdater<ValueResource<O>>
  : ImageUpdater;

interface Codec<R extends Resource> {
  read(slot: Slot): R | undefined;
  format(resource: R, slot: Slot): string;
}

function codec(o: ValueOptions): Codec<Resource> {
  switch (o.value) {
    case 'image':
      return {
        read: (slot) => readReference(slot, o.form),
        format: (image, slot) => formatReference(slot.text, image as OciImage, o, slot.where),
      } as Codec<OciImage> as Codec<Resource>;
    case 'tag':
      return {
        read(slot) {
          if (slot.text === undefined) return undefined;
          checkTag(slot.text, slot.where);
          return { kind: 'oci-image', repository: o.image, tag: slot.text };
        },
        format: (image, slot) => image.tag ?? fail(slot, 'the version has no tag to write'),
      } as Codec<OciImage> as Codec<Resource>;
    case 'digest':
      return {
        read(slot) {
          if (slot.text === undefined) return undefined;
          if (!/^[a-z0-9]+:[a-f0-9]{32,}$/.test(slot.text))
            throw updaterError(slot.where, `"${slot.text}" is not a digest`);
          return { kind: 'oci-image', repository: o.image, digest: slot.text };
        },
        format: (image, slot) =>
          image.digest ?? fail(slot, 'the version has no digest to write (it was read as a tag)'),
      } as Codec<OciImage> as Codec<Resource>;
    case 'version':
      return {
        read: (slot) => readChartVersion(slot, o.chart, o),
        format: (chart) => chart.version,
      } as Codec<HelmChart> as Codec<Resource>;
    case 'commit':
      return {
        read(slot) {
          if (slot.text === undefined) return undefined;
          if (!/^[0-9a-fA-F]{7,64}$/.test(slot.text))
            throw updaterError(slot.where, `"${slot.text}" is not a commit id`);
          return { kind: 'git-commit', commit: slot.text };
        },
        format: (c) => c.commit,
      } as Codec<GitCommit> as Codec<Resource>;
  }
}

const fail = (slot: Slot, message: string): never => {
  throw updaterError(slot.where, message);
};

/**
 * An updater over the slots `locate` finds in a file: all of them are written, the first is
 * read (and the others must agree with it, or the file is ambiguous).
 */
export function valueUpdater<O extends ValueOptions>(
  o: O,
  describe: string,
  locate: (content: string, file: string) => readonly Slot[],
): ValueUpdater<O> {
  const c = codec(o);
  const updater: FileUpdater<Resource> = {
    describe: () => describe,
    read(content, file) {
      const slots = locate(content, file);
      const [first, ...rest] = slots;
      if (!first) throw new Error(`${describe}: no slot`);
      const other = rest.find((s) => s.text !== first.text);
      if (other) {
        throw updaterError(
          other.where,
          `"${other.text ?? ''}" here and "${first.text ?? ''}" at line ${first.where.line}: the places this phase writes disagree`,
        );
      }
      return c.read(first);
    },
    write(content, resource, file) {
      return applyEdits(
        content,
        locate(content, file).map((s) => s.set(c.format(resource, s))),
      );
    },
  };
  const comparesBy = o.value === 'tag' ? 'tag' : o.value === 'image' && comparesByTag(o.form) ? 'tag' : 'digest';
  return (
    o.value === 'image' || o.value === 'tag' || o.value === 'digest' ? { ...updater, comparesBy } : updater
  ) as ValueUpdater<O>;
}
