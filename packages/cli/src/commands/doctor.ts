import type { Runtime } from '@gantry/config';
import { GantryError } from '@gantry/core';
import pc from 'picocolors';
import type { CheckResult, CheckStatus } from '../doctor/checks.js';
import {
  dataDirCheck,
  databaseCheck,
  gitCheck,
  nodeCheck,
  registryCheck,
  repositoryCheck,
  webhookCheck,
} from '../doctor/checks.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import type { GlobalOptions } from '../runtime.js';
import { openCliRuntime } from '../runtime.js';

export interface DoctorFlags {
  readonly json?: boolean;
}

/** Everything that needs the configuration: run only when it loaded. */
async function configuredChecks(io: Io, rt: Runtime, gitOk: boolean): Promise<CheckResult[]> {
  const c = rt.loaded.config;
  const dir = rt.loaded.dir;
  const dataDir = await dataDirCheck(rt.dataDir);
  // remotes are asked at once: one slow host must not make the others wait
  const [repositories, registries, database] = await Promise.all([
    Promise.all(
      Object.entries(c.repositories ?? {}).map(([name, r]) =>
        gitOk
          ? repositoryCheck(dir, name, r)
          : Promise.resolve<CheckResult>({
              check: 'repository',
              subject: name,
              status: 'fail',
              detail: 'not checked: git is missing or too old',
              fix: 'fix git first',
            }),
      ),
    ),
    Promise.all(
      Object.entries(c.registries ?? {}).map(([name, r]) => registryCheck(dir, name, r, io.env as NodeJS.ProcessEnv)),
    ),
    databaseCheck(rt),
  ]);
  const webhooks = database.tokens === undefined ? [] : [webhookCheck(rt, database.tokens)];
  return [dataDir, ...repositories, ...registries, database.result, ...webhooks];
}

/**
 * `gantry doctor`: checks what running Gantry here needs (Node.js, git, the configuration, the
 * data directory, every repository and registry with its credentials, the database, webhook
 * secrets beside API tokens) and says what to fix. Exit 0 when nothing failed (warnings
 * allowed), 2 (invalid setup) otherwise.
 */
export async function doctorCommand(io: Io, g: GlobalOptions, o: DoctorFlags): Promise<number> {
  const results: CheckResult[] = [nodeCheck()];
  const git = await gitCheck(io.env);
  results.push(git);
  let rt: Runtime | undefined;
  try {
    rt = await openCliRuntime(io, g, 'silent', { needsGit: false });
    const phases = rt.system.pipelines.reduce((n, p) => n + p.phases.length, 0);
    results.push({
      check: 'config',
      status: 'ok',
      detail: `${rt.loaded.file ?? io.cwd}: ${rt.system.pipelines.length} pipeline(s), ${phases} phase(s)`,
    });
  } catch (e) {
    results.push({
      check: 'config',
      status: 'fail',
      detail: e instanceof Error ? e.message : String(e),
      fix: 'gantry validate shows each problem with its file, line and field',
      ...(e instanceof GantryError ? { code: e.code } : {}),
    });
  }
  if (rt) {
    try {
      results.push(...(await configuredChecks(io, rt, git.status === 'ok')));
    } finally {
      await rt.close();
    }
  }
  const ok = results.every((r) => r.status !== 'fail');
  if (o.json) io.out(toJson({ ok, checks: results }));
  else io.out(render(results, io.color));
  return ok ? EXIT.ok : EXIT.invalid;
}

function render(results: readonly CheckResult[], color: boolean): string {
  const c = color ? pc : pc.createColors(false);
  const paint: Record<CheckStatus, (s: string) => string> = { ok: c.green, warn: c.yellow, fail: c.red };
  const names = results.map((r) => (r.subject ? `${r.check} ${r.subject}` : r.check));
  const width = Math.max(...names.map((n) => n.length));
  const lines = results.map((r, i) => {
    const head = `${paint[r.status](r.status.padEnd(4))}  ${(names[i] ?? '').padEnd(width)}  `;
    const detail = r.detail.split('\n').join(`\n${' '.repeat(width + 8)}`);
    const fix = r.status !== 'ok' && r.fix ? `\n${' '.repeat(width + 8)}${c.dim('fix:')} ${r.fix}` : '';
    return `${head}${detail}${fix}`;
  });
  const count = (s: CheckStatus) => results.filter((r) => r.status === s).length;
  const summary = `${results.length} checks: ${count('ok')} ok, ${count('warn')} warning(s), ${count('fail')} failed`;
  return `${lines.join('\n')}\n${summary}\n`;
}
