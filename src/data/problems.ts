import { globalRegistry } from 'zod';
import type { z } from 'zod';
import { CsiError, isErrorCode } from '../errors.js';
import type { ErrorCode, SourcePosition } from '../errors.js';
import { firstInvisible, INVISIBLE, nameOf, WORD_BULLET } from './pasted.js';
import { commaInFlowValue, locate, locateKey, positionOfText, writtenAt } from './yaml-source.js';
import type { Location, PathSegment, YamlSource } from './yaml-source.js';

type Issue = z.core.$ZodIssue;

function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let here = value;
  for (const segment of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string, unknown>)[segment as string];
  }
  return here;
}

/** Longest stretch of a value a message quotes: enough to recognise it, never a whole file. */
const QUOTE_WIDTH = 60;

function quote(text: string): string {
  const line = text.split('\n')[0]!;
  return line.length > QUOTE_WIDTH || line !== text ? `${line.slice(0, QUOTE_WIDTH)}…` : line;
}

function describe(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (typeof value === 'string') return `the text "${quote(value)}"`;
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

type ZodInternals = { _zod?: { def?: Record<string, unknown>; propValues?: Record<string, Set<unknown>> } };

/** The schema of the value at `path` (following lists, optionals, defaults and unions). */
function schemaAt(schema: z.ZodType, path: readonly PathSegment[], data: unknown): unknown {
  let here: unknown = schema;
  let value = data;
  const step = (s: unknown): unknown => {
    // Unwrap optionals, defaults and pipes until something structural is left.
    let def = (s as ZodInternals | undefined)?._zod?.def;
    while (def && (def.type === 'optional' || def.type === 'default' || def.type === 'pipe')) {
      s = def.type === 'pipe' ? def.out : def.innerType;
      def = (s as ZodInternals)._zod?.def;
    }
    if (def?.type === 'union' && Array.isArray(def.options)) {
      const options = def.options as ZodInternals[];
      if (typeof def.discriminator === 'string') {
        // A discriminated union: the option whose discriminator accepts this value's.
        const given = (value as Record<string, unknown> | undefined)?.[def.discriminator];
        const match = options.find((o) => o._zod?.propValues?.[def.discriminator as string]?.has(given));
        return match ? step(match) : undefined;
      }
      // A value that may be written two ways (text, or a mapping such as `{ text, exempt }`): the mapping's keys.
      const mapping = options.find((o) => o._zod?.def?.type === 'object');
      return mapping ? step(mapping) : undefined;
    }
    return s;
  };
  here = step(here);
  for (const segment of path) {
    const def = (here as ZodInternals | undefined)?._zod?.def;
    if (!def) return undefined;
    if (def.type === 'object' && typeof segment === 'string') {
      here = (def.shape as Record<string, unknown>)[segment];
    } else if (def.type === 'array') {
      here = def.element;
    } else {
      return undefined;
    }
    value = (value as Record<string, unknown> | undefined)?.[segment as string];
    here = step(here);
  }
  return here;
}

/** Keys a strict object schema at `path` accepts. */
export function knownKeysAt(schema: z.ZodType, path: readonly PathSegment[], data: unknown): string[] {
  const def = (schemaAt(schema, path, data) as ZodInternals | undefined)?._zod?.def;
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

/** The values a text at `path` may take, when its schema lists them for editors (`.meta({ enum })`: statuses). */
function listedValuesAt(schema: z.ZodType, path: readonly PathSegment[], data: unknown): unknown[] | undefined {
  const here = schemaAt(schema, path, data);
  const listed = here ? globalRegistry.get(here as z.ZodType)?.enum : undefined;
  return Array.isArray(listed) ? listed : undefined;
}

/** The keys of the mapping a schema wants, required ones first: "one, many" or "body, what, frequency (and optionally session, exempt)". */
function keysWanted(def: Record<string, unknown>): { required: string[]; optional: string[] } {
  const shape = def.shape as Record<string, ZodInternals>;
  const optional = (k: string) => ['optional', 'default'].includes(String(shape[k]?._zod?.def?.type));
  const keys = Object.keys(shape);
  return { required: keys.filter((k) => !optional(k)), optional: keys.filter(optional) };
}

/**
 * What to write where a mapping (or a list of mappings) is wanted: the keys, and, for a text
 * that reads as one of them and its value ("paragraph 3"), the mapping it meant ("{ paragraph: 3 }").
 */
function shapeHint(schema: z.ZodType, path: readonly PathSegment[], data: unknown, value: unknown): string | undefined {
  let def = (schemaAt(schema, path, data) as ZodInternals | undefined)?._zod?.def;
  const list = def?.type === 'array';
  if (list) def = (schemaAt(schema, [...path, 0], data) as ZodInternals | undefined)?._zod?.def;
  if (def?.type !== 'object') return undefined;
  const { required, optional } = keysWanted(def);
  if (required.length + optional.length === 0) return undefined;
  const named = required.length > 0 ? required : optional;
  const keys = `${named.join(', ')}${required.length > 0 && optional.length > 0 ? ` (and optionally ${optional.join(', ')})` : ''}`;
  const key = path.at(-1);
  const prefix = typeof key === 'string' ? `${key}: ` : '';
  const said = typeof value === 'string' ? /^\s*([A-Za-z_]+)\s*[:=]?\s+(\S.*)$/.exec(value) : null;
  const meant = said && [...required, ...optional].includes(said[1]!) ? `{ ${said[1]}: ${said[2]!.trim()} }` : undefined;
  const example = meant ?? `{ ${named.map((k) => `${k}: …`).join(', ')} }`;
  const the = required.length + optional.length === 1 ? 'the key' : 'the keys';
  return list
    ? `write a list of mappings with ${the} ${keys}, e.g. ${prefix}[${example}]`
    : `write a mapping with ${the} ${keys}, e.g. ${prefix}${example}`;
}

/** A problem at a located value; a value reached through an alias names its anchor. */
function located(message: string, location: Location, options: { code: ErrorCode; path: string; hint?: string | undefined }): CsiError {
  const { alias } = location;
  const via = alias
    ? ` (through the alias *${alias.name}; its anchor &${alias.name} is at ${alias.anchor.file}:${alias.anchor.line}:${alias.anchor.column})`
    : '';
  return new CsiError(`${message}${via}`, {
    code: options.code,
    position: location.position,
    path: options.path,
    ...(options.hint ? { hint: options.hint } : {}),
  });
}

/** The allowed value a near miss was meant to be: the same but for case or spacing ("On track"), or a likely typo. */
function meantValue(written: string, values: readonly unknown[]): string | undefined {
  const words = values.filter((v): v is string => typeof v === 'string');
  const fold = (text: string) => text.trim().toLowerCase().replace(/[\s_]+/g, '-');
  return words.find((w) => fold(w) === fold(written)) ?? closest(written, words);
}

const allowed = (values: readonly unknown[]) =>
  `use one of: ${values.filter((v) => v !== undefined && v !== null).map(String).join(', ')}`;

/** Turns zod's issues for one file into positioned problems a person can act on. */
export function problemsFromIssues(source: YamlSource, schema: z.ZodType, issues: readonly Issue[]): CsiError[] {
  const problems: CsiError[] = [];
  /** For a problem reached through an alias, where the value is really written. */
  const written: (SourcePosition | undefined)[] = [];
  const add = (p: CsiError, location: Location) => {
    problems.push(p);
    written.push(location.alias?.value);
  };
  for (const issue of issues) {
    const path = issue.path as PathSegment[];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(...unknownKey(source, schema, path, key));
      continue;
    }
    if (issue.code === 'invalid_union' && !('discriminator' in issue)) {
      // A value that may be written two ways: report against the way it was written.
      // (A way whose mistakes lie inside the value, as in a list of statuses, is the way it was written.)
      const ways = issue.errors.filter((errors) => !errors.some((e) => e.code === 'invalid_type' && e.path.length === 0));
      const way = ways.find((errors) => errors.some((e) => e.path.length > 0)) ?? ways[0];
      if (way) {
        const nested = problemsFromIssues(source, schema, way.map((e) => ({ ...e, path: [...path, ...e.path] }) as Issue));
        for (const p of nested) add(p, { position: p.position! });
        continue;
      }
    }
    add(...valueProblem(source, schema, issue, path));
  }
  return withoutEchoes(problems, written);
}

/** A key the schema does not know, with the likeliest fix: the key meant, a comma to quote, a character to delete. */
function unknownKey(source: YamlSource, schema: z.ZodType, path: PathSegment[], key: string): [CsiError, Location] {
  const known = knownKeysAt(schema, path, source.value);
  const suggestion = closest(key.replace(INVISIBLE, ''), known);
  const location = locateKey(source, path, key);
  const flow = commaInFlowValue(source, path, key);
  const invisible = firstInvisible(key);
  const named = invisible
    ? `: it holds ${nameOf(invisible.char)} at column ${location.position.column + invisible.index}, which cannot be seen`
    : '';
  const hint = key === '<<'
    ? 'merge keys (<<) are not supported; write the keys out'
    : flow
      ? `in { … } a comma ends a value: if "${key}" belongs to the ${flow.key} before it, quote that value, ${flow.key}: "${flow.value}, ${key}"`
      : suggestion
        ? `did you mean "${suggestion}"?`
        : known.length > 0
          ? `allowed keys here: ${known.join(', ')}`
          : undefined;
  return [located(`the key "${key}" is not one csi knows${named}`, location, { code: 'UNKNOWN_KEY', path: [...path, key].join('.'), hint }), location];
}

/** A value the schema refuses, placed; a character nobody can see, when that is why, named where it is. */
function valueProblem(source: YamlSource, schema: z.ZodType, issue: Issue, path: PathSegment[]): [CsiError, Location] {
  const value = valueAt(source.value, path);
  const key = path.at(-1);
  const parent = path.at(-2);
  const named =
    typeof key === 'string' ? `"${key}" ` : typeof key === 'number' && typeof parent === 'string' ? `item ${key + 1} of "${parent}" ` : '';
  const location = locate(source, path);
  const invisible = typeof value === 'string' ? firstInvisible(value) : undefined;
  if (invisible && !location.alias) {
    const at = positionOfText(source, path, invisible.char);
    const message = `${named || 'this value '}holds ${nameOf(invisible.char)} at column ${at.column}, which cannot be seen, so csi cannot read it`;
    const hint = 'delete it, and type an ordinary space if one is needed: it usually comes with text pasted from Word';
    return [located(message, { position: at }, { code: 'INVISIBLE_CHARACTER', path: path.join('.'), hint }), location];
  }
  const { code, message, hint } = described(source, schema, issue, path, value, named);
  return [located(message, location, { code, path: path.join('.'), hint }), location];
}

/** zod's issue in the words of the data: what is wrong with the value, and the fix where there is one. */
function described(
  source: YamlSource,
  schema: z.ZodType,
  issue: Issue,
  path: PathSegment[],
  value: unknown,
  named: string,
): { code: ErrorCode; message: string; hint?: string | undefined } {
  const key = path.at(-1);
  const quoteIt = () => `quote it: "${writtenAt(source, path) ?? String(value)}"`;
  const emptyText = (hint: string) => ({ code: 'EMPTY_TEXT' as const, message: `${named || 'this text '}is empty`, hint });
  if (value === undefined && typeof key === 'string' && issue.code !== 'custom') {
    const listed = listedValuesAt(schema, path, source.value);
    const values = issue.code === 'invalid_union' && 'options' in issue
      ? (issue as { options: unknown[] }).options
      : listed ?? (issue.code === 'invalid_value' ? issue.values : undefined);
    return { code: 'MISSING_KEY', message: `the required key "${key}" is missing`, hint: values && allowed(values) };
  }
  if (issue.code === 'invalid_type' && issue.expected === 'string' && value === null) {
    // `title:` with nothing after it: the commonest way to leave a text empty.
    return emptyText('write the text after the colon, or remove the line if the key is optional');
  }
  if (issue.code === 'invalid_type') {
    const message = `${named || 'this '}should be ${EXPECTED[issue.expected] ?? issue.expected}, not ${describe(value)}`;
    const bullet = issue.expected === 'array' && typeof value === 'string' ? WORD_BULLET.exec(value)?.[0] : undefined;
    if (bullet) {
      return { code: 'WRONG_TYPE', message, hint: `"${bullet}" is a bullet pasted from Word: start each item of the list on a line of its own with "- " (a hyphen, then a space)` };
    }
    const number = issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean');
    const shape = issue.expected === 'object' || issue.expected === 'array' ? shapeHint(schema, path, source.value, value) : undefined;
    return { code: 'WRONG_TYPE', message, hint: number ? quoteIt() : shape };
  }
  if (issue.code === 'invalid_value') {
    const message = `${describe(value)} is not allowed${typeof key === 'string' ? ` for "${key}"` : ''}`;
    // YAML reads 1.0 and 1. as the number 1: allowed words that look like the number need quotes.
    const numeric = issue.values.filter((v) => typeof v === 'string' && typeof value === 'number' && Number(v) === value);
    if (numeric.length > 0) {
      return { code: 'NOT_ALLOWED', message, hint: `YAML reads ${numeric.join(' and ')} as the number ${String(value)}: write it in quotes, e.g. "${String(numeric[0])}"` };
    }
    const meant = typeof value === 'string' ? meantValue(value, issue.values) : undefined;
    return { code: 'NOT_ALLOWED', message, hint: `${meant === undefined ? '' : `did you mean "${meant}"? `}${allowed(issue.values)}` };
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue) {
    const options = (issue as { options?: unknown[] }).options ?? [];
    const message = value === undefined ? `the required key "${String(key)}" is missing` : `${describe(value)} is not a known ${String(key)}`;
    return { code: 'NOT_ALLOWED', message, hint: allowed(options) };
  }
  if (issue.code === 'invalid_union') {
    // Neither way it may be written: say both.
    const expected = issue.errors.flatMap((errors) =>
      errors.filter((e) => e.code === 'invalid_type' && e.path.length === 0).map((e) => (e as { expected: string }).expected),
    );
    if (value === null && expected.includes('string')) return emptyText('write the text after the colon, or remove the line if the key is optional');
    const words = [...new Set(expected.map((e) => EXPECTED[e] ?? e))];
    const number = expected.includes('string') && (typeof value === 'number' || typeof value === 'boolean');
    return { code: 'WRONG_TYPE', message: `${named || 'this '}should be ${words.join(' or ')}, not ${describe(value)}`, hint: number ? quoteIt() : undefined };
  }
  if (issue.code === 'too_small' && Array.isArray(value)) return { code: 'EMPTY_LIST', message: `${named || 'this list '}needs at least one entry` };
  if (issue.code === 'custom' && issue.message === 'must not be empty') return emptyText('write the text, or remove the line if the key is optional');
  if (issue.code === 'custom' && isErrorCode(issue.params?.csi)) {
    // The schema names the code of its own refinements (dates, statuses), and may give a hint.
    return { code: issue.params.csi, message: issue.message, hint: typeof issue.params.hint === 'string' ? issue.params.hint : undefined };
  }
  if (issue.code === 'invalid_format') {
    const what = typeof key === 'string' ? key.replace(/_/g, ' ') : 'value';
    return { code: 'INVALID_FORMAT', message: `${describe(value)} is not ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what} csi can use`, hint: issue.message };
  }
  return { code: 'INVALID_VALUE', message: issue.message };
}

/**
 * One mistake, one problem. A misspelt key is one mistake, not two: drop "missing status"
 * beside "unknown statsu, did you mean status?". A mistake under an anchor is reported
 * there, not again at every alias that repeats it (`written`: for a problem reached through
 * an alias, where the value is really written).
 */
function withoutEchoes(problems: CsiError[], written: (SourcePosition | undefined)[]): CsiError[] {
  const same = (a: SourcePosition | undefined, b: SourcePosition | undefined) => a?.line === b?.line && a?.column === b?.column;
  return problems.filter(
    (p, i) =>
      !(
        (p.code === 'MISSING_KEY' &&
          problems.some(
            (q) =>
              q.code === 'UNKNOWN_KEY' &&
              q.hint === `did you mean "${p.path?.split('.').at(-1)}"?` &&
              q.path?.split('.').slice(0, -1).join('.') === p.path?.split('.').slice(0, -1).join('.'),
          )) ||
        (written[i] !== undefined && problems.some((q, j) => j !== i && written[j] === undefined && q.code === p.code && same(q.position, written[i])))
      ),
  );
}
