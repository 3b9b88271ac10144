import type { SourceSubject } from '@gantry/core';
import type { PathSegment } from './yaml-file.js';

/** The names gantry.yaml configures: what sources may refer to. */
export interface KnownNames {
  readonly repositories: readonly string[];
  readonly registries: readonly string[];
}

/** One bad reference in a source: the field (relative to the source), the message, the value written there. */
export interface SourceProblem {
  readonly field: readonly PathSegment[];
  readonly message: string;
  readonly value: string;
}

/** One bad reference in a built pipeline, by index. */
export interface ReferenceProblem extends SourceProblem {
  readonly pipeline: number;
  readonly phase: number;
}

/** `unknown repository "x"; known: a, b`, the same words whichever file names it. */
export function unknownNameMessage(
  what: 'repositories' | 'registries',
  name: string,
  known: readonly string[],
): string {
  const label = what === 'repositories' ? 'repository' : 'registry';
  return `unknown ${label} "${name}"; known: ${known.join(', ') || `(none: add one under ${what}: in gantry.yaml)`}`;
}

/**
 * Why a path cannot be a file of a Git repository, or undefined when it can. A path is
 * written into the clone and handed to git, so it must stay inside the repository's tree:
 * no absolute path, no `..`, nothing in `.git`.
 */
export function gitPathProblem(path: string, repository: string): string | undefined {
  const inside = `must be a path inside repository "${repository}", such as env/staging/deployment.yaml`;
  if (path.length === 0) return `the path is empty; it ${inside}`;
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) {
    return `"${path}" is absolute; it ${inside}`;
  }
  const segments = path.split(/[/\\]/);
  if (segments.includes('..')) return `"${path}" leaves the repository (..); it ${inside}`;
  if (segments.some((s) => s.toLowerCase() === '.git')) return `"${path}" is inside .git; it ${inside}`;
  if (path.endsWith('/')) return `"${path}" names a directory; it ${inside}`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(path)) return `"${JSON.stringify(path)}" holds a control character; it ${inside}`;
  return undefined;
}

/** Why git would refuse `branch` as a branch name (`git check-ref-format`), or undefined. */
export function gitBranchProblem(branch: string): string | undefined {
  const bad =
    branch.length === 0 ||
    branch.startsWith('-') ||
    branch.startsWith('/') ||
    branch.endsWith('/') ||
    branch.endsWith('.') ||
    branch.endsWith('.lock') ||
    branch.includes('..') ||
    branch.includes('//') ||
    branch.includes('@{') ||
    branch === '@' ||
    branch.split('/').some((s) => s.startsWith('.')) ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: git refuses control characters in ref names
    /[\u0000-\u0020\u007f~^:?*[\\]/.test(branch);
  return bad ? `"${branch}" is not a valid git branch name` : undefined;
}

/** Every bad reference of one source's subject: unknown names, paths outside the repository, bad branches. */
export function subjectProblems(subject: SourceSubject | undefined, known: KnownNames): SourceProblem[] {
  if (!subject) return [];
  if (subject.kind === 'oci') {
    if (known.registries.includes(subject.registry)) return [];
    return [
      {
        field: ['registry'],
        message: unknownNameMessage('registries', subject.registry, known.registries),
        value: subject.registry,
      },
    ];
  }
  const problems: SourceProblem[] = [];
  if (!known.repositories.includes(subject.repository)) {
    problems.push({
      field: ['repository'],
      message: unknownNameMessage('repositories', subject.repository, known.repositories),
      value: subject.repository,
    });
  }
  if (subject.branch !== undefined) {
    const why = gitBranchProblem(subject.branch);
    if (why) problems.push({ field: ['branch'], message: why, value: subject.branch });
  }
  const paths = subject.paths ?? [];
  paths.forEach((path, i) => {
    const why = gitPathProblem(path, subject.repository);
    // one file: the `path` field; a bundle's files: their place in the list
    if (why) problems.push({ field: paths.length === 1 ? ['path'] : ['paths', i], message: why, value: path });
  });
  return problems;
}

/** What the check reads of a pipeline: the subject of each phase's source (any resource type). */
export interface SubjectsOf {
  readonly phases: ReadonlyArray<{ readonly source: { readonly subject?: SourceSubject } }>;
}

/**
 * Resolves every repository, registry, branch and path the pipelines' sources name against
 * the configuration, without touching a remote. Sources that name nothing (custom ones) pass.
 */
export function checkReferences(pipelines: readonly SubjectsOf[], known: KnownNames): ReferenceProblem[] {
  return pipelines.flatMap((p, i) =>
    p.phases.flatMap((ph, j) =>
      subjectProblems(ph.source.subject, known).map((problem) => ({ ...problem, pipeline: i, phase: j })),
    ),
  );
}

/**
 * Why a phase that writes by proposal cannot open pull requests, found at load rather than at
 * its first promotion: its source is not a Git file, or the repository has no `provider:`.
 */
export function proposalProblem(
  write: string | undefined,
  subject: SourceSubject | undefined,
  repositories: Readonly<Record<string, { readonly provider?: unknown } | undefined>>,
): string | undefined {
  if (write !== 'proposal') return undefined;
  if (subject?.kind !== 'git' || subject.paths === undefined)
    return 'write: proposal needs a git file source (type: git): only a file in a Git repository can be proposed as a pull request';
  const repository = repositories[subject.repository];
  // an unknown repository is reported as such on the source
  if (repository === undefined || repository.provider !== undefined) return undefined;
  return `write: proposal opens pull requests, but git repository "${subject.repository}" has no provider: set repositories.${subject.repository}.provider (kind: github or gitlab, repository: owner/name, token)`;
}
