import { hasTool, pushTestImage, readBareFile, startRegistry, tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { gatedStaging, ZERO } from './gated-staging.js';
import { gantry } from './run-cli.js';

describe.skipIf(!hasTool('docker-registry'))('a branch gate judged by the local CLI', () => {
  it('GIVEN staging takes only builds from main WHEN gantry promotes locally THEN the image labels are read: a hotfix build is refused naming its branch, a main build is promoted', async () => {
    const registry = await startRegistry();
    await using tmp = await tempDir('gantry-cli-branch-');
    try {
      const bare = await gatedStaging(
        tmp.path,
        registry,
        `          - kind: branch
            name: main-only
            branches: main
`,
      );
      const env = { GANTRY_SERVER: '', GANTRY_TOKEN: '' };
      const revision = (c: string) => ({ 'org.opencontainers.image.revision': c.repeat(40) });

      // built from a hotfix branch: the labels say so, and the gate refuses with that branch (not a missing fact)
      await pushTestImage(registry.url, 'app', 'latest', {
        labels: { ...revision('a'), 'dev.gantry.branch': 'hotfix/x' },
      });
      const hotfix = await gantry(['promote', 'app', 'staging'], tmp.path, env);
      expect(hotfix.code, hotfix.stderr).toBe(3);
      expect(hotfix.stderr).toContain('main-only');
      expect(hotfix.stderr).toContain('hotfix/x');
      expect(await readBareFile(bare, 'main', 'staging.yaml')).toContain(ZERO);

      // built from main: promoted
      const main = await pushTestImage(registry.url, 'app', 'latest', {
        labels: { ...revision('b'), 'dev.gantry.branch': 'main' },
      });
      const promoted = await gantry(['promote', 'app', 'staging'], tmp.path, env);
      expect(promoted.code, promoted.stderr).toBe(0);
      expect(await readBareFile(bare, 'main', 'staging.yaml')).toContain(main);
    } finally {
      await registry.stop();
    }
  }, 120_000);
});
