import type { Registries, Registry } from '@gantry/oci';
import { describe, expect, it } from 'vitest';
import { imageName, locateImage } from './artifact-registry.js';

/** Registries by name and host; nothing here is asked anything. */
function registries(hosts: Record<string, string>): Registries {
  const made = new Map(Object.entries(hosts).map(([name, host]) => [name, { name, host } as unknown as Registry]));
  // only get and names are used to locate an image
  return {
    get: (n: string) => made.get(n) as Registry,
    names: () => [...made.keys()],
  } as unknown as Registries;
}

describe('which configured registry an image reference names', () => {
  const regs = registries({ hub: 'localhost', sandbox: 'localhost/sandbox', ghcr: 'ghcr.io', local: '127.0.0.1:5000' });

  it('GIVEN hosts that share a prefix THEN the longest match wins; tags and digests are dropped', () => {
    expect(locateImage(regs, 'localhost/sandbox/app:latest')).toMatchObject({
      registry: { name: 'sandbox' },
      repository: 'app',
    });
    expect(locateImage(regs, 'localhost/team/app')).toMatchObject({
      registry: { name: 'hub' },
      repository: 'team/app',
    });
    expect(locateImage(regs, `127.0.0.1:5000/app@sha256:${'a'.repeat(64)}`)).toMatchObject({
      registry: { name: 'local' },
      repository: 'app',
    });
    expect(locateImage(regs, 'docker.io/library/nginx')).toBeUndefined();
    expect(locateImage(undefined, 'ghcr.io/acme/app')).toBeUndefined();
  });

  it('GIVEN a reference with a port, a tag or a digest THEN its name keeps the port and loses the rest', () => {
    expect(imageName('127.0.0.1:5000/app:1.2')).toBe('127.0.0.1:5000/app');
    expect(imageName('127.0.0.1:5000/app')).toBe('127.0.0.1:5000/app');
    expect(imageName(`ghcr.io/acme/app@sha256:${'b'.repeat(64)}`)).toBe('ghcr.io/acme/app');
  });
});
