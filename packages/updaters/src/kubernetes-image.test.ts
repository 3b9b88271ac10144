import { UpdaterError } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { kubernetesImage } from './kubernetes-image.js';
import { digestOf, lineChanges, thrown } from './test-support.js';

const OLD = digestOf('a');
const NEW = digestOf('b');
const FILE = 'env/staging/deployment.yaml';

// The layout of the Glu GitOps example, with the oddities real files have.
const staging = `# Staging: the image digest below is promoted by Gantry.
---
apiVersion: v1
kind: Service
metadata:
  name: app
spec:
  ports:
    - port: 80
      targetPort: 8080   # container port
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  labels: {app: app, "app.kubernetes.io/part-of": demo}
spec:
  replicas: 2

  template:
    metadata:
      labels:
        app: app
    spec:
      initContainers:
      - name: migrate
        image: "ghcr.io/example/migrate:v3"   # tag only: not pinned
      containers:
      - name: proxy
        image: 'ghcr.io/example/proxy:1.4@${OLD}'
      -   name: app    # indented differently on purpose
          image: ghcr.io/example/app@${OLD}
          env:
            - name: LOG_LEVEL
              value: "debug"
            - name: APP_IMAGE_DIGEST
              value: ${OLD}   # mirrored for the /version endpoint
`;

const app = kubernetesImage({ container: 'app', envVar: 'APP_IMAGE_DIGEST' });
const promoted = { kind: 'oci-image', repository: 'ghcr.io/example/app', digest: NEW } as const;

describe('kubernetesImage', () => {
  it('GIVEN the staging deployment WHEN read THEN it returns the pinned image of container app', () => {
    expect(app.read(staging, FILE)).toEqual({ kind: 'oci-image', repository: 'ghcr.io/example/app', digest: OLD });
  });

  it('GIVEN a promotion WHEN written THEN exactly the image line and the env var line change', () => {
    const after = app.write(staging, promoted, FILE);
    expect(lineChanges(staging, after)).toEqual([
      {
        line: 32,
        before: `          image: ghcr.io/example/app@${OLD}`,
        after: `          image: ghcr.io/example/app@${NEW}`,
      },
      {
        line: 37,
        before: `              value: ${OLD}   # mirrored for the /version endpoint`,
        after: `              value: ${NEW}   # mirrored for the /version endpoint`,
      },
    ]);
  });

  it('GIVEN the image already there WHEN written THEN the very same string comes back', () => {
    const same = { kind: 'oci-image', repository: 'ghcr.io/example/app', digest: OLD } as const;
    expect(app.write(staging, same, FILE)).toBe(staging);
  });

  it('GIVEN a written image WHEN read back THEN it equals what was written', () => {
    expect(app.read(app.write(staging, promoted, FILE), FILE)).toEqual(promoted);
  });

  it('GIVEN a file in tag@digest form and a tagged image WHEN written THEN the tag form and the quotes stay', () => {
    const proxy = kubernetesImage({ container: 'proxy' });
    expect(proxy.read(staging, FILE)).toEqual({
      kind: 'oci-image',
      repository: 'ghcr.io/example/proxy',
      digest: OLD,
      tag: '1.4',
    });
    const after = proxy.write(
      staging,
      { kind: 'oci-image', repository: 'ghcr.io/example/proxy', digest: NEW, tag: '1.5' },
      FILE,
    );
    expect(lineChanges(staging, after)).toEqual([
      { line: 30, before: expect.any(String), after: `        image: 'ghcr.io/example/proxy:1.5@${NEW}'` },
    ]);
  });

  it('GIVEN a file in tag@digest form and an image without tag WHEN written THEN it becomes repository@digest', () => {
    const proxy = kubernetesImage({ container: 'proxy' });
    const after = proxy.write(staging, { kind: 'oci-image', repository: 'ghcr.io/example/proxy', digest: NEW }, FILE);
    expect(lineChanges(staging, after).map((c) => c.after)).toEqual([`        image: 'ghcr.io/example/proxy@${NEW}'`]);
  });

  it('GIVEN a tag-only init container WHEN read THEN not pinned; WHEN written THEN pinned, double quotes and comment kept', () => {
    const migrate = kubernetesImage({ container: 'migrate', initContainer: true });
    expect(migrate.read(staging, FILE)).toBeUndefined();
    const image = { kind: 'oci-image', repository: 'ghcr.io/example/migrate', digest: NEW, tag: 'v4' } as const;
    const after = migrate.write(staging, image, FILE);
    expect(lineChanges(staging, after).map((c) => c.after)).toEqual([
      `        image: "ghcr.io/example/migrate@${NEW}"   # tag only: not pinned`,
    ]);
    expect(migrate.read(after, FILE)).toEqual({
      kind: 'oci-image',
      repository: 'ghcr.io/example/migrate',
      digest: NEW,
    });
  });

  it('GIVEN a CronJob, a StatefulSet and a Pod WHEN written THEN every container of that name changes, nothing else', () => {
    const text = [
      'kind: CronJob',
      'spec:',
      '  jobTemplate:',
      '    spec:',
      '      template:',
      '        spec:',
      `          containers: [{name: worker, image: "reg.local:5000/worker@${OLD}"}]`,
      '...',
      '---',
      'kind: StatefulSet',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: db',
      '          image: postgres:16',
      '---',
      'kind: Pod',
      'spec:',
      '  containers:',
      `  - image: reg.local:5000/worker@${OLD}`,
      '    name: worker',
      '',
    ].join('\n');
    const worker = kubernetesImage({ container: 'worker' });
    expect(worker.read(text, 'jobs.yaml')).toEqual({
      kind: 'oci-image',
      repository: 'reg.local:5000/worker',
      digest: OLD,
    });
    const after = worker.write(
      text,
      { kind: 'oci-image', repository: 'reg.local:5000/worker', digest: NEW },
      'jobs.yaml',
    );
    expect(lineChanges(text, after).map((c) => c.line)).toEqual([7, 21]);
    expect(after).toBe(text.replaceAll(OLD, NEW));
  });

  it('GIVEN Windows line endings WHEN written THEN they are kept', () => {
    const crlf = staging.replaceAll('\n', '\r\n');
    expect(app.write(crlf, promoted, FILE)).toBe(app.write(staging, promoted, FILE).replaceAll('\n', '\r\n'));
  });

  it('GIVEN no container of that name WHEN read THEN the error names the file, the path tried and the containers there', () => {
    const e = thrown(() => kubernetesImage({ container: 'web' }).read(staging, FILE));
    expect(e).toBeInstanceOf(UpdaterError);
    expect(e.code).toBe('updater_failed');
    expect(e.message).toContain(FILE);
    expect(e.message).toContain('spec.template.spec.containers[name=web].image');
    expect(e.message).toContain('containers in the file: proxy, app');
    expect(e.context).toMatchObject({ file: FILE, path: 'spec.template.spec.containers[name=web].image' });
  });

  it('GIVEN no env var of that name WHEN written THEN the error names the env var, those there and the path', () => {
    const updater = kubernetesImage({ container: 'app', envVar: 'IMAGE_DIGEST' });
    const e = thrown(() => updater.write(staging, promoted, FILE));
    expect(e).toBeInstanceOf(UpdaterError);
    expect(e.message).toContain('env var "IMAGE_DIGEST" not found');
    expect(e.message).toContain('LOG_LEVEL, APP_IMAGE_DIGEST');
    expect(e.context).toMatchObject({
      file: FILE,
      path: 'spec.template.spec.containers[name=app].env[name=IMAGE_DIGEST].value',
    });
  });

  it('GIVEN a container without env WHEN an env var is asked for THEN it is an error, no structure is invented', () => {
    const e = thrown(() =>
      kubernetesImage({ container: 'proxy', envVar: 'APP_IMAGE_DIGEST' }).write(staging, promoted, FILE),
    );
    expect(e.message).toContain('no key "env"');
  });

  it('GIVEN text that is not YAML WHEN read THEN the error names the file and the line', () => {
    const broken = 'kind: Deployment\nspec:\n  template: [unclosed\nfoo: bar: baz\n';
    const e = thrown(() => app.read(broken, FILE));
    expect(e).toBeInstanceOf(UpdaterError);
    expect(e.message).toMatch(/^env\/staging\/deployment\.yaml: not valid YAML at line \d+, column \d+/);
    expect(e.context).toMatchObject({ file: FILE, line: expect.any(Number) });
  });

  it('GIVEN a file with no workload WHEN read THEN the error says which kinds it has', () => {
    const e = thrown(() => app.read('kind: ConfigMap\ndata: {a: b}\n', 'cm.yaml'));
    expect(e.message).toContain('no Kubernetes workload in the file (kinds: ConfigMap)');
  });

  it('GIVEN an image that is not a reference WHEN read THEN it is an error naming the path', () => {
    const text = 'kind: Pod\nspec:\n  containers:\n  - name: app\n    image: "not an image"\n';
    const e = thrown(() => kubernetesImage({ container: 'app' }).read(text, 'pod.yaml'));
    expect(e.context).toMatchObject({ path: 'spec.containers[name=app].image' });
  });
});

describe('kubernetesImage with YAML aliases', () => {
  it('GIVEN an image that is an alias or an anchor WHEN read or written THEN the error names the line, nothing is written', () => {
    const pod = `kind: Pod\nspec:\n  containers:\n  - name: app\n    image: &img app@${OLD}\n  - name: b\n    image: *img\n`;
    const e = thrown(() => kubernetesImage({ container: 'b' }).read(pod, 'pod.yaml'));
    expect(e.message).toContain('line 7: found the alias *img');
    const anchored = thrown(() =>
      kubernetesImage({ container: 'app' }).write(pod, { ...promoted, repository: 'app' }, 'pod.yaml'),
    );
    expect(anchored.message).toContain('line 5: the value carries the anchor &img');
  });
});

describe('kubernetesImage in other shapes', () => {
  it('GIVEN an init container asked for as a container WHEN read THEN the error points at initContainers', () => {
    const e = thrown(() => kubernetesImage({ container: 'migrate' }).read(staging, FILE));
    expect(e.message).toContain('"migrate" is in initContainers (option initContainer: true)');
  });

  it('GIVEN a Deployment in JSON WHEN written THEN one line changes and it stays valid JSON', () => {
    const json = `${JSON.stringify(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        spec: { template: { spec: { containers: [{ name: 'app', image: `ghcr.io/example/app@${OLD}` }] } } },
      },
      null,
      4,
    )}\n`;
    const after = kubernetesImage({ container: 'app' }).write(json, promoted, 'deployment.json');
    expect(lineChanges(json, after).map((c) => c.after)).toEqual([
      `                        "image": "ghcr.io/example/app@${NEW}"`,
    ]);
    expect(JSON.parse(after).spec.template.spec.containers[0].image).toBe(`ghcr.io/example/app@${NEW}`);
  });
});
