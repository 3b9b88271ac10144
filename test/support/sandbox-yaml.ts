import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Edits the gantry.yaml of the YAML sandbox in `dir` (`gantry sandbox init --yaml`), then appends
 * `server: { schedules: [] }` (each test moves things itself) and `extra` top-level YAML.
 * `edit` must change the file: a replace that matched nothing would leave the test testing the
 * plain sandbox. Resolves with the edited text (before what is appended).
 */
export async function editSandboxYaml(dir: string, edit: (yaml: string) => string, extra = ''): Promise<string> {
  const file = join(dir, 'gantry.yaml');
  const text = await readFile(file, 'utf8');
  const edited = edit(text);
  if (edited === text) throw new Error(`${file}: the edit changed nothing`);
  await writeFile(file, `${edited}server:\n  schedules: []\n${extra}`);
  return edited;
}
