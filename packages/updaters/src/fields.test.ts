import { describe, expect, it } from 'vitest';
import { cueFields, hclFields } from './fields.js';
import { TokenError } from './tokens.js';

const strings = (fields: ReturnType<typeof hclFields>) =>
  fields.filter((f) => f.string).map((f) => [f.path.join('.'), f.string?.text]);

describe('finding values in HCL and CUE', () => {
  it('GIVEN comments, heredocs and braces inside strings WHEN HCL is read THEN only real attributes are found', () => {
    const tf = `# module "fake" { version = "0" }
/* module "also_fake" {
  version = "0"
} */
module "vpc" {
  description = <<EOT
version = "not this"
}
EOT
  name    = "a { b }"
  version = "5.1.2" // pinned
}
`;
    expect(strings(hclFields(tf))).toEqual([
      ['module.vpc.name', '"a { b }"'],
      ['module.vpc.version', '"5.1.2"'],
    ]);
  });

  it('GIVEN an interpolated string THEN it is marked, never a plain value', () => {
    const [f] = hclFields('image = "ghcr.io/app:${var.tag}"\n');
    expect(f?.string?.interpolated).toBe(true);
  });

  it('GIVEN an unterminated string or heredoc THEN a TokenError with its offset', () => {
    expect(() => hclFields('a = "x\n')).toThrow(TokenError);
    expect(() => hclFields('a = <<EOT\nno end\n')).toThrow(/never ends/);
  });

  it('GIVEN CUE with label chains, optional fields and multi-line strings THEN each string field has its path', () => {
    const cue = `bundle: {
	a: b: c: "x"
	d?: "y"
	doc: """
		e: "not a field"
		"""
	f: { g: "z", h: 1 }
}
`;
    expect(strings(cueFields(cue))).toEqual([
      ['bundle.a.b.c', '"x"'],
      ['bundle.d', '"y"'],
      ['bundle.f.g', '"z"'],
    ]);
  });
});
