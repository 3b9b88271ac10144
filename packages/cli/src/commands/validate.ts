import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import type { GlobalOptions } from '../runtime.js';
import { withRuntime } from '../runtime.js';

/** Loads and checks everything without touching a remote; errors exit 2 with every issue. */
export async function validateCommand(io: Io, g: GlobalOptions, o: { json?: boolean }): Promise<number> {
  return withRuntime(io, g, async (rt) => {
    const pipelines = rt.system.pipelines.map((p) => ({
      name: p.name,
      resource: p.resource.kind,
      phases: p.phases.map((ph) => ({ name: ph.name, promotesFrom: ph.promotesFrom, source: ph.source.describe() })),
    }));
    const files = [rt.loaded.file, rt.pipelinesFile].filter((f): f is string => f !== undefined);
    if (o.json) io.out(toJson({ valid: true, files, pipelines }));
    else {
      const phases = pipelines.reduce((n, p) => n + p.phases.length, 0);
      io.out(`valid: ${pipelines.length} pipeline(s), ${phases} phase(s) in ${files.join(', ') || 'defaults'}\n`);
    }
    return EXIT.ok;
  });
}
