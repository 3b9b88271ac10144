import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** A Kubernetes object as read from YAML. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The module of the maintained models (kubernetes-models and its Flux CD and Argo CD siblings,
 * generated from the Kubernetes OpenAPI document and the projects' CRDs) for an apiVersion.
 */
export function modelModule(apiVersion: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group?.endsWith('.toolkit.fluxcd.io')) return `@kubernetes-models/flux-cd/${group}/${version}`;
  if (group === 'argoproj.io') return `@kubernetes-models/argo-cd/${group}/${version}`;
  return group === '' ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
}

/**
 * Validates objects against their API schemas (the models' JSON schema validators: required
 * fields, types, formats, enums). Returns one message per problem.
 */
export async function schemaProblems(objects: readonly KubeObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const o of objects) {
    const where = `${o.kind}/${o.metadata?.name ?? '?'}`;
    const mod = (await import(modelModule(o.apiVersion)).catch(() => ({}))) as Record<
      string,
      (new (data: unknown) => { validate(): void }) | undefined
    >;
    const Model = mod[o.kind];
    if (!Model) {
      problems.push(`${where}: no schema for ${o.apiVersion} ${o.kind}`);
      continue;
    }
    try {
      new Model(o).validate();
    } catch (e) {
      problems.push(`${where}: ${(e as Error).message}`);
    }
  }
  return problems;
}

/**
 * The JSON schemas accept fields they do not know (a misspelt `readinesProbe` would pass, and
 * the API server would drop it). The models' TypeScript interfaces do not: each object is
 * type-checked as an object literal of its interface, where an unknown field anywhere is an
 * excess-property error naming it.
 */
export function unknownFieldProblems(objects: readonly KubeObject[]): string[] {
  const file = join(ROOT, 'test/deploy/__manifests__.ts');
  const imports = new Map<string, string>();
  const lines = objects.map((o, i) => {
    const alias = `T${i}`;
    imports.set(alias, `import type { I${o.kind} as ${alias} } from '${modelModule(o.apiVersion)}';`);
    return `// ${o.kind}/${o.metadata?.name ?? '?'}\nexport const o${i}: ${alias} = ${JSON.stringify(o, null, 2)};`;
  });
  const source = `${[...imports.values()].join('\n')}\n${lines.join('\n')}\n`;
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return text;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    // the comment above each object names it
    const owner = source
      .split('\n')
      .slice(0, line + 1)
      .reverse()
      .find((l) => l.startsWith('// '));
    return `${owner?.slice(3) ?? '?'}: ${text}`;
  });
}
