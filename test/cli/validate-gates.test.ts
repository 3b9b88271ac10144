import { generateKeyPairSync } from 'node:crypto';
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

const pem = (type: 'ec' | 'ed25519', namedCurve?: string) =>
  generateKeyPairSync(type as 'ec', { namedCurve: namedCurve ?? 'P-256' })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();

/** PEM-shaped, so the gate's own schema takes it, but no key inside. */
const GARBLED = '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PUBLIC KEY-----\n';
const P384 = pem('ec', 'P-384');
const P256 = pem('ec', 'P-256');
const indent = (text: string, by: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => `${by}${l}`)
    .join('\n');

describe('gantry validate checks gates: signature keys parse, and gates as code are checked as YAML ones are', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let dir: string;
  let config: string;
  let yaml: string;
  let n = 0;

  beforeAll(async () => {
    root = await tempDir('gantry-validate-gates-');
    dir = join(root.path, 'sandbox');
    const init = await gantry(['sandbox', 'init', dir], root.path);
    expect(init.code, init.stderr).toBe(0);
    config = await readFile(join(dir, 'gantry.config.ts'), 'utf8');
    yaml = await readFile(join(dir, 'gantry.yaml'), 'utf8');
  });
  afterAll(() => root.remove());

  /**
   * The gate problems `gantry validate` reports: none when it passes. (Other problems, such as
   * the type check of an SDK build in progress, are not this test's concern.)
   */
  async function gateIssues(args: string[]): Promise<string[]> {
    const r = await gantry([...args, 'validate', '--json'], dir);
    if (r.code === 0) return [];
    return (json<ErrorJson>(r).error.issues ?? []).filter((i) => i.path.includes('.gates[')).map((i) => i.message);
  }

  /** A gantry.yaml beside the sandbox's (its pipelines as code too, unless `code` replaces them). */
  async function variant(o: {
    yamlTail?: string;
    code?: string;
  }): Promise<{ args: string[]; yamlFile: string; codeFile: string }> {
    n += 1;
    const codeFile = join(dir, `variant-${n}.config.ts`);
    await writeFile(codeFile, o.code ?? config);
    const yamlFile = join(dir, `variant-${n}.yaml`);
    await writeFile(yamlFile, `${yaml}pipelinesFile: variant-${n}.config.ts\n${o.yamlTail ?? ''}`);
    return { args: ['--config', yamlFile], yamlFile, codeFile };
  }

  it('GIVEN YAML signature gates whose keys do not parse (garbled, P-384) WHEN validated THEN exit 2 naming file, line and field of each; a P-256 key passes', async () => {
    const tail = `pipelines:
  - name: signed
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: sandbox, repository: app, select: { by: tag, tag: latest } }
      - name: prod
        promotesFrom: oci
        source: { type: git, repository: config, path: env/production/deployment.yaml, updater: { type: kubernetes-image, container: app } }
        gates:
          - kind: signature
            name: cosign
            keys:
              - id: good
                publicKey: |
${indent(P256, '                  ')}
              - id: garbled
                publicKey: |
${indent(GARBLED, '                  ')}
              - id: wide
                publicKey: |
${indent(P384, '                  ')}
`;
    const { args, yamlFile } = await variant({ yamlTail: tail });
    const text = await readFile(yamlFile, 'utf8');
    const r = await gantry([...args, 'validate', '--json'], dir);
    expect(r.code, r.stderr).toBe(2);
    const issues = json<ErrorJson>(r).error.issues ?? [];
    const keys = issues.filter((i) => i.path.includes('.gates['));
    const garbledLine = lineOf(text, '- id: garbled') + 1;
    const wideLine = lineOf(text, '- id: wide') + 1;
    expect(keys).toEqual([
      expect.objectContaining({
        path: 'pipelines[0].phases[1].gates[0].keys[1].publicKey',
        file: yamlFile,
        line: garbledLine,
        message: expect.stringMatching(/^the public key "garbled" does not parse as a public key/),
      }),
      expect.objectContaining({
        path: 'pipelines[0].phases[1].gates[0].keys[2].publicKey',
        file: yamlFile,
        line: wideLine,
        message: 'the public key "wide" is a ec (secp384r1) key; Gantry verifies ECDSA P-256 and Ed25519',
      }),
    ]);
    // in words, as a person reads it: file:line and the field
    const words = await gantry([...args, 'validate'], dir);
    expect(words.stderr).toContain(`${yamlFile}:${garbledLine}:`);
    expect(words.stderr).toContain('[pipelines[0].phases[1].gates[0].keys[1].publicKey]');

    // only the P-256 key: valid
    const good = tail.slice(0, tail.indexOf('              - id: garbled'));
    expect(await gateIssues((await variant({ yamlTail: good })).args)).toEqual([]);
  });

  it('GIVEN gates in gantry.config.ts with an unknown time zone and a key that does not parse WHEN validated THEN both are refused at their lines, as YAML gates are', async () => {
    const code = config.replace(
      "  message: 'release {{version}} to production',\n",
      `  message: 'release {{version}} to production',
  gates: [
    { kind: 'approval', count: 1, roles: ['admin'] },
    { kind: 'window', name: 'office-hours', timeZone: 'Mars/Olympus', allow: [{ days: 'mon-fri', from: '09:00', to: '17:00' }] },
    {
      kind: 'signature',
      keys: [
        { id: 'release', publicKey: \`${P384}\` },
      ],
    },
  ],
`,
    );
    expect(code).toContain("timeZone: 'Mars/Olympus'");
    const { args, codeFile } = await variant({ code });
    const r = await gantry([...args, 'validate', '--json'], dir);
    expect(r.code, r.stderr).toBe(2);
    const issues = (json<ErrorJson>(r).error.issues ?? []).filter((i) => i.path.includes('.gates['));
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'pipelines[0](app).phases[2](production).gates[1].timeZone',
        file: codeFile,
        line: lineOf(code, "'Mars/Olympus'"),
        message: expect.stringContaining('Mars/Olympus'),
      }),
      expect.objectContaining({
        path: 'pipelines[0](app).phases[2](production).gates[2].keys[0].publicKey',
        file: codeFile,
        line: lineOf(code, "id: 'release'"),
        message: 'the public key "release" is a ec (secp384r1) key; Gantry verifies ECDSA P-256 and Ed25519',
      }),
    ]);

    // fixed, the same gates as code are valid
    const fixed = code.replace('Mars/Olympus', 'Europe/Paris').replace(P384, P256);
    expect(await gateIssues((await variant({ code: fixed })).args)).toEqual([]);
  });
});
