import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ARGOCD_SERVICE_NAME, ARGOCD_TEMPLATE_NAME, ARGOCD_WEBHOOK_BODY_TEMPLATE } from './argocd-template.js';
import { parseFluxEvent } from './flux-event.js';
import { normalizeFluxEvent } from './flux-normalize.js';

const doc = (name: string) => readFileSync(fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url)), 'utf8');

/** The literal block scalar that follows `line` (e.g. `body: |`), as YAML reads it (clip chomping). */
function blockScalar(text: string, line: string): string {
  const lines = text.split('\n');
  const start = lines.indexOf(line);
  expect(start).toBeGreaterThan(-1);
  const indent = ' '.repeat(line.length - line.trimStart().length + 2);
  const body: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l.trim() !== '' && !l.startsWith(indent)) break;
    body.push(l.slice(indent.length));
  }
  return `${body.join('\n').replace(/\n+$/, '')}\n`;
}

describe('docs/argocd.md', () => {
  const text = doc('argocd.md');

  it('GIVEN the ConfigMap users apply THEN its webhook body is exactly the template Gantry parses', () => {
    expect(blockScalar(text, '        body: |')).toBe(ARGOCD_WEBHOOK_BODY_TEMPLATE);
  });

  it('GIVEN the ConfigMap THEN the service and template names are the ones the code documents', () => {
    expect(text).toContain(`  service.webhook.${ARGOCD_SERVICE_NAME}: |`);
    expect(text).toContain(`  template.${ARGOCD_TEMPLATE_NAME}: |`);
    expect(text).toContain(`send: [${ARGOCD_TEMPLATE_NAME}]`);
    expect(text).toContain('value: $gantry-token');
  });
});

describe('docs/flux.md', () => {
  it('GIVEN the body of the "try it by hand" example THEN Gantry reads it as healthy for its commit', () => {
    const body = /^body='(.*)'$/m.exec(doc('flux.md'))?.[1];
    expect(body).toBeDefined();
    const event = normalizeFluxEvent(parseFluxEvent(body ?? ''));
    expect(event).toMatchObject({ state: 'healthy', object: { kind: 'Kustomization', name: 'app-staging' } });
    expect(event.revision?.commit).toBe('5394cb7f48332b2de7c17dd8b8384bbc84b7e738');
  });
});
