import { lineIndex } from './document.js';
import { listed, updaterError } from './fail.js';
import type { ImageUpdater } from './helm-values.js';
import { type ImageWriteOptions, formatReference, readReference, repositoryToWrite } from './image-codec.js';
import type { Slot } from './slot.js';
import { applyEdits, type Edit } from './splice.js';
import { textSlot } from './text-slot.js';
import { checkTag } from './version-text.js';
import { parseImageReference } from '@gantry/core';

export interface FluxImagePolicyOptions extends ImageWriteOptions {
  /**
   * The ImagePolicy whose markers this phase writes: `<namespace>:<name>` as in the
   * marker, or `<name>` for that name in any namespace.
   */
  readonly policy: string;
}

type Field = 'image' | 'tag' | 'name' | 'digest';

interface Marker {
  readonly policy: string;
  readonly field: Field;
  readonly slot: Slot;
}

const MARKER = /#\s*\{\s*"\$imagepolicy"\s*:\s*"([^"]*)"\s*\}/;

/**
 * The values carrying Flux image automation's setter markers, as the image automation
 * controller reads them: a comment at the end of the value's line,
 * `# {"$imagepolicy": "<namespace>:<policy>"}` for the whole reference (`name:tag`, or
 * `name:tag@digest` where the policy reflects digests), and `:tag`, `:name`, `:digest`
 * for the parts. Scanned line by line, so a file of hundreds of documents costs one pass.
 */
export function findMarkers(content: string, file: string): Marker[] {
  const lineOf = lineIndex(content);
  const markers: Marker[] = [];
  for (let at = content.indexOf('$imagepolicy'); at >= 0; at = content.indexOf('$imagepolicy', at + 1)) {
    const start = content.lastIndexOf('\n', at) + 1;
    const nl = content.indexOf('\n', at);
    const end = nl < 0 ? content.length : nl;
    const line = content.slice(start, end).replace(/\r$/, '');
    const m = MARKER.exec(line);
    if (!m || m.index === undefined) continue;
    const value = valueRange(line.slice(0, m.index));
    const [ns = '', name = '', field = 'image'] = (m[1] ?? '').split(':');
    const where = { file, path: `# {"$imagepolicy": "${m[1]}"}`, line: lineOf(start) };
    if (!value) throw updaterError(where, 'the marker is on a line with no value');
    if (!['image', 'tag', 'name', 'digest'].includes(field)) {
      throw updaterError(where, `unknown marker field ":${field}" (Flux knows :tag, :name and :digest)`);
    }
    markers.push({
      policy: `${ns}:${name}`,
      field: field as Field,
      slot: textSlot(content, start + value[0], start + value[1], 'yaml', where),
    });
  }
  return markers;
}

/** Where the value is on `key: value` or `- value` (the text before the comment). */
function valueRange(before: string): [number, number] | undefined {
  const end = before.trimEnd().length;
  let i = 0;
  while (i < end && /\s/.test(before[i] as string)) i += 1;
  while (before[i] === '-' && /\s/.test(before[i + 1] ?? '')) for (i += 1; /\s/.test(before[i] ?? ''); ) i += 1;
  // a quoted value right away, or after `key:`
  const colon = /:(\s+)/g;
  colon.lastIndex = i;
  if (before[i] !== '"' && before[i] !== "'") {
    const c = colon.exec(before);
    if (c && c.index < end) i = c.index + 1 + (c[1]?.length ?? 0);
  }
  return i < end ? [i, end] : undefined;
}

const matches = (policy: string, wanted: string): boolean =>
  wanted.includes(':') ? policy === wanted : policy.slice(policy.indexOf(':') + 1) === wanted;

/**
 * Files kept by Flux image automation, as they are: every value marked for one
 * ImagePolicy (the policy the phase stands for) is updated in place, the rest untouched.
 * Compares by tag, as Flux policies select tags, unless `form` pins digests.
 */
export function fluxImagePolicy(options: FluxImagePolicyOptions): ImageUpdater {
  const { policy } = options;
  const mine = (content: string, file: string): Marker[] => {
    const all = findMarkers(content, file);
    const chosen = all.filter((m) => matches(m.policy, policy));
    if (chosen.length > 0) return chosen;
    const seen = [
      ...new Set(all.map((m) => `${m.policy}${m.field === 'image' ? '' : `:${m.field}`} (line ${m.slot.where.line})`)),
    ];
    throw updaterError(
      { file, path: `# {"$imagepolicy": "${policy}"}`, line: 1, found: seen },
      `no value carries a marker of ImagePolicy ${policy}; markers in the file: ${listed(seen)}`,
    );
  };
  const byTag = options.form !== 'digest' && options.form !== 'tag@digest';
  return {
    comparesBy: byTag ? 'tag' : 'digest',
    describe: () => `flux image policy ${policy}`,
    read(content, file) {
      const markers = mine(content, file);
      const whole = markers.find((m) => m.field === 'image');
      if (whole) return readReference(whole.slot, options.form ?? 'tag');
      const part = (f: Field) => markers.find((m) => m.field === f)?.slot;
      const name = part('name');
      const tag = part('tag');
      const digest = part('digest');
      if (tag?.text !== undefined) checkTag(tag.text, tag.where);
      if (digest?.text === undefined && (!byTag || tag?.text === undefined)) return undefined;
      const where = (name ?? tag ?? digest) as Slot;
      if (name?.text === undefined) {
        throw updaterError(where.where, `no :name marker of ${policy} to name the image by`);
      }
      const text = `${name.text}${tag?.text ? `:${tag.text}` : ''}${digest?.text ? `@${digest.text}` : ''}`;
      const ref = parseImageReference(text);
      if (!ref) throw updaterError(where.where, `"${text}" is not an image reference`);
      return {
        kind: 'oci-image',
        repository: ref.repository,
        ...(ref.tag ? { tag: ref.tag } : {}),
        ...(ref.digest ? { digest: ref.digest } : {}),
      };
    },
    write(content, image, file) {
      const edits: (Edit | undefined)[] = mine(content, file).map((m) => {
        const { slot } = m;
        switch (m.field) {
          case 'image': {
            const now = slot.text === undefined ? undefined : parseImageReference(slot.text);
            // as the controller writes it: with the digest where the file (its policy) has one
            const form = options.form ?? (now?.digest !== undefined ? 'tag@digest' : 'tag');
            return slot.set(formatReference(slot.text, image, { ...options, form }, slot.where));
          }
          case 'name':
            return options.host === undefined || options.host === 'keep'
              ? undefined
              : slot.set(repositoryToWrite(slot.text, image.repository, options.host));
          case 'tag':
            if (image.tag === undefined) throw updaterError(slot.where, 'the version has no tag to write');
            return slot.set(image.tag);
          case 'digest':
            if (image.digest === undefined)
              throw updaterError(slot.where, 'the version has no digest to write (it was read as a tag)');
            return slot.set(image.digest);
        }
        return undefined;
      });
      return applyEdits(content, edits);
    },
  };
}
