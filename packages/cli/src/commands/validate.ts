import type { TypecheckResult } from '@gantry/config';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import type { GlobalOptions } from '../runtime.js';
import { openCliRuntime } from '../runtime.js';

/** How the type check went, for --json. */
function typecheckJson(t: TypecheckResult | undefined) {
  if (!t) return { checked: false, reason: 'no gantry.config.ts' };
  if (t.kind === 'skipped') return { checked: false, file: t.file, reason: t.reason };
  return { checked: true, file: t.file, typescript: t.typescript.version, tsconfig: t.tsconfig ?? null };
}

/**
 * Loads and checks everything without touching a remote: gantry.yaml, gantry.config.ts
 * type-checked by the TypeScript compiler when one is installed, and every repository,
 * registry, branch and path the pipelines name. Errors exit 2 with every issue.
 */
export async function validateCommand(io: Io, g: GlobalOptions, o: { json?: boolean }): Promise<number> {
  const rt = await openCliRuntime(io, g, 'warn', { typecheck: true, needsGit: false });
  try {
    const pipelines = rt.system.pipelines.map((p) => ({
      name: p.name,
      resource: p.resource.kind,
      phases: p.phases.map((ph) => ({ name: ph.name, promotesFrom: ph.promotesFrom, source: ph.source.describe() })),
    }));
    const files = [rt.loaded.file, rt.pipelinesFile].filter((f): f is string => f !== undefined);
    if (o.json) {
      io.out(toJson({ valid: true, files, typecheck: typecheckJson(rt.typecheck), pipelines }));
      return EXIT.ok;
    }
    const phases = pipelines.reduce((n, p) => n + p.phases.length, 0);
    io.out(`valid: ${pipelines.length} pipeline(s), ${phases} phase(s) in ${files.join(', ') || 'defaults'}\n`);
    const t = rt.typecheck;
    if (t?.kind === 'checked') io.out(`type-checked ${t.file} with TypeScript ${t.typescript.version}\n`);
    // said, not failed: a project without TypeScript still gets every other check
    if (t?.kind === 'skipped') io.err(`note: ${t.file} was not type-checked: ${t.reason}\n`);
    return EXIT.ok;
  } finally {
    await rt.close();
  }
}
