import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry, json } from './run-cli.js';

interface ErrorJson {
  error: { code: string; issues?: Array<{ path: string; message: string; file?: string; line?: number }> };
}

/** 1-based line of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in the text`);
  return text.slice(0, i).split('\n').length;
}

describe('gantry validate: a phase with write: proposal needs a repository with a provider', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let dir: string;
  let config: string;
  let yaml: string;
  let n = 0;

  beforeAll(async () => {
    root = await tempDir('gantry-validate-proposals-');
    dir = join(root.path, 'sandbox');
    const init = await gantry(['sandbox', 'init', dir], root.path);
    expect(init.code, init.stderr).toBe(0);
    config = await readFile(join(dir, 'gantry.config.ts'), 'utf8');
    yaml = await readFile(join(dir, 'gantry.yaml'), 'utf8');
  });
  afterAll(() => root.remove());

  /** A gantry.yaml beside the sandbox's naming its own pipelines file. */
  async function variant(
    code: string,
    yamlText = yaml,
  ): Promise<{ args: string[]; codeFile: string; yamlFile: string }> {
    n += 1;
    const codeFile = join(dir, `variant-${n}.config.ts`);
    await writeFile(codeFile, code);
    const yamlFile = join(dir, `variant-${n}.yaml`);
    await writeFile(
      yamlFile,
      `${yamlText.replace(/^pipelinesFile:.*$/m, '')}\npipelinesFile: variant-${n}.config.ts\n`,
    );
    return { args: ['--config', yamlFile], codeFile, yamlFile };
  }

  const proposalIssues = async (args: string[]) => {
    const r = await gantry([...args, 'validate', '--json'], dir);
    expect(r.code, r.stdout).toBe(2);
    return (json<ErrorJson>(r).error.issues ?? []).filter((i) => i.path.endsWith('.write'));
  };

  it('GIVEN a YAML phase with write: proposal on a repository without provider WHEN validated THEN exit 2 naming file, line and field', async () => {
    const tail = `pipelines:
  - name: web
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: sandbox, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        write: proposal
        source: { type: git, repository: config, path: env/staging/deployment.yaml, updater: { type: kubernetes-image, container: app } }
`;
    const yamlText = `${yaml.trimEnd()}\n${tail}`;
    const { args, yamlFile } = await variant(config, yamlText);
    const issues = await proposalIssues(args);
    expect(issues).toEqual([
      expect.objectContaining({
        path: expect.stringMatching(/phases\[1\].*\.write$/),
        file: yamlFile,
        line: lineOf(yamlText, 'write: proposal'),
        message: expect.stringContaining('git repository "config" has no provider: set repositories.config.provider'),
      }),
    ]);
    // the human form names the file and line too
    const text = await gantry([...args, 'validate'], dir);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain(`${yamlFile}:${lineOf(yamlText, 'write: proposal')}`);
  });

  it('GIVEN the same phase as code WHEN validated THEN exit 2 at the line of its write field; with a provider THEN valid', async () => {
    const code = config.replace(
      "  labels: { environment: 'staging' },",
      "  labels: { environment: 'staging' },\n  write: 'proposal',",
    );
    expect(code).not.toBe(config);
    const { args, codeFile } = await variant(code);
    const issues = await proposalIssues(args);
    expect(issues).toEqual([
      expect.objectContaining({
        path: expect.stringContaining('(staging).write'),
        file: codeFile,
        line: lineOf(code, "write: 'proposal'"),
        message: expect.stringContaining('has no provider'),
      }),
    ]);

    // GIVEN the repository names its provider THEN the same pipelines validate
    const withProvider = yaml.replace(
      /^(\s+)config:\n/m,
      (m, indent: string) => `${m}${indent}  provider: { kind: github, repository: acme/config, token: ghp_x }\n`,
    );
    expect(withProvider).not.toBe(yaml);
    const ok = await variant(code, withProvider);
    const r = await gantry([...ok.args, 'validate', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
  });
});
