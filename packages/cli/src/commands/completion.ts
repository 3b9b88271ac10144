import type { Command } from 'commander';
import type { NameSource } from '../completion/complete.js';
import { complete } from '../completion/complete.js';
import type { Shell } from '../completion/scripts.js';
import { completionScript } from '../completion/scripts.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import type { GlobalOptions } from '../runtime.js';

/** `gantry completion <shell>`: the script to source. */
export function completionCommand(io: Io, shell: Shell): number {
  io.out(completionScript(shell));
  return EXIT.ok;
}

/**
 * Pipeline and phase names from the configuration. YAML pipelines are read from gantry.yaml alone
 * (no runtime, no TypeScript); only a gantry.config.ts makes it load the pipelines as code.
 */
function configNames(io: Io, g: GlobalOptions): NameSource {
  let loaded: Promise<Map<string, readonly string[]>> | undefined;
  const load = async () => {
    // loaded only when names are wanted: completing a command or a flag starts nothing more
    const { findPipelinesFile, loadConfig } = await import('@gantry/config');
    const { openCliRuntime } = await import('../runtime.js');
    const config = await loadConfig({ cwd: io.cwd, env: io.env, ...(g.config ? { file: g.config } : {}) });
    const byName = new Map<string, readonly string[]>(
      (config.config.pipelines ?? []).map((p) => [p.name, p.phases.map((ph) => ph.name)]),
    );
    if (findPipelinesFile(config.dir, config.config.pipelinesFile)) {
      const rt = await openCliRuntime(io, g, 'silent', { needsGit: false });
      try {
        for (const p of rt.system.pipelines)
          byName.set(
            p.name,
            p.phases.map((ph) => ph.name),
          );
      } finally {
        await rt.close();
      }
    }
    return byName;
  };
  const names = () => {
    loaded ??= load().catch(() => new Map());
    return loaded;
  };
  return {
    pipelines: async () => [...(await names()).keys()],
    phases: async (pipeline) => (await names()).get(pipeline) ?? [],
  };
}

/** Hidden `gantry __complete -- <words>`: one candidate a line, for the completion scripts. Never fails. */
export async function completeCommand(io: Io, program: Command, g: GlobalOptions, words: string[]): Promise<number> {
  // `--config file` typed on the command line names the configuration the names come from
  const at = words.findIndex((w) => w === '-c' || w === '--config');
  const given = at >= 0 && at < words.length - 2 ? { ...g, config: words[at + 1] as string } : g;
  try {
    for (const c of await complete(program, words.length > 0 ? words : [''], configNames(io, given))) io.out(`${c}\n`);
  } catch {
    // a completion prints nothing rather than an error into the user's command line
  }
  return EXIT.ok;
}
