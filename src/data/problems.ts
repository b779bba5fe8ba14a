import type { z } from 'zod';
import { CsiError } from '../errors.js';
import { positionOf, positionOfKey } from './yaml-source.js';
import type { PathSegment, YamlSource } from './yaml-source.js';

type Issue = z.core.$ZodIssue;

function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let here = value;
  for (const segment of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string, unknown>)[segment as string];
  }
  return here;
}

function describe(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (typeof value === 'string') return `the text "${value}"`;
  return typeof value;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  array: 'a list',
  object: 'a mapping of keys to values',
  number: 'a number',
  boolean: 'true or false',
};

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length]!;
}

/** The closest known word, if it is close enough to be a likely typo. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Keys a strict object schema at `path` accepts (following lists, optionals and unions). */
export function knownKeysAt(schema: z.ZodType, path: readonly PathSegment[], data: unknown): string[] {
  let here: unknown = schema;
  let value = data;
  const step = (s: unknown): unknown => {
    // Unwrap optionals and pipes (preprocess) until something structural is left.
    let def = (s as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    while (def && (def.type === 'optional' || def.type === 'pipe')) {
      s = def.type === 'optional' ? def.innerType : def.out;
      def = (s as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    }
    if (def?.type === 'union' && Array.isArray(def.options)) {
      const kind = (value as { kind?: unknown } | undefined)?.kind ?? 'narrative';
      const match = (def.options as unknown[]).find((o) => {
        const shape = (o as { _zod?: { def?: { shape?: Record<string, z.ZodType> } } })._zod?.def?.shape;
        const literal = shape?.kind as unknown as { _zod?: { def?: { values?: unknown[] } } } | undefined;
        return literal?._zod?.def?.values?.includes(kind);
      });
      // Not told apart by kind (a field written as text or as `{ text, exempt }`): the mapping's keys.
      const mapping = (def.options as unknown[]).find((o) => (o as { _zod?: { def?: { type?: string } } })._zod?.def?.type === 'object');
      return match ? step(match) : mapping;
    }
    return s;
  };
  here = step(here);
  for (const segment of path) {
    const def = (here as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return [];
    if (def.type === 'object' && typeof segment === 'string') {
      here = (def.shape as Record<string, unknown>)[segment];
    } else if (def.type === 'array') {
      here = def.element;
    } else {
      return [];
    }
    value = (value as Record<string, unknown> | undefined)?.[segment as string];
    here = step(here);
  }
  const def = (here as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

/** Turns zod's issues for one file into positioned problems a person can act on. */
export function problemsFromIssues(source: YamlSource, schema: z.ZodType, issues: readonly Issue[]): CsiError[] {
  const problems: CsiError[] = [];
  for (const issue of issues) {
    const path = issue.path as PathSegment[];
    const dotted = path.join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, path, source.value);
      for (const key of issue.keys) {
        const suggestion = closest(key, known);
        problems.push(
          new CsiError(`unknown key "${key}"`, {
            code: 'UNKNOWN_KEY',
            position: positionOfKey(source, path, key),
            path: [...path, key].join('.'),
            hint: suggestion
              ? `did you mean "${suggestion}"?`
              : known.length > 0
                ? `allowed keys here: ${known.join(', ')}`
                : undefined,
          }),
        );
      }
      continue;
    }
    if (issue.code === 'invalid_union' && !('discriminator' in issue)) {
      // A value that may be written two ways (text, or `{ text, exempt }`): report against the way it was written.
      const written = issue.errors.find((errors) => !errors.some((e) => e.code === 'invalid_type' && e.path.length === 0));
      if (written) {
        problems.push(...problemsFromIssues(source, schema, written.map((e) => ({ ...e, path: [...path, ...e.path] }))));
        continue;
      }
    }
    const value = valueAt(source.value, path);
    const key = path.at(-1);
    let code = 'INVALID_VALUE';
    let message = issue.message;
    let hint: string | undefined;
    if (value === undefined && typeof key === 'string' && issue.code !== 'custom') {
      code = 'MISSING_KEY';
      message = `missing required key "${String(key)}"`;
      if (issue.code === 'invalid_value') hint = `use one of: ${issue.values.map(String).join(', ')}`;
    } else if (issue.code === 'invalid_type') {
      code = 'WRONG_TYPE';
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      message = `${typeof key === 'string' ? `"${key}" ` : ''}should be ${expected}, not ${describe(value)}`;
      if (issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
        hint = `quote it: "${String(value)}"`;
      }
    } else if (issue.code === 'invalid_value') {
      code = 'NOT_ALLOWED';
      message = `${describe(value)} is not allowed${typeof key === 'string' ? ` for "${key}"` : ''}`;
      hint = `use one of: ${issue.values.map(String).join(', ')}`;
    } else if (issue.code === 'invalid_union' && 'discriminator' in issue) {
      code = 'NOT_ALLOWED';
      const options = (issue as { options?: unknown[] }).options ?? [];
      message = value === undefined ? 'missing required key "kind"' : `${describe(value)} is not a known kind`;
      hint = `use one of: ${options.map(String).join(', ')}`;
    } else if (issue.code === 'invalid_union') {
      code = 'WRONG_TYPE';
      const expected = issue.errors.flatMap((errors) =>
        errors.filter((e) => e.code === 'invalid_type' && e.path.length === 0).map((e) => EXPECTED[(e as { expected: string }).expected] ?? ''),
      );
      message = `${typeof key === 'string' ? `"${key}" ` : ''}should be ${[...new Set(expected)].filter(Boolean).join(' or ')}, not ${describe(value)}`;
    } else if (issue.code === 'too_small' && Array.isArray(value)) {
      code = 'EMPTY_LIST';
      message = `"${String(key)}" needs at least one entry`;
    } else if (issue.code === 'custom' && issue.message === 'must not be empty') {
      code = 'EMPTY_TEXT';
      message = `"${String(key)}" must not be empty`;
    } else if (issue.code === 'custom' && /date/.test(issue.message)) {
      code = 'INVALID_DATE';
    } else if (issue.code === 'invalid_format') {
      code = 'INVALID_FORMAT';
      message = `${typeof key === 'string' ? `"${key}" ` : ''}${issue.message}`;
    }
    problems.push(
      new CsiError(message, { code, position: positionOf(source, path), path: dotted, ...(hint ? { hint } : {}) }),
    );
  }
  // A misspelt key is one mistake, not two: drop "missing status" beside "unknown statsu, did you mean status?".
  return problems.filter(
    (p) =>
      p.code !== 'MISSING_KEY' ||
      !problems.some(
        (q) =>
          q.code === 'UNKNOWN_KEY' &&
          q.hint === `did you mean "${p.path?.split('.').at(-1)}"?` &&
          q.path?.split('.').slice(0, -1).join('.') === p.path?.split('.').slice(0, -1).join('.'),
      ),
  );
}
