import type { ValidationIssue } from '@gantry/core';
import { ValidationError } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { parseYamlFile } from './yaml-file.js';

/** The issues a text's syntax errors become, as `line:column message`. */
function syntaxIssues(lines: readonly string[]): ValidationIssue[] {
  try {
    parseYamlFile('/srv/gantry.yaml', lines.join('\n'));
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return [...(e as ValidationError).issues];
  }
  throw new Error('expected a syntax error');
}

describe('YAML syntax errors name the line the mistake is on', () => {
  it('GIVEN a tab used as indentation WHEN parsed THEN the line of the tab', () => {
    const issues = syntaxIssues(['dataDir: .gantry', 'repositories:', '\tconfig:', '    url: x', 'logLevel: info', '']);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: '/srv/gantry.yaml', line: 3, column: 1, path: '(yaml)' });
    expect(issues[0]?.message).toContain('Tabs are not allowed');
  });

  it('GIVEN a tab after the indentation WHEN parsed THEN the line and column of the tab', () => {
    const issues = syntaxIssues(['repositories:', '  config:', '  \turl: x', '']);
    expect(issues[0]).toMatchObject({ line: 3, column: 3 });
  });

  it('GIVEN a double quote never closed WHEN parsed THEN the line where it opens, not the end of the file', () => {
    const issues = syntaxIssues(['dataDir: .gantry', 'logLevel: "info', 'registries: {}', 'git: {}', '']);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 2, column: 11 });
    expect(issues[0]?.message).toBe('Missing closing "quote (this quote is never closed)');
  });

  it('GIVEN a single quote never closed WHEN parsed THEN the line where it opens', () => {
    const issues = syntaxIssues(['dataDir: .gantry', "logLevel: 'info", 'registries: {}', '']);
    expect(issues[0]).toMatchObject({ line: 2, column: 11 });
  });

  it('GIVEN a flow mapping never closed WHEN parsed THEN the line of its {, not the next one', () => {
    const issues = syntaxIssues(['repositories:', '  config: { url: x', 'logLevel: info', '']);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 2, column: 11 });
    expect(issues[0]?.message).toContain('end with a } (opened here)');
  });

  it('GIVEN a flow sequence never closed WHEN parsed THEN the line of its [', () => {
    const issues = syntaxIssues(['server:', '  schedules: [ a, b', 'logLevel: info', '']);
    expect(issues[0]).toMatchObject({ line: 2, column: 14 });
  });

  it('GIVEN an unclosed quote inside an unclosed flow mapping WHEN parsed THEN each error at its own opener', () => {
    const issues = syntaxIssues(['repositories:', '  config: { url: "x }', 'logLevel: info', '']);
    expect(issues.map((i) => [i.line, i.column])).toEqual([
      [2, 18],
      [2, 11],
    ]);
  });

  it('GIVEN a nested mapping in a compact one WHEN parsed THEN its line and column', () => {
    const issues = syntaxIssues(['dataDir: .gantry', 'logLevel: info: warn', 'registries: {}', '']);
    expect(issues[0]).toMatchObject({ line: 2, column: 11 });
  });

  it('GIVEN a key indented differently from its siblings WHEN parsed THEN the line of that key', () => {
    const issues = syntaxIssues(['repositories:', '  config:', '    url: x', '   branch: main', 'logLevel: info', '']);
    expect(issues[0]).toMatchObject({ line: 4, column: 1 });
    expect(issues[0]?.message).toContain('must start at the same column');
  });

  it('GIVEN a key without a value in a mapping WHEN parsed THEN the line of that key', () => {
    const issues = syntaxIssues(['dataDir: .gantry', 'oops', 'logLevel: info', '']);
    expect(issues[0]).toMatchObject({ line: 2, column: 1 });
  });

  it('GIVEN a duplicate key WHEN parsed THEN the line of the second one', () => {
    const issues = syntaxIssues(['dataDir: a', 'logLevel: info', 'dataDir: b', '']);
    expect(issues[0]).toMatchObject({ line: 3, column: 1 });
  });

  it('GIVEN closed quotes and flow collections WHEN parsed THEN no error', () => {
    expect(() => parseYamlFile('/x.yaml', "a: \"x\"\nb: { c: [1, 2] }\nd: 'it''s'\n")).not.toThrow();
  });
});
