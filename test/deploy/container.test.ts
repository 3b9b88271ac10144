import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Instruction } from 'dockerfile-ast';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

// No container engine runs on this machine: the Dockerfile is parsed and linted, not built.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const FILE = join(ROOT, 'deploy/container/Dockerfile');
const text = readFileSync(FILE, 'utf8');
const dockerfile = DockerfileParser.parse(text);
const instructions = dockerfile.getInstructions();

/** The instructions of each stage, by stage name. */
function stages(): Map<string, Instruction[]> {
  const out = new Map<string, Instruction[]>();
  let current: Instruction[] | undefined;
  for (const i of instructions) {
    if (i.getKeyword() === 'FROM') {
      current = [];
      out.set(
        dockerfile
          .getFROMs()
          .find((f) => f.getRange().start.line === i.getRange().start.line)
          ?.getBuildStage() ?? '',
        current,
      );
    } else current?.push(i);
  }
  return out;
}
const args = (i: Instruction | undefined) => i?.getArguments().map((a) => a.getValue()) ?? [];
/** An exec-form instruction's JSON array (`CMD ["a", "b"]`). */
const execForm = (i: Instruction | undefined): string[] => JSON.parse(i?.getArgumentsContent() ?? 'null') as string[];
const runs = (stage: Instruction[]) => stage.filter((i) => i.getKeyword() === 'RUN').map((i) => args(i).join(' '));

describe('deploy/container/Dockerfile', () => {
  const byStage = stages();
  const build = byStage.get('build') ?? [];
  const runtime = byStage.get('runtime') ?? [];

  it('GIVEN the Dockerfile WHEN linted by a Dockerfile parser THEN no problem', () => {
    expect(validate(text).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
    // the linter can fail: a bad flag and a bad port are reported
    const broken = text.replace('--interval=30s', '--intervl=30s').replace('EXPOSE 8080', 'EXPOSE 80x80');
    expect(validate(broken).map((d) => d.message)).toEqual(['Invalid containerPort: 80x80', 'Unknown flag: intervl']);
  });

  it('GIVEN its stages THEN a build stage (npm ci, build, prune) and a runtime stage on Node 20 that copies from it', () => {
    expect([...byStage.keys()]).toEqual(['build', 'runtime']);
    const nodeImage = dockerfile
      .getARGs()
      .find((a) => a.getProperty()?.getName() === 'NODE_IMAGE')
      ?.getProperty()
      ?.getValue();
    expect(nodeImage).toMatch(/^node:20[-.]/);
    expect(dockerfile.getFROMs().map((f) => f.getImage())).toEqual(['${NODE_IMAGE}', '${NODE_IMAGE}']);
    const buildRuns = runs(build);
    expect(buildRuns.findIndex((r) => r.startsWith('npm ci'))).toBeLessThan(buildRuns.indexOf('npm run build'));
    expect(buildRuns.at(-1)).toMatch(/^npm prune --omit=dev/);
    const copies = runtime.filter((i) => i.getKeyword() === 'COPY');
    expect(copies.length).toBeGreaterThan(0);
    const flags = (c: Instruction) =>
      (c as unknown as { getFlags(): Array<{ getName(): string; getValue(): string | null }> })
        .getFlags()
        .map((f) => `${f.getName()}=${f.getValue()}`);
    for (const c of copies) expect(flags(c)).toEqual(['from=build']);
    // the dashboard is built into packages/ui/dist by `npm run build`, and packages/ is copied whole
    expect(copies.map((c) => args(c)[0])).toContain('/src/packages');
    const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(rootPackage.scripts.build).toBeDefined();
    expect(existsSync(join(ROOT, 'package-lock.json'))).toBe(true);
  });

  it('GIVEN the runtime stage THEN git is installed, the user is not root, the port is exposed, health is checked', () => {
    const installs = runs(runtime).join(' ');
    expect(installs).toMatch(/apt-get install [^&]*\bgit\b/);
    expect(installs).toMatch(/apt-get install [^&]*\bopenssh-client\b/);
    const user = args(runtime.filter((i) => i.getKeyword() === 'USER').at(-1))[0] ?? '';
    // numeric, so that Kubernetes' runAsNonRoot can verify it
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(args(runtime.find((i) => i.getKeyword() === 'EXPOSE'))).toEqual(['8080']);
    const health = runtime.find((i) => i.getKeyword() === 'HEALTHCHECK');
    expect(args(health).join(' ')).toContain('http://127.0.0.1:8080/healthz');
    const cmd = execForm(runtime.find((i) => i.getKeyword() === 'CMD'));
    expect(cmd).toEqual(['serve', '--host', '0.0.0.0', '--port', '8080']);
    const entrypoint = execForm(runtime.find((i) => i.getKeyword() === 'ENTRYPOINT'));
    expect(entrypoint).toEqual(['/usr/bin/tini', '--', 'gantry']);
    const env = args(runtime.find((i) => i.getKeyword() === 'ENV')).join(' ');
    expect(env).toContain('GANTRY_DATA_DIR=/var/lib/gantry');
    expect(execForm(runtime.find((i) => i.getKeyword() === 'VOLUME'))).toEqual(['/var/lib/gantry']);
  });

  it('GIVEN the image and the Kubernetes Deployment THEN they agree on user, port and data directory', () => {
    const deployment = parseYaml(readFileSync(join(ROOT, 'deploy/kubernetes/base/deployment.yaml'), 'utf8')) as {
      spec: {
        template: {
          spec: {
            securityContext: { runAsUser: number; runAsGroup: number };
            containers: Array<{ args: string[]; env: Array<{ name: string; value?: string }> }>;
          };
        };
      };
    };
    const pod = deployment.spec.template.spec;
    const user = args(runtime.filter((i) => i.getKeyword() === 'USER').at(-1))[0];
    expect(user).toBe(`${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}`);
    expect(pod.containers[0]?.args).toEqual(execForm(runtime.find((i) => i.getKeyword() === 'CMD')));
    expect(pod.containers[0]?.env.find((e) => e.name === 'GANTRY_DATA_DIR')?.value).toBe('/var/lib/gantry');
  });

  it('GIVEN the build context ignore file beside the Dockerfile THEN it keeps out local installs but not the sources', () => {
    const ignore = readFileSync(join(ROOT, 'deploy/container/Dockerfile.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '.git']));
    for (const kept of ['packages', 'package.json', 'package-lock.json']) expect(ignore).not.toContain(kept);
  });
});
