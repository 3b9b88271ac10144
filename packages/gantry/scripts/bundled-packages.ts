/**
 * The npm packages compiled into the `gantry` bundle instead of imported from the user's
 * `node_modules`, and the notices that ship with their code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * What every command loads at start (the schemas, gantry.yaml's parsers, the command line, the
 * globs, colours), and zod's companions on the server's side. js-yaml reads gantry.yaml to plain
 * data (packages/config/src/fast-yaml.ts), loaded by every command that reads the configuration.
 *
 * Why: Node.js loads an installed package file by file: zod alone is about a hundred modules,
 * yaml seventy, each resolved, read and compiled on its own, which cost `gantry status` more than
 * a fifth of its start. In a chunk of the bundle each is one file. zod's companions
 * (`@hono/zod-openapi` and what it builds on) are bundled with it so that the process has one
 * zod: the server's API schemas are composed of the packages' own, and zod-to-openapi extends the
 * zod it imports. None of these appears in the published declarations, so a user's own copy of
 * any of them never meets Gantry's.
 */
export const BUNDLED_PACKAGES: ReadonlySet<string> = new Set([
  'zod',
  '@hono/zod-openapi',
  '@hono/zod-validator',
  '@asteasolutions/zod-to-openapi',
  'yaml',
  'js-yaml',
  'commander',
  'picomatch',
  'picocolors',
]);

/** `node_modules/@scope/name/lib/x.js` -> `@scope/name`; undefined outside `node_modules`. */
export function packageOfInput(input: string): string | undefined {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  return (parts[0]?.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

const LICENSE_FILES = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'LICENCE', 'license', 'license.md'];

/**
 * Writes `THIRD-PARTY-NOTICES.md`: each package whose code the bundle holds, its version,
 * licence and licence text (the MIT and ISC licences ask that copies keep the notice); for a
 * package that ships no licence file, what its manifest says (licence, author, repository).
 */
export async function writeNotices(packagesInBundle: Iterable<string>, root: string, out: string): Promise<void> {
  const sections: string[] = [];
  for (const name of [...new Set(packagesInBundle)].sort()) {
    const dir = join(root, 'node_modules', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      version: string;
      license?: string;
      author?: string | { name?: string };
      repository?: string | { url?: string };
    };
    const file = LICENSE_FILES.map((f) => join(dir, f)).find((f) => existsSync(f));
    const author = typeof manifest.author === 'string' ? manifest.author : manifest.author?.name;
    const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
    const text = file
      ? readFileSync(file, 'utf8').trim()
      : [`The package ships no licence file; its manifest says: ${manifest.license ?? 'no licence'}.`]
          .concat(author ? [`Author: ${author}`] : [], repository ? [`Repository: ${repository}`] : [])
          .join('\n');
    sections.push(
      `## ${name} ${manifest.version} (${manifest.license ?? 'no licence field'})\n\n\`\`\`\n${text}\n\`\`\`\n`,
    );
  }
  await writeFile(
    out,
    `# Third-party notices\n\nThe code of these packages is compiled into this package's \`dist/\` files.\n\n${sections.join('\n')}`,
  );
}

/**
 * zod's translations of its messages, but English: Gantry's messages are English and it never
 * sets a locale (`z.config(z.locales.xx())`), and the other sixty-odd were half of zod's code in
 * the bundle, parsed at every start. `z.locales` (and `z.core.locales`) hold `en` alone.
 */
export const zodEnglishOnly: Plugin = {
  name: 'gantry-zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[/\\]node_modules[/\\]zod[/\\]v4[/\\]locales[/\\]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";\n',
      loader: 'js',
    }));
  },
};
