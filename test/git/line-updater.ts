import type { FileUpdater, OciImage } from '@gantry/core';
import { UpdaterError } from '@gantry/core';

const LINE = /^(\s*image:\s*)(\S+)\s*$/m;

/** A minimal updater for these tests: the `image: <repository>@<digest>` line of a file. */
export const imageLine: FileUpdater<OciImage> = {
  describe: () => 'image line',
  read(content, file) {
    const m = LINE.exec(content);
    if (!m) throw new UpdaterError('no image line', { file, path: 'image' });
    const ref = m[2] as string;
    const at = ref.indexOf('@');
    if (at < 0) return undefined;
    return { kind: 'oci-image', repository: ref.slice(0, at), digest: ref.slice(at + 1) };
  },
  write(content, resource, file) {
    if (!LINE.test(content)) throw new UpdaterError('no image line', { file, path: 'image' });
    return content.replace(LINE, (_m, prefix: string) => `${prefix}${resource.repository}@${resource.digest}`);
  },
};

export const digest = (n: number | string): string => `sha256:${String(n).padStart(64, '0').slice(-64)}`;

export const image = (
  n: number | string,
  repository = 'registry.example.com/app',
): OciImage & { readonly digest: string } => ({
  kind: 'oci-image',
  repository,
  digest: digest(n),
});

/** A small deployment file whose image line the updater edits; the rest must stay as it is. */
export const deployment = (env: string, n: number | string): string => `# ${env} deployment: keep this comment
kind: Deployment
metadata:
  name: app   # trailing comment
spec:
  containers:
    - name: app
      image: registry.example.com/app@${digest(n)}
      env: { LEVEL: "debug" }
`;
