import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { gantry, json } from './run-cli.js';

interface Row {
  readonly id: string;
  readonly state: string;
  readonly commitSha?: string;
  readonly trigger: { kind: string; actor?: string; author?: { name: string; email: string } };
  readonly toDigest: string;
  readonly links?: { commit?: string; image?: string };
}

describe('a local gantry promote is recorded', () => {
  it('GIVEN a sandbox with a new image WHEN promoted without a server THEN history shows who promoted what, with its commit, and the commit is theirs', async () => {
    const root = await tempDir('gantry-local-history-');
    try {
      const dir = join(root.path, 'sandbox');
      expect((await gantry(['sandbox', 'init', dir], root.path)).code).toBe(0);
      // with the config repository's and the registry's web pages configured
      const file = join(dir, 'gantry.yaml');
      const yaml = (await readFile(file, 'utf8'))
        .replace(
          /( +)url: \.\/config\.git.*\n/,
          (line, indent: string) =>
            `${line}${indent}links: { commit: "https://git.example.com/config/commit/{sha}" }\n`,
        )
        .replace(
          /( +)host: localhost:5000.*\n/,
          (line, indent: string) =>
            `${line}${indent}links: { image: "https://registry.example.com/{repository}@{digest}" }\n`,
        );
      await writeFile(file, yaml);
      const { digest } = json<{ digest: string }>(await gantry(['sandbox', 'push', '.', '--json'], dir));
      const alice = { GIT_AUTHOR_NAME: 'Alice Example', GIT_AUTHOR_EMAIL: 'alice@example.com' };
      // WHEN
      const promoted = await gantry(['promote', 'app', 'staging', '--json'], dir, alice);
      expect(promoted.code, promoted.stderr).toBe(0);
      const outcome = json<{ kind: string; promotionId: string; revision: { id: string } }>(promoted);
      // THEN history (from the data directory's database) has it, succeeded, with the commit
      const history = json<{ items: Row[] }>(await gantry(['history', 'app', 'staging', '--json'], dir));
      expect(history.items).toHaveLength(1);
      expect(history.items[0]).toMatchObject({
        id: outcome.promotionId,
        state: 'succeeded',
        commitSha: outcome.revision.id,
        toDigest: digest,
        trigger: { kind: 'person', actor: 'alice@example.com', author: { name: 'Alice Example' } },
        // AND the same pages as the server's history gives
        links: {
          commit: `https://git.example.com/config/commit/${outcome.revision.id}`,
          image: `https://registry.example.com/app@${digest}`,
        },
      });
      // AND the commit is authored by the person who promoted
      const author = execFileSync('git', ['log', '-1', '--format=%an <%ae>', outcome.revision.id], {
        cwd: join(dir, 'config.git'),
        encoding: 'utf8',
      }).trim();
      expect(author).toBe('Alice Example <alice@example.com>');
    } finally {
      await root.remove();
    }
  });
});
