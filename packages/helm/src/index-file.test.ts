import { describe, expect, it } from 'vitest';
import { chartArchiveUrl, parseHelmIndex } from './index-file.js';

// The example of Helm's chart repository guide, as `helm repo index` writes it
const DOCUMENTED = `apiVersion: v1
entries:
  alpine:
    - created: 2016-10-06T16:23:20.499814565-06:00
      description: Deploy a basic Alpine Linux pod
      digest: 99c76e403d752c84ead610644d4b1c2f2b453a74b921f422b9dcb8a7c8b559cd
      home: https://helm.sh/helm
      name: alpine
      sources:
      - https://github.com/helm/helm
      urls:
      - https://technosophos.github.io/tscharts/alpine-0.2.0.tgz
      version: 0.2.0
    - created: 2016-10-06T16:23:20.499543808-06:00
      description: Deploy a basic Alpine Linux pod
      digest: 515c58e5f79d8b2913a10cb400ebb6fa9c77fe813287afbacf1a0b897cd78727
      home: https://helm.sh/helm
      name: alpine
      sources:
      - https://github.com/helm/helm
      urls:
      - https://technosophos.github.io/tscharts/alpine-0.1.0.tgz
      version: 0.1.0
  nginx:
    - created: 2016-10-06T16:23:20.499543808-06:00
      description: Create a basic nginx HTTP server
      digest: aaff4545f79d8b2913a10cb400ebb6fa9c77fe813287afbacf1a0b897cdffffff
      home: https://helm.sh/helm
      name: nginx
      sources:
      - https://github.com/helm/charts
      urls:
      - https://technosophos.github.io/tscharts/nginx-1.1.0.tgz
      version: 1.1.0
generated: 2016-10-06T16:23:20.499029981-06:00
`;

const WHERE = 'https://charts.example.com/index.yaml';

describe('parseHelmIndex', () => {
  it("GIVEN Helm's documented index WHEN parsed THEN every chart and version, with digest, urls and creation time", () => {
    const index = parseHelmIndex(DOCUMENTED, WHERE);
    expect([...index.charts.keys()]).toEqual(['alpine', 'nginx']);
    expect(index.charts.get('alpine')?.map((v) => v.version)).toEqual(['0.2.0', '0.1.0']);
    expect(index.charts.get('alpine')?.[0]).toEqual({
      name: 'alpine',
      version: '0.2.0',
      digest: '99c76e403d752c84ead610644d4b1c2f2b453a74b921f422b9dcb8a7c8b559cd',
      urls: ['https://technosophos.github.io/tscharts/alpine-0.2.0.tgz'],
      created: new Date('2016-10-06T22:23:20.499Z'),
      deprecated: false,
    });
    expect(index.generated).toEqual(new Date('2016-10-06T22:23:20.499Z'));
  });

  it('GIVEN an unquoted version such as 1.10 WHEN parsed THEN it stays the text 1.10, not the number 1.1', () => {
    const index = parseHelmIndex('apiVersion: v1\nentries:\n  app:\n  - version: 1.10\n    appVersion: 2.0\n', WHERE);
    expect(index.charts.get('app')?.[0]).toMatchObject({ version: '1.10', appVersion: '2.0' });
  });

  it('GIVEN an entry without a version WHEN parsed THEN it is skipped and the others kept, as Helm does', () => {
    const index = parseHelmIndex(
      'apiVersion: v1\nentries:\n  app:\n  - name: app\n  - version: 1.0.0\n    deprecated: true\n',
      WHERE,
    );
    expect(index.charts.get('app')).toEqual([{ name: 'app', version: '1.0.0', urls: [], deprecated: true }]);
  });

  it('GIVEN empty entries or a chart with none WHEN parsed THEN no charts or no versions', () => {
    expect(parseHelmIndex('apiVersion: v1\nentries:\n', WHERE).charts.size).toBe(0);
    expect(parseHelmIndex('apiVersion: v1\nentries:\n  app:\n', WHERE).charts.get('app')).toEqual([]);
  });

  it('GIVEN an index written as JSON WHEN parsed THEN it reads the same', () => {
    const index = parseHelmIndex('{"apiVersion":"v1","entries":{"app":[{"version":"1.0.0","urls":["a.tgz"]}]}}', WHERE);
    expect(index.charts.get('app')?.[0]?.urls).toEqual(['a.tgz']);
  });

  it.each([
    ['YAML that does not parse', 'apiVersion: v1\nentries: [\n', /does not parse|Flow sequence|Missing|Unexpected/i],
    ['no apiVersion', 'entries: {}\n', /apiVersion/],
    ['an HTML page', '<html><body>Not here</body></html>\n', /expected object|document/],
    ['entries that are a list', 'apiVersion: v1\nentries: [a, b]\n', /entries/],
  ])('GIVEN %s WHEN parsed THEN invalid_chart_index naming the URL', (_, text, why) => {
    expect(() => parseHelmIndex(text, WHERE)).toThrow(
      expect.objectContaining({
        code: 'invalid_chart_index',
        message: expect.stringMatching(new RegExp(`^${WHERE.replaceAll('.', '\\.')} is not a Helm repository index: `)),
      }),
    );
    expect(() => parseHelmIndex(text, WHERE)).toThrow(why);
  });
});

describe('chartArchiveUrl', () => {
  const v = (urls: string[]) => ({ name: 'app', version: '1.0.0', urls, deprecated: false });

  it('GIVEN a relative URL WHEN resolved THEN it is under the repository URL, with or without a trailing slash', () => {
    expect(chartArchiveUrl('https://h.example/charts', v(['app-1.0.0.tgz']))).toBe(
      'https://h.example/charts/app-1.0.0.tgz',
    );
    expect(chartArchiveUrl('https://h.example/charts/', v(['app-1.0.0.tgz']))).toBe(
      'https://h.example/charts/app-1.0.0.tgz',
    );
  });

  it('GIVEN an absolute URL or none WHEN resolved THEN it is kept, or there is none', () => {
    expect(chartArchiveUrl('https://h.example/charts', v(['https://cdn.example/app.tgz']))).toBe(
      'https://cdn.example/app.tgz',
    );
    expect(chartArchiveUrl('https://h.example/charts', v([]))).toBeUndefined();
  });
});
