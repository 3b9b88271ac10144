import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from './schema.js';

describe('the published JSON schema', () => {
  it('GIVEN the zod schema WHEN compared with schema/gantry.schema.json THEN they agree (run npm run schema)', async () => {
    const published = JSON.parse(await readFile(new URL('../schema/gantry.schema.json', import.meta.url), 'utf8'));
    expect(published).toEqual(configJsonSchema());
  });

  it('GIVEN the schema THEN it describes pipelines, sources and updaters for editors', () => {
    const text = JSON.stringify(configJsonSchema());
    for (const word of ['kubernetes-image', 'helm-release-chart', 'semver', 'repositories', 'registries']) {
      expect(text).toContain(word);
    }
  });
});
