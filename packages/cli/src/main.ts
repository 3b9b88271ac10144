import { Argument, Command, CommanderError, Option } from 'commander';
import type { SandboxDeployFlags } from './commands/sandbox.js';
import type { StatusFlags } from './commands/status.js';
import type { TrackFlags } from './commands/track.js';
import type { Io } from './io.js';
import { EXIT, processIo } from './io.js';
import { gantryVersion } from '@gantry/config/version';
import type { ArtifactListFlags, ArtifactReportFlags, ArtifactStepFlags } from './commands/artifact.js';
import type { DecideFlags } from './commands/decide.js';
import type { HoldFlags } from './commands/holds.js';
import type { OverrideFlags } from './commands/override.js';
import type { WhyFlags } from './commands/why.js';
import type { MetricsFlags } from './commands/metrics.js';
import type { ChainFlags } from './commands/chain.js';
import type { ReleaseFlags } from './commands/release.js';
import type { RollbackFlags } from './commands/rollback.js';
import type { GlobalOptions } from './runtime.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

// Commands load on use: `gantry --help` or `validate` need not import the server, the store and
// their drivers (about a second of module loading on a small machine).
const commands = {
  artifact: () => import('./commands/artifact.js'),
  chain: () => import('./commands/chain.js'),
  decide: () => import('./commands/decide.js'),
  completion: () => import('./commands/completion.js'),
  demo: () => import('./commands/demo.js'),
  diff: () => import('./commands/diff.js'),
  doctor: () => import('./commands/doctor.js'),
  history: () => import('./commands/history.js'),
  metrics: () => import('./commands/metrics.js'),
  holds: () => import('./commands/holds.js'),
  override: () => import('./commands/override.js'),
  promote: () => import('./commands/promote.js'),
  release: () => import('./commands/release.js'),
  rollback: () => import('./commands/rollback.js'),
  sandbox: () => import('./commands/sandbox.js'),
  serve: () => import('./commands/serve.js'),
  status: () => import('./commands/status.js'),
  token: () => import('./commands/token.js'),
  track: () => import('./commands/track.js'),
  validate: () => import('./commands/validate.js'),
  verify: () => import('./commands/verify.js'),
  why: () => import('./commands/why.js'),
};

/** Builds the `gantry` command tree; every action resolves to an exit code. */
export function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const program = new Command('gantry')
    .description('Deployment coordination as code: versions flowing through GitOps environments.')
    // `-V, --version` is answered in main() when it is the whole command line: a program option of
    // that name would take `release --version <v>` and `override --version <v>` from their commands
    .addHelpText('after', '\n  gantry -V, --version   the version of gantry')
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
    .command('promote <pipeline> [phase]')
    .description(
      "copy the upstream phase's version into <phase>: commit and push; without <phase>, the next phase behind its upstream",
    )
    .option('--dry-run', 'plan and show the diff, write nothing')
    .option('--wait', 'remote mode: follow the promotion until it settles (exit 1 if it fails)')
    .option('--reason <text>', 'why, in your words: recorded on the promotion and shown in its history')
    .option(
      '--timeout <duration>',
      'with --wait: stop following after this long, e.g. 30s, 10m (default: wait); still not settled exits 3 (waiting on gates) or 1',
    )
    .option('--json', 'the outcome as JSON')
    .action(
      act(
        (
          pipeline: string,
          phase: string | undefined,
          o: { dryRun?: boolean; json?: boolean; wait?: boolean; reason?: string; timeout?: string },
        ) => commands.promote().then((m) => m.promoteCommand(io, g(), pipeline, phase, o)),
      ),
    );
  program
    .command('release <pipeline> <phase>')
    .description(
      "release a given version into <phase> (a person's release: it pins the phase when not the upstream's version): " +
        'exactly one of --version, --digest, --branch, --artifact',
    )
    .option(
      '--version <version>',
      'the version by its name where <phase> takes versions from (an image tag, a chart version)',
    )
    .option('--digest <digest>', 'the version by its digest (sha256:...)')
    .option('--branch <branch>', 'the newest build CI reported from this branch (artifact reports)')
    .option('--artifact <id>', 'the build of this artifact report')
    .option('--reason <text>', 'why, in your words: recorded on the promotion and in the commit (Gantry-Reason)')
    .option('--wait', 'remote mode: follow the promotion until it settles (exit 1 if it fails)')
    .option('--json', 'the outcome as JSON')
    .action(
      act((pipeline: string, phase: string, o: ReleaseFlags) =>
        commands.release().then((m) => m.releaseCommand(io, g(), pipeline, phase, o)),
      ),
    );
  program
    .command('rollback <pipeline> <phase>')
    .description(
      'restore an earlier version of <phase> as a new commit that says so (and pins the phase): ' +
        'by default the version before the current one',
    )
    .option(
      '--to <promotion-or-version>',
      'the promotion whose version to restore (its id, or 8+ characters of it), or a version <phase> ran',
    )
    .option('--reason <text>', 'why, in your words: recorded on the promotion and in the commit (Gantry-Reason)')
    .option('--wait', 'remote mode: follow the promotion until it settles (exit 1 if it fails)')
    .option('--json', 'the outcome as JSON')
    .action(
      act((pipeline: string, phase: string, o: RollbackFlags) =>
        commands.rollback().then((m) => m.rollbackCommand(io, g(), pipeline, phase, o)),
      ),
    );
  program
    .command('approve <promotion-id>')
    .description('approve the version a waiting promotion carries (its gates are judged again at once)')
    .option('--comment <text>', 'why, recorded with the approval')
    .option('--json', 'the promotion as JSON')
    .action(
      act((id: string, o: DecideFlags) => commands.decide().then((m) => m.decideCommand(io, g(), 'approve', id, o))),
    );
  program
    .command('reject <promotion-id>')
    .description('reject the version a waiting promotion carries: it fails, and the version is blocked there')
    .requiredOption('--comment <text>', 'why (required)')
    .option('--json', 'the promotion as JSON')
    .action(
      act((id: string, o: DecideFlags) => commands.decide().then((m) => m.decideCommand(io, g(), 'reject', id, o))),
    );
  program
    .command('override <pipeline> <phase> <gate>')
    .description(
      'let versions through a closed window or a freeze of <gate> (admins), with a reason shown on the verdict and in the audit log',
    )
    .requiredOption('--reason <text>', 'why (required)')
    .option('--version <version>', 'only this version (a tag or a digest; default: any version)')
    .option('--expires <when>', 'a duration from now (4h) or an ISO 8601 date-time (default: never)')
    .option('--json', 'the override and the released promotions as JSON')
    .action(
      act((pipeline: string, phase: string, gate: string, o: OverrideFlags) =>
        commands.override().then((m) => m.overrideCommand(io, g(), pipeline, phase, gate, o)),
      ),
    );
  program
    .command('why <pipeline> <phase>')
    .description(
      "why a version is (not) in <phase>: every gate's verdict with its evidence and what would unblock it, " +
        'the pins and pauses in force, the promotions not settled',
    )
    .option('--digest <digest>', "the version to explain (default: the upstream's)")
    .option(
      '--as <who>',
      'who would ask: automation (default; what auto-promotion meets) or person (your own release by hand)',
    )
    .option('--json', 'machine-readable output')
    .action(
      act((pipeline: string, phase: string, o: WhyFlags) =>
        commands.why().then((m) => m.whyCommand(io, g(), pipeline, phase, o)),
      ),
    );
  program
    .command('pin <pipeline> <phase>')
    .description('keep <phase> at its version: automation (policies, schedules, webhooks) leaves it until unpinned')
    .requiredOption('--reason <text>', 'why (required; shown with the pin)')
    .option('--digest <digest>', 'the version the pin names (default: the one the phase holds now)')
    .option('--json', 'the pin as JSON')
    .action(
      act((pipeline: string, phase: string, o: HoldFlags) =>
        commands.holds().then((m) => m.holdCommand(io, g(), { action: 'pin', pipeline, phase }, o)),
      ),
    );
  program
    .command('unpin <pipeline> <phase>')
    .description("release <phase>'s pin: automation may move it again")
    .option('--reason <text>', 'why (recorded in the audit log)')
    .option('--json', 'the released pin as JSON')
    .action(
      act((pipeline: string, phase: string, o: HoldFlags) =>
        commands.holds().then((m) => m.holdCommand(io, g(), { action: 'unpin', pipeline, phase }, o)),
      ),
    );
  program
    .command('pause <pipeline> [phase]')
    .description('stop automation in a pipeline, or in one phase of it, until resumed; a person may still promote')
    .requiredOption('--reason <text>', 'why (required; shown with the pause)')
    .option('--json', 'the pause as JSON')
    .action(
      act((pipeline: string, phase: string | undefined, o: HoldFlags) =>
        commands
          .holds()
          .then((m) =>
            m.holdCommand(io, g(), { action: 'pause', pipeline, ...(phase !== undefined ? { phase } : {}) }, o),
          ),
      ),
    );
  program
    .command('resume <pipeline> [phase]')
    .description('release a pause of the pipeline (or of the phase)')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .option('--json', 'the released pause as JSON')
    .action(
      act((pipeline: string, phase: string | undefined, o: HoldFlags) =>
        commands
          .holds()
          .then((m) =>
            m.holdCommand(io, g(), { action: 'resume', pipeline, ...(phase !== undefined ? { phase } : {}) }, o),
          ),
      ),
    );
  program
    .command('history [pipeline] [phase]')
    .description(
      'promotions recorded by a server or a local promote alike: id, when, from -> to, who, state, deployment/verification, commit, reason',
    )
    .option('--limit <n>', 'entries per page (20)')
    .option('--cursor <cursor>', 'the next page, as printed')
    .option('--json', 'machine-readable output')
    .action(
      act(
        (
          pipeline: string | undefined,
          phase: string | undefined,
          o: { json?: boolean; limit?: string; cursor?: string },
        ) => commands.history().then((m) => m.historyCommand(io, g(), pipeline, phase, o)),
      ),
    );
  program
    .command('metrics [pipeline]')
    .description(
      'delivery metrics per phase over a period: deployment frequency, lead time for changes, ' +
        'change failure rate, time to restore (default: the last 30 days)',
    )
    .option('--phase <phase>', 'only this phase (of <pipeline>, or of every pipeline)')
    .option('--since <span>', 'the period before now (or --to): 30d, 12w, 24h (30d)')
    .option('--from <time>', 'start of the period (inclusive): 2025-03-01 or ISO 8601')
    .option('--to <time>', 'end of the period (exclusive; default now)')
    .addOption(
      new Option('--bucket <bucket>', 'series bucket in --json (default day up to 92 days)').choices(['day', 'week']),
    )
    .option('--json', 'machine-readable output, with the series')
    .action(
      act((pipeline: string | undefined, o: MetricsFlags) =>
        commands.metrics().then((m) => m.metricsCommand(io, g(), pipeline, o)),
      ),
    );
  program
    .command('chain <pipeline> <phase>')
    .description(
      'how a version got into a phase (default: what it runs now): source commit, CI run and steps, image, ' +
        'config commit, applied, healthy, verified, with who, when and links',
    )
    .option('--version <version>', 'a version as shown (tag, chart version) the phase held')
    .option('--digest <digest>', "the version's digest")
    .option('--json', 'machine-readable output')
    .action(
      act((pipeline: string, phase: string, o: ChainFlags) =>
        commands.chain().then((m) => m.chainCommand(io, g(), pipeline, phase, o)),
      ),
    );
  program
    .command('track <promotion-or-pipeline> [phase]')
    .description(
      'follow a promotion until its version is verified (exit 0), fails (1) or --timeout passes (2): ' +
        '<promotion-id>, or <pipeline> <phase> for its promotion to --digest/--commit (else the newest)',
    )
    .option('--digest <digest>', "the promoted version's digest (or 7+ characters of it)")
    .option('--commit <sha>', 'the config commit Gantry wrote (or, for Git commits, the promoted commit)')
    .option('--timeout <duration>', 'give up after this long, e.g. 30s, 10m (10m)')
    .option('--json', 'one JSON object per line: each state change, then the result')
    .action(
      act((first: string, phase: string | undefined, o: TrackFlags) =>
        commands.track().then((m) => m.trackCommand(io, g(), first, phase, o)),
      ),
    );
  program
    .command('verify <promotion-id>')
    .description("run a promotion's verification again and follow it like track (0 verified, 1 failed, 2 timeout)")
    .option('--timeout <duration>', 'give up after this long, e.g. 30s, 10m (10m)')
    .option('--json', 'one JSON object per line: each state change, then the result')
    .action(
      act((id: string, o: { timeout?: string; json?: boolean }) =>
        commands.verify().then((m) => m.verifyCommand(io, g(), id, o)),
      ),
    );
  program
    .command('doctor')
    .description(
      'check what running Gantry here needs: Node.js, git, the configuration, the data directory, every ' +
        'repository and registry with its credentials, the database, webhook secrets; say what to fix',
    )
    .option('--json', 'machine-readable output')
    .action(act((o: { json?: boolean }) => commands.doctor().then((m) => m.doctorCommand(io, g(), o))));
  program
    .command('completion')
    .description('print the shell completion script: eval "$(gantry completion bash)", zsh, fish')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .action(act((shell: 'bash' | 'zsh' | 'fish') => commands.completion().then((m) => m.completionCommand(io, shell))));
  program
    .command('__complete', { hidden: true })
    .description('candidates for the last word, one a line (used by the completion scripts)')
    .argument('[words...]')
    .allowUnknownOption()
    .helpOption(false)
    .action(act((words: string[]) => commands.completion().then((m) => m.completeCommand(io, program, g(), words))));
  program
    .command('serve')
    .description('run the server: API, dashboard, webhooks, schedules')
    .option('--port <port>', 'port (server.port, default 8080)')
    .option('--host <host>', 'address (server.host, default 127.0.0.1)')
    .action(act((o: { port?: string; host?: string }) => commands.serve().then((m) => m.serveCommand(io, g(), o))));
  const artifact = program
    .command('artifact')
    .description('what CI built: image digest or chart version, source commit, CI run and its steps');
  const collect = (v: string, all: string[] = []) => [...all, v];
  artifact
    .command('report')
    .description(
      'report a build (remote mode: a token of role ci or above); source fields default from GitHub Actions or GitLab CI and the checkout',
    )
    .option('--image <ref>', 'image reference, e.g. ghcr.io/acme/app')
    .option('--digest <digest>', 'the manifest digest the build pushed')
    .option('--chart <chart>', 'a chart instead: its name, or oci://host/repository')
    .option('--version <version>', "the chart's version")
    .option('--pipeline <name>', 'the pipeline it is for (default: those whose source reads the image)')
    .option('--repository <url>', 'source repository (default: GITHUB_SERVER_URL/GITHUB_REPOSITORY, CI_PROJECT_URL)')
    .option('--commit <sha>', 'source commit (default: GITHUB_SHA, CI_COMMIT_SHA)')
    .option('--branch <branch>', 'source branch (default: GITHUB_REF_NAME/GITHUB_HEAD_REF, CI_COMMIT_BRANCH)')
    .option('--author <who>', '"Name <email>" (default: CI_COMMIT_AUTHOR, else the commit in the checkout)')
    .option('--message <text>', 'commit message (default: CI_COMMIT_MESSAGE, else the checkout)')
    .option('--time <iso>', "the commit's time (default: CI_COMMIT_TIMESTAMP, else the checkout)")
    .option('--run-url <url>', "the CI run's page (default: the GitHub Actions run, CI_PIPELINE_URL)")
    .option('--provider <name>', 'CI system (default: github-actions, gitlab-ci)')
    .option(
      '--step <name=status[:duration][@url]>',
      'a step result, repeatable: test=succeeded:1m30s@https://...',
      collect,
    )
    .option('--from-labels', "take the source from the image's OCI annotations/labels only (no environment)")
    .option('--json', 'the recorded artifact as JSON')
    .action(act((o: ArtifactReportFlags) => commands.artifact().then((m) => m.artifactReportCommand(io, g(), o))));
  artifact
    .command('step <artifact-id>')
    .description('report one step of the CI run as it starts or ends; a replay changes nothing')
    .requiredOption('--name <name>', 'the step, e.g. build, test, scan')
    .addOption(
      new Option('--status <status>', 'where it is')
        .choices(['running', 'succeeded', 'failed', 'skipped'])
        .makeOptionMandatory(),
    )
    .option('--duration <duration>', 'how long it took: 90s, 1m30s, or seconds')
    .option('--url <url>', "the step's page")
    .option('--started-at <iso>', 'when it started (default: when Gantry hears it running)')
    .option('--finished-at <iso>', 'when it ended (default: when Gantry hears it end)')
    .option('--json', 'the artifact as JSON')
    .action(
      act((id: string, o: ArtifactStepFlags) => commands.artifact().then((m) => m.artifactStepCommand(io, g(), id, o))),
    );
  artifact
    .command('list')
    .description(
      'reported artifacts, newest first (--pipeline and --branch: exit 2 naming the branches with builds when none)',
    )
    .option('--pipeline <name>', 'of this pipeline')
    .option('--branch <branch>', 'built from this branch')
    .option('--digest <digest>', 'of this digest')
    .option('--limit <n>', 'entries per page (20)')
    .option('--cursor <cursor>', 'the next page, as printed')
    .option('--json', 'machine-readable output')
    .action(act((o: ArtifactListFlags) => commands.artifact().then((m) => m.artifactListCommand(io, g(), o))));
  artifact
    .command('show <artifact-id>')
    .description('one artifact: source commit, CI run, steps, whether the registry holds it')
    .option('--json', 'machine-readable output')
    .action(
      act((id: string, o: { json?: boolean }) =>
        commands.artifact().then((m) => m.artifactShowCommand(io, g(), id, o)),
      ),
    );
  const token = program.command('token').description('API tokens (stored hashed)');
  token
    .command('create')
    .requiredOption('--name <name>', 'who or what uses it, e.g. ci')
    .addOption(
      new Option('--role <role>', 'what it may do (ci: report artifacts, not promote)')
        .choices(['viewer', 'ci', 'promoter', 'admin'])
        .makeOptionMandatory(),
    )
    .option('--json', 'machine-readable output')
    .action(
      act((o: { name: string; role: 'viewer' | 'ci' | 'promoter' | 'admin'; json?: boolean }) =>
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
  sandbox
    .command('deploy <dir> <phase>')
    .description(
      "play the phase's deployer: post to a running server (GANTRY_SERVER, default http://127.0.0.1:8080) " +
        'the Flux (or Argo CD) event for the commit holding its version',
    )
    .option('--fail', 'report a failure: Flux HealthCheckFailed, Argo CD health Degraded')
    .option('--argocd', 'send what Argo CD Notifications sends (default: what the phase names)')
    .option('--flux', "send what Flux's notification-controller sends (default: what the phase names)")
    .option('--commit <sha>', 'report this config commit instead of the one holding the version')
    .option('--json', 'machine-readable output')
    .action(
      act((dir: string, phase: string, o: SandboxDeployFlags) =>
        commands.sandbox().then((m) => m.sandboxDeployCommand(io, dir, phase, o)),
      ),
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
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.out(`${gantryVersion()}\n`);
    return EXIT.ok;
  }
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.invalid;
    // loaded on failure only: `--help` and `--version` need none of Gantry's packages
    const [{ errorJson, renderError }, { exitCodeFor }] = await Promise.all([
      import('./render-error.js'),
      import('./exit-code.js'),
    ]);
    if (argv.includes('--json')) io.out(errorJson(e));
    io.err(renderError(e, io.color));
    return exitCodeFor(e);
  }
}
