import { join } from 'node:path';
import { writeLayoutImage } from '@gantry/oci';

/** Publishes a new version of the sandbox `app` image as `latest`; returns its digest. */
export async function pushSandboxImage(dir: string, now: Date = new Date()): Promise<string> {
  return writeLayoutImage(join(dir, 'registry'), 'app', 'latest', {
    created: now,
    labels: { 'org.opencontainers.image.created': now.toISOString() },
  });
}
