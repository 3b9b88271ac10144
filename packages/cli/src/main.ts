import { Command, CommanderError, Option } from 'commander';
import type { StatusFlags } from './commands/status.js';
import type { Io } from './io.js';
import { EXIT, processIo } from './io.js';
import { exitCodeFor } from './exit-code.js';
import { errorJson, renderError } from './render-error.js';
import type { GlobalOptions } from './runtime.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

// Commands load on use: `gantry --help` or `validate` need not import the server, the store and
// their drivers (about a second of module loading on a small machine).
const commands = {
  demo: () => import('./commands/demo.js'),
  diff: () => import('./commands/diff.js'),
  history: () => import('./commands/history.js'),
  promote: () => import('./commands/promote.js'),
  sandbox: () => import('./commands/sandbox.js'),
  serve: () => import('./commands/serve.js'),
  status: () => import('./commands/status.js'),
  token: () => import('./commands/token.js'),
  validate: () => import('./commands/validate.js'),
};

/** Builds the `gantry` command tree; every action resolves to an exit code. */
export function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const program = new Command('gantry')
    .description('Deployment coordination as code: versions flowing through GitOps environments.')
    .option('-c, --config <file>', 'gantry.yaml to use (default: ./gantry.yaml, or GANTRY_CONFIG)')
    .addOption(new Option('--log-level <level>', 'log level on stderr (default warn)').choices(LOG_LEVELS))
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  const g = (): GlobalOptions => program.opts<GlobalOptions>();
  const act =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A) =>
      setCode(await fn(...args));

  program
    .command('validate')
    .description('check gantry.yaml and gantry.config.ts; every problem with file, line and field')
    .option('--json', 'machine-readable output')
    .action(act((o: { json?: boolean }) => commands.validate().then((m) => m.validateCommand(io, g(), o))));
  program
    .command('status [pipeline]')
    .description('per phase: version, the commit that set it, its age, in sync or behind')
    .option('--json', 'machine-readable output')
    .option('--cached', "remote mode: the server's last observation, without reading Git and registries now")
    .action(
      act((pipeline: string | undefined, o: StatusFlags) =>
        commands.status().then((m) => m.statusCommand(io, g(), pipeline, o)),
      ),
    );
  program
    .command('diff <pipeline> <phase>')
    .description('what promoting <phase> from its upstream would change')
    .option('--json', 'the plan as JSON')
    .action(
      act((pipeline: string, phase: string, o: { json?: boolean }) =>
        commands.diff().then((m) => m.diffCommand(io, g(), pipeline, phase, o)),
      ),
    );
  program
    .command('promote <pipeline> <phase>')
    .description("copy the upstream phase's version into <phase>: commit and push")
    .option('--dry-run', 'plan and show the diff, write nothing')
    .option('--wait', 'remote mode: follow the promotion until it settles (exit 1 if it fails)')
    .option('--json', 'the outcome as JSON')
    .action(
      act((pipeline: string, phase: string, o: { dryRun?: boolean; json?: boolean; wait?: boolean }) =>
        commands.promote().then((m) => m.promoteCommand(io, g(), pipeline, phase, o)),
      ),
    );
  program
    .command('history <pipeline> [phase]')
    .description('promotions recorded by the server: who, when, from -> to, commit, result')
    .option('--limit <n>', 'entries per page (20)')
    .option('--cursor <cursor>', 'the next page, as printed')
    .option('--json', 'machine-readable output')
    .action(
      act((pipeline: string, phase: string | undefined, o: { json?: boolean; limit?: string; cursor?: string }) =>
        commands.history().then((m) => m.historyCommand(io, g(), pipeline, phase, o)),
      ),
    );
  program
    .command('serve')
    .description('run the server: API, dashboard, webhooks, schedules')
    .option('--port <port>', 'port (server.port, default 8080)')
    .option('--host <host>', 'address (server.host, default 127.0.0.1)')
    .action(act((o: { port?: string; host?: string }) => commands.serve().then((m) => m.serveCommand(io, g(), o))));
  const token = program.command('token').description('API tokens (stored hashed)');
  token
    .command('create')
    .requiredOption('--name <name>', 'who or what uses it, e.g. ci')
    .addOption(
      new Option('--role <role>', 'what it may do').choices(['viewer', 'promoter', 'admin']).makeOptionMandatory(),
    )
    .option('--json', 'machine-readable output')
    .action(
      act((o: { name: string; role: 'viewer' | 'promoter' | 'admin'; json?: boolean }) =>
        commands.token().then((m) => m.tokenCreateCommand(io, g(), o)),
      ),
    );
  token
    .command('list')
    .option('--json', 'machine-readable output')
    .action(act((o: { json?: boolean }) => commands.token().then((m) => m.tokenListCommand(io, g(), o))));
  token
    .command('revoke <id>')
    .action(act((id: string) => commands.token().then((m) => m.tokenRevokeCommand(io, g(), id))));
  const sandbox = program.command('sandbox').description('a local config repository and registry to try Gantry');
  sandbox
    .command('init <dir>')
    .description('create a ready-to-run sandbox in <dir>')
    .option('--yaml', 'pipelines in gantry.yaml instead of gantry.config.ts')
    .option('--json', 'machine-readable output')
    .action(
      act((dir: string, o: { yaml?: boolean; json?: boolean }) =>
        commands.sandbox().then((m) => m.sandboxInitCommand(io, dir, o)),
      ),
    );
  sandbox
    .command('push <dir>')
    .description('publish a new version of the sandbox app image')
    .option('--json', 'machine-readable output')
    .action(
      act((dir: string, o: { json?: boolean }) => commands.sandbox().then((m) => m.sandboxPushCommand(io, dir, o))),
    );
  program
    .command('demo')
    .description("Gantry's main job on the embedded sandbox (.gantry/sandbox): status, push, diff, promote")
    .option('--dir <dir>', 'sandbox directory')
    .option('--serve', 'then serve the API and dashboard on the sandbox until Ctrl-C')
    .option('--port <port>', 'port for --serve (8080)')
    .action(
      act((o: { dir?: string; serve?: boolean; port?: string }) => commands.demo().then((m) => m.demoCommand(io, o))),
    );
  return program;
}

/** Runs one command line; returns the exit code. Only bin/gantry.js exits the process. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.invalid;
    if (argv.includes('--json')) io.out(errorJson(e));
    io.err(renderError(e, io.color));
    return exitCodeFor(e);
  }
}
