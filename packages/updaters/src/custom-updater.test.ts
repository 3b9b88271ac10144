import { GantryError, type OciImage, UpdaterError } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { customUpdater } from './custom-updater.js';
import { digestOf, thrown } from './test-support.js';

const tfvars = customUpdater<OciImage>({
  describe: 'terraform var app_digest',
  read(content) {
    const m = /^app_digest\s*=\s*"([^"]*)"/m.exec(content);
    if (!m) throw new Error('app_digest is not set');
    return m[1] ? { kind: 'oci-image', repository: 'app', digest: m[1] } : undefined;
  },
  write: (content, image) => content.replace(/^(app_digest\s*=\s*")[^"]*"/m, `$1${image.digest}"`),
});

describe('customUpdater', () => {
  it('GIVEN read and write functions WHEN used THEN they read and write the file', () => {
    const text = `region = "eu"\napp_digest = "${digestOf('a')}"\n`;
    expect(tfvars.describe()).toBe('terraform var app_digest');
    expect(tfvars.read(text, 'main.tfvars')).toEqual({ kind: 'oci-image', repository: 'app', digest: digestOf('a') });
    const image: OciImage = { kind: 'oci-image', repository: 'app', digest: digestOf('b') };
    expect(tfvars.read(tfvars.write(text, image, 'main.tfvars'), 'main.tfvars')).toEqual(image);
  });

  it('GIVEN a function that throws a plain error WHEN read THEN it becomes an UpdaterError naming the file', () => {
    const e = thrown(() => tfvars.read('region = "eu"\n', 'main.tfvars'));
    expect(e).toBeInstanceOf(UpdaterError);
    expect(e.message).toBe('main.tfvars: app_digest is not set (looked at terraform var app_digest)');
  });

  it('GIVEN a function that throws a Gantry error WHEN read THEN it passes through unchanged', () => {
    const original = new GantryError('invalid_target', 'mine');
    const updater = customUpdater<OciImage>({
      describe: 'x',
      read: () => {
        throw original;
      },
      write: (c) => c,
    });
    expect(thrown(() => updater.read('', 'f'))).toBe(original);
  });
});
