import { z } from 'zod';

export const COMPARISON_OPERATORS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** A bound a query's value is compared with: `value < 0.01`. */
export interface Comparison {
  readonly op: ComparisonOperator;
  readonly value: number;
}

const TEXT = /^\s*(<=|>=|==|!=|<|>)\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*$/;

/** Parses `"< 0.01"`, `">= 1"`, `"== 0"`; `undefined` when the text is not one. */
export function parseComparison(text: string): Comparison | undefined {
  const m = TEXT.exec(text);
  if (!m) return undefined;
  return { op: m[1] as ComparisonOperator, value: Number(m[2]) };
}

/**
 * A comparison as text (`"< 0.01"`) or structured (`{ op: "<", value: 0.01 }`).
 */
export const comparisonSchema: z.ZodType<Comparison, string | Comparison> = z.union(
  [
    z
      .string()
      .regex(TEXT)
      .transform((s) => parseComparison(s) as Comparison),
    z.strictObject({ op: z.enum(COMPARISON_OPERATORS), value: z.number() }),
  ],
  { error: 'a comparison such as "< 0.01", ">= 1" or "== 0" (operators <, <=, >, >=, ==, !=)' },
);

/**
 * Whether `value` satisfies the bound. NaN satisfies nothing, not even `!=`: a value
 * Prometheus could not compute never passes a check.
 */
export function compare(value: number, c: Comparison): boolean {
  if (Number.isNaN(value)) return false;
  switch (c.op) {
    case '<':
      return value < c.value;
    case '<=':
      return value <= c.value;
    case '>':
      return value > c.value;
    case '>=':
      return value >= c.value;
    case '==':
      return value === c.value;
    case '!=':
      return value !== c.value;
  }
}

export function formatComparison(c: Comparison): string {
  return `${c.op} ${c.value}`;
}
