import type { RegistryClient } from '@gantry/oci';
import { createRegistryClient } from '@gantry/oci';
import type { VerificationKey } from '@gantry/signatures';
import { parsePublicKey } from '@gantry/signatures';
import type { TestSigningKey } from '@gantry/testing';
import { pushTestImage } from '@gantry/testing';

/** The public half of a test key, parsed as the gate's configuration would parse cosign.pub. */
export function verificationKey(key: TestSigningKey, id?: string): VerificationKey {
  const parsed = parsePublicKey(key.publicKeyPem, id);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.key;
}

let images = 0;

/** A fresh image (its own digest) in `repository`; returns its digest. */
export function pushImage(url: string, repository: string): Promise<string> {
  images++;
  return pushTestImage(url, repository, `v${images}`, { labels: { image: String(images) } });
}

/** A fresh client per check: nothing cached from an earlier test or push. */
export function client(url: string): RegistryClient {
  return createRegistryClient({ url, timeout: { ms: 5_000 } });
}
