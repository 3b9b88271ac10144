import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { gantry } from '../cli/run-cli.js';
import type { KubeObject } from './k8s-schema.js';
import { schemaProblems, unknownFieldProblems } from './k8s-schema.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const KUBE = join(ROOT, 'deploy/kubernetes');
const BASE = join(KUBE, 'base');
const OVERLAY = join(KUBE, 'overlays/production');

const readDocs = (file: string): KubeObject[] =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((d) => {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
    return d.toJSON() as KubeObject;
  });

interface Kustomization {
  resources?: string[];
  patches?: Array<{ path?: string }>;
  configMapGenerator?: Array<{ name: string; files?: string[] }>;
}
const kustomization = (dir: string) =>
  parseYaml(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization;

/** The files a kustomization lists as resources (not directories, which are other kustomizations). */
const resourceFiles = (dir: string) =>
  (kustomization(dir).resources ?? []).map((r) => join(dir, r)).filter((p) => p.endsWith('.yaml'));

// `kubectl kustomize` renders an overlay offline; without kubectl the plain files are still checked
const HAS_KUBECTL = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const render = (dir: string): KubeObject[] =>
  parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' })).map(
    (d) => d.toJSON() as KubeObject,
  );

interface Container {
  name: string;
  args?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  startupProbe?: { exec?: { command: string[] } };
  livenessProbe?: { exec?: { command: string[] }; httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}
interface PodSpec {
  serviceAccountName?: string;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  containers: Container[];
  volumes?: Array<{ name: string; emptyDir?: object; configMap?: { name: string }; secret?: { secretName: string } }>;
}
interface DeploymentSpec {
  replicas?: number;
  selector: { matchLabels: Record<string, string> };
  template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
}

const find = (objects: readonly KubeObject[], kind: string) => {
  const o = objects.find((x) => x.kind === kind);
  if (!o) throw new Error(`no ${kind} among ${objects.map((x) => x.kind).join(', ')}`);
  return o;
};
const deploymentOf = (objects: readonly KubeObject[]) => find(objects, 'Deployment').spec as DeploymentSpec;
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The env a container gives Gantry, with a placeholder for each value a Secret holds. */
const envOf = (c: Container): Record<string, string> =>
  Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? `from-secret-${e.valueFrom?.secretKeyRef?.key}`]));

describe('deploy/kubernetes: plain manifests and a kustomize overlay', () => {
  const baseObjects = resourceFiles(BASE).flatMap(readDocs);
  const overlayObjects = resourceFiles(OVERLAY).flatMap(readDocs);

  it('GIVEN every manifest file WHEN validated against the Kubernetes API schemas THEN no problem and no unknown field', async () => {
    const all = [...baseObjects, ...overlayObjects];
    expect(all.map((o) => o.kind).sort()).toEqual(
      ['Deployment', 'Ingress', 'Namespace', 'PodDisruptionBudget', 'Service', 'ServiceAccount'].sort(),
    );
    expect(await schemaProblems(all)).toEqual([]);
    expect(unknownFieldProblems(all)).toEqual([]);
  });

  it('GIVEN a misspelt or mistyped field WHEN validated THEN the check names it (the validation can fail)', async () => {
    const broken = structuredClone(deploymentOf(baseObjects)) as unknown as {
      replicas: unknown;
      template: { spec: { containers: Array<Record<string, unknown>> } };
    };
    const container = broken.template.spec.containers[0] as Record<string, unknown>;
    container.readinesProbe = container.readinessProbe;
    delete container.name;
    const object = { ...find(baseObjects, 'Deployment'), spec: broken };
    expect((await schemaProblems([object])).join('\n')).toMatch(/must have required property '?name/);
    expect(unknownFieldProblems([object]).join('\n')).toMatch(/'"readinesProbe"' does not exist/);
  });

  it('GIVEN the base Deployment THEN replicas on PostgreSQL from a Secret, probes, resources and a locked-down pod', () => {
    const d = deploymentOf(baseObjects);
    expect(d.replicas).toBeGreaterThanOrEqual(2);
    expect(matches(d.selector.matchLabels, d.template.metadata.labels)).toBe(true);
    const pod = d.template.spec;
    expect(pod.serviceAccountName).toBe(find(baseObjects, 'ServiceAccount').metadata?.name);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
    const [c] = pod.containers;
    if (!c) throw new Error('no container');
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });

    const secretEnv = Object.fromEntries(
      (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [[e.name, e.valueFrom.secretKeyRef]] : [])),
    );
    // the database, the Git token and every webhook secret come from Secrets, never from the manifest
    expect(Object.keys(secretEnv).sort()).toEqual(
      [
        'ARGOCD_WEBHOOK_SECRET',
        'FLUX_WEBHOOK_SECRET',
        'GANTRY_DATABASE_URL',
        'GANTRY_WEBHOOK_SECRET',
        'GIT_TOKEN',
        'GIT_URL',
      ].sort(),
    );
    expect(secretEnv.GANTRY_DATABASE_URL).toEqual({ name: 'gantry-database', key: 'url' });
    // registry credentials: a dockerconfigjson Secret mounted where gantry.yaml's dockerConfig points
    const registryAuth = pod.volumes?.find((v) => v.secret?.secretName === 'gantry-registry');
    expect(c.volumeMounts?.find((m) => m.name === registryAuth?.name)?.mountPath).toBe('/etc/gantry/docker');

    // the port the server is told to listen on is the one probes, the Service and the image use
    const port = Number(c.args?.[(c.args?.indexOf('--port') ?? -2) + 1]);
    expect(c.ports?.find((p) => p.name === 'http')?.containerPort).toBe(port);
    expect(c.args?.slice(0, 3)).toEqual(['serve', '--host', '0.0.0.0']);
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.livenessProbe?.exec?.command.join(' ')).toContain(`http://127.0.0.1:${port}/healthz`);
    expect(c.startupProbe?.exec?.command.join(' ')).toContain(`http://127.0.0.1:${port}/healthz`);
    expect(c.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources?.limits).toMatchObject({ memory: expect.any(String) });

    // read-only root: the data directory and /tmp are writable emptyDirs
    const env = envOf(c);
    for (const path of [env.GANTRY_DATA_DIR, '/tmp']) {
      const mount = c.volumeMounts?.find((m) => m.mountPath === path);
      expect(mount, path).toBeDefined();
      expect(pod.volumes?.find((v) => v.name === mount?.name)?.emptyDir, path).toBeDefined();
    }
    // GANTRY_CONFIG lies in the mounted gantry.yaml ConfigMap
    const configMount = c.volumeMounts?.find((m) => env.GANTRY_CONFIG?.startsWith(`${m.mountPath}/`));
    expect(pod.volumes?.find((v) => v.name === configMount?.name)?.configMap?.name).toBe('gantry-config');
  });

  it('GIVEN the Service and the PodDisruptionBudget THEN they select the Deployment pods and its named port', () => {
    const d = deploymentOf(baseObjects);
    const labels = d.template.metadata.labels;
    const service = find(baseObjects, 'Service').spec as {
      selector: Record<string, string>;
      ports: Array<{ targetPort: string }>;
    };
    expect(matches(service.selector, labels)).toBe(true);
    const portNames = d.template.spec.containers[0]?.ports?.map((p) => p.name);
    for (const p of service.ports) expect(portNames).toContain(p.targetPort);
    const pdb = find(baseObjects, 'PodDisruptionBudget').spec as { selector: { matchLabels: Record<string, string> } };
    expect(matches(pdb.selector.matchLabels, labels)).toBe(true);
    const ingress = find(overlayObjects, 'Ingress').spec as {
      rules: Array<{ http: { paths: Array<{ backend: { service: { name: string; port: { name: string } } } }> } }>;
    };
    const backend = ingress.rules[0]?.http.paths[0]?.backend.service;
    expect(backend?.name).toBe(find(baseObjects, 'Service').metadata?.name);
    expect(service.ports.map((p) => (p as { name?: string }).name)).toContain(backend?.port.name);
  });

  it.each([
    ['base', BASE],
    ['overlay', OVERLAY],
  ])(
    'GIVEN the %s gantry.yaml WHEN gantry validate runs with the env the Deployment gives THEN valid',
    async (_n, dir) => {
      const file = join(dir, kustomization(dir).configMapGenerator?.[0]?.files?.[0] ?? 'gantry.yaml');
      const c = deploymentOf(baseObjects).template.spec.containers[0];
      if (!c) throw new Error('no container');
      const env = envOf(c);
      // every ${NAME} in the file is set by the Deployment (else the server would not start)
      const text = readFileSync(file, 'utf8').replace(/^\s*#.*$/gm, '');
      const wanted = [...text.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1] as string);
      expect(wanted.filter((n) => !(n in env))).toEqual([]);
      const r = await gantry(['validate', '--config', file], ROOT, { ...env, GANTRY_CONFIG: file });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('valid');
    },
  );

  it.skipIf(!HAS_KUBECTL)(
    'GIVEN kubectl WHEN the base and the overlay are rendered by kustomize THEN every object validates and the overlay applies',
    async () => {
      const base = render(BASE);
      const overlay = render(OVERLAY);
      for (const objects of [base, overlay]) {
        expect(await schemaProblems(objects)).toEqual([]);
        expect(unknownFieldProblems(objects)).toEqual([]);
      }
      const d = deploymentOf(overlay);
      expect(d.replicas).toBe(3);
      const c = d.template.spec.containers[0];
      expect((c as unknown as { image: string }).image).toBe('registry.example.com/platform/gantry:0.1.0');
      expect(c?.resources?.limits?.memory).toBe('2Gi');
      // the generated ConfigMap (its name carries a hash of gantry.yaml) is the one the pods mount
      const configMap = find(overlay, 'ConfigMap');
      expect(configMap.metadata?.name).toMatch(/^gantry-config-[a-z0-9]+$/);
      expect(d.template.spec.volumes?.find((v) => v.configMap)?.configMap?.name).toBe(configMap.metadata?.name);
      expect((configMap as unknown as { data: Record<string, string> }).data['gantry.yaml']).toBe(
        readFileSync(join(OVERLAY, 'gantry.yaml'), 'utf8'),
      );
      for (const o of overlay.filter((x) => x.kind !== 'Namespace'))
        expect(o.metadata?.namespace, o.kind).toBe('gantry');
    },
  );
});

describe('deploy/gitops: Flux and Argo CD deploying Gantry', () => {
  const flux = readDocs(join(ROOT, 'deploy/gitops/flux.yaml'));
  const argocd = readDocs(join(ROOT, 'deploy/gitops/argocd.yaml'));
  /** The overlay, as the fleet repository holds it (deploy/kubernetes copied to clusters/production/gantry). */
  const inFleet = (path: string) => join(KUBE, path.replace(/^(\.\/)?clusters\/production\/gantry\//, ''));

  it('GIVEN the Flux GitRepository and Kustomization and the Argo CD Application THEN they validate against their CRD schemas', async () => {
    expect(flux.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual([
      'source.toolkit.fluxcd.io/v1 GitRepository',
      'kustomize.toolkit.fluxcd.io/v1 Kustomization',
    ]);
    expect(argocd.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual(['argoproj.io/v1alpha1 Application']);
    expect(await schemaProblems([...flux, ...argocd])).toEqual([]);
    expect(unknownFieldProblems([...flux, ...argocd])).toEqual([]);
  });

  it('GIVEN their paths THEN both deploy the overlay shipped here', () => {
    const kustomizationPath = (find(flux, 'Kustomization').spec as { path: string }).path;
    const applicationPath = (find(argocd, 'Application').spec as { source: { path: string } }).source.path;
    for (const p of [kustomizationPath, applicationPath]) {
      expect(inFleet(p)).toBe(OVERLAY);
      expect(existsSync(join(inFleet(p), 'kustomization.yaml'))).toBe(true);
    }
  });

  it('GIVEN docs/deploy.md WHEN its Kubernetes YAML blocks are validated THEN every object is valid', async () => {
    const md = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8');
    const objects = [...md.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .flatMap((m) => parseAllDocuments(m[1] as string).map((d) => d.toJSON() as unknown))
      .filter((o): o is KubeObject => typeof o === 'object' && o !== null && 'apiVersion' in o && 'kind' in o)
      .filter((o) => !o.apiVersion.startsWith('kustomize.config.k8s.io'));
    expect(objects.length).toBeGreaterThan(0);
    expect(await schemaProblems(objects)).toEqual([]);
    expect(unknownFieldProblems(objects)).toEqual([]);
  });
});

it('GIVEN deploy/kubernetes THEN every YAML file is a resource, a patch, a kustomization or a gantry.yaml', () => {
  const listed = (dir: string) => {
    const k = kustomization(dir);
    return [
      'kustomization.yaml',
      ...(k.resources ?? []),
      ...(k.patches ?? []).flatMap((p) => (p.path ? [p.path] : [])),
      ...(k.configMapGenerator ?? []).flatMap((g) => g.files ?? []),
    ];
  };
  for (const dir of [BASE, OVERLAY]) {
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(
      files.filter((f) => !listed(dir).includes(f)),
      dir,
    ).toEqual([]);
  }
});
