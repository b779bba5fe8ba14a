import { CsiError } from '../errors.js';
import { printsNothing } from '../text/markdown.js';
import { checkDataSet } from './checks.js';
import type { ExpectedNames } from './checks.js';
import { problemsFromIssues } from './problems.js';
import { appendixFileSchema, GlossaryFile, ReportFile } from './schema.js';
import type { AppendixFile } from './schema.js';
import { DEFAULT_SCHEME } from './status.js';
import type { StatusScheme } from './status.js';
import type { z } from 'zod';
import { withCsvFigures } from './measures.js';
import { warningsIn } from './warnings.js';
import { positionOf, readYamlSource } from './yaml-source.js';
import type { YamlRead, YamlSource } from './yaml-source.js';

export const REPORT_FILE = 'report.yaml';
export const GLOSSARY_FILE = 'glossary.yaml';

/** A data set that has passed every check, ready to be modelled. */
export interface DataSet {
  report: ReportFile;
  glossary: GlossaryFile | undefined;
  /** In the order report.yaml lists them. */
  appendices: AppendixFile[];
  /** Which file each appendix came from, by key. */
  appendixFiles: Map<string, string>;
  /** The status words the data was checked against, which the report and the diff print. */
  statuses: StatusScheme;
}

/** The data set or every problem in it, and either way the warnings (data that reads, but likely not as meant). */
export type DataSetResult = ({ ok: true; data: DataSet } | { ok: false; problems: CsiError[] }) & { warnings: CsiError[] };

/** What the data is checked against besides itself. */
export interface DataSetOptions {
  /** The council and committee csi.config.yaml names. */
  expected?: ExpectedNames | undefined;
  /**
   * Look for warnings (default true); a comparison of two versions has no use for them.
   * Without warnings, each file's YAML document is let go once its values are read
   * (readYamlSource's keepDocument), and parsed again only to place a problem.
   */
  warnings?: boolean;
  /** The council's status words (csi.config.yaml). Default: csi's own. */
  statuses?: StatusScheme | undefined;
  /** Files already parsed in this run (a history reads the same blob at many commits). */
  cache?: ParseCache | undefined;
}

/**
 * What parsing each file gave, kept by its bytes (the same bytes object for the same
 * git blob) and name, and what checking it against its schema gave: a history of
 * hundreds of commits parses each version of each file once. Only for one set of
 * status words: the schemas depend on them.
 */
export interface ParseCache {
  reads: WeakMap<Uint8Array, Map<string, YamlRead>>;
  checked: WeakMap<YamlSource, { data: unknown; problems: CsiError[] }>;
  /** Whether a text prints nothing, by text: the cross-file checks ask it of every text at every commit. */
  blank: Map<string, boolean>;
}

/** An empty parse cache. */
export function parseCache(): ParseCache {
  return { reads: new WeakMap(), checked: new WeakMap(), blank: new Map() };
}

/** readYamlSource, once per bytes and name when there is a cache. */
function readCached(file: string, bytes: Uint8Array, keepDocument: boolean, cache: ParseCache | undefined): YamlRead {
  if (!cache) return readYamlSource(file, bytes, { keepDocument });
  let byName = cache.reads.get(bytes);
  if (!byName) cache.reads.set(bytes, (byName = new Map()));
  let read = byName.get(file);
  if (!read) byName.set(file, (read = readYamlSource(file, bytes, { keepDocument })));
  return read;
}

/** True for the file names csi reads as data: YAML, and the CSVs of figures a scorecard names. */
export function isDataFileName(name: string): boolean {
  return (isYamlFileName(name) || /\.csv$/i.test(name)) && !name.startsWith('.');
}

/** True for the data files that are YAML (the rest are CSVs, read only when a scorecard names them). */
function isYamlFileName(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

function validate<T>(source: YamlSource, schema: z.ZodType<T>, problems: CsiError[], cache?: ParseCache): T | undefined {
  const known = cache?.checked.get(source);
  if (known) {
    for (const p of known.problems) problems.push(p);
    return known.data as T | undefined;
  }
  const found: CsiError[] = [];
  const data = check(source, schema, found);
  cache?.checked.set(source, { data, problems: found });
  for (const p of found) problems.push(p);
  return data;
}

function check<T>(source: YamlSource, schema: z.ZodType<T>, problems: CsiError[]): T | undefined {
  const result = schema.safeParse(source.value);
  if (result.success) return result.data;
  for (const p of problemsFromIssues(source, schema, result.error.issues)) problems.push(p);
  return undefined;
}

/**
 * Parses and checks a whole data set from its files' bytes (names relative to the
 * data directory). Pure: the caller does the reading. Collects every problem:
 * cross-file checks run on whatever passed the schema. Each file is parsed once,
 * on its own, so whether one file is valid never depends on another.
 */
export function parseDataSet(files: ReadonlyMap<string, Uint8Array>, options: DataSetOptions = {}): DataSetResult {
  const statuses = options.statuses ?? DEFAULT_SCHEME;
  const problems: CsiError[] = [];
  const { sources, texts } = readFiles(files, problems, options.warnings !== false, options.cache);

  if (!files.has(REPORT_FILE)) {
    problems.push(
      new CsiError(`the data set has no ${REPORT_FILE}`, {
        code: 'MISSING_FILE',
        position: { file: REPORT_FILE, line: 1, column: 1 },
        hint: 'every data set needs report.yaml: the title, meeting and sections of the report',
      }),
    );
  }

  const { report, glossary, appendices, failed } = validateFiles(files, sources, statuses, problems, options.cache);
  for (const p of checkDataSet({ report, hasGlossary: files.has(GLOSSARY_FILE), appendices, failed, sources, printsNothing: blankTest(options.cache), expected: options.expected, statusIds: statuses.status.map((w) => w.id), ratingKeys: statuses.ratings.map((r) => r.key) })) {
    problems.push(p);
  }

  const linesOf = lineReader(texts);
  const warnings = warningsBeside(problems, options.warnings === false ? [] : [...sources.values()].flatMap(warningsIn), linesOf);
  if (problems.length > 0 || !report) {
    return { ok: false, problems: capPerFile(sortProblems(problems)).map((p) => withExcerpt(p, linesOf)), warnings };
  }

  const appendixFiles = new Map(appendices.map((a) => [a.data.key, a.file]));
  const byKey = new Map(appendices.map((a) => [a.data.key, a.data]));
  return {
    ok: true,
    data: {
      report,
      glossary,
      appendices: report.appendices.map((key) => byKey.get(key)!),
      appendixFiles,
      statuses,
    },
    warnings,
  };
}

/** Parses each YAML file once, in name order, and keeps every file's text to quote the line a problem is on. */
function readFiles(files: ReadonlyMap<string, Uint8Array>, problems: CsiError[], keepDocuments: boolean, cache: ParseCache | undefined) {
  const sources = new Map<string, YamlSource>();
  const texts = new Map<string, string>();
  for (const [file, bytes] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (!isYamlFileName(file)) {
      // A CSV is read when a scorecard names it; its text is kept to quote the line a problem is on.
      texts.set(file, new TextDecoder().decode(bytes));
      continue;
    }
    const read = readCached(file, bytes, keepDocuments, cache);
    for (const p of read.problems) problems.push(p);
    const text = read.text ?? read.source?.text;
    if (text !== undefined) texts.set(file, text);
    if (read.source) sources.set(file, read.source);
  }
  return { sources, texts };
}

/** Checks each parsed file against its schema: the appendices first, then report.yaml and glossary.yaml. */
function validateFiles(files: ReadonlyMap<string, Uint8Array>, sources: Map<string, YamlSource>, statuses: StatusScheme, problems: CsiError[], cache: ParseCache | undefined) {
  const AppendixFile = appendixFileSchema(statuses);
  let report: ReportFile | undefined;
  let glossary: GlossaryFile | undefined;
  const appendices: { file: string; data: AppendixFile }[] = [];
  const failed: { file: string; key: string | undefined }[] = [];
  for (const file of files.keys()) {
    if (file === REPORT_FILE || file === GLOSSARY_FILE || !isYamlFileName(file)) continue;
    const source = sources.get(file);
    const valid = source ? validate(source, AppendixFile, problems, cache) : undefined;
    // A scorecard's figures may come from a CSV beside it: read now, so every later stage sees them.
    const data = valid?.kind === 'scorecard' && source ? figures(valid, source, files, problems) : valid;
    if (data) appendices.push({ file, data });
    else failed.push({ file, key: declaredKey(source?.value) });
  }
  const reportSource = sources.get(REPORT_FILE);
  if (reportSource) report = validate(reportSource, ReportFile, problems, cache);
  const glossarySource = sources.get(GLOSSARY_FILE);
  if (glossarySource) glossary = validate(glossarySource, GlossaryFile, problems, cache);
  return { report, glossary, appendices, failed };
}

/** printsNothing, remembered by text when there is a cache (a history asks it of the same texts at every commit). */
function blankTest(cache: ParseCache | undefined): (text: string) => boolean {
  const blank = cache?.blank;
  return blank
    ? (text: string) => blank.get(text) ?? (blank.set(text, printsNothing(text)), blank.get(text)!)
    : printsNothing;
}

/** A file's lines by name, split once and only when a problem needs quoting. */
function lineReader(texts: ReadonlyMap<string, string>): (file: string) => string[] {
  const lines = new Map<string, string[]>();
  return (file: string) => {
    if (!lines.has(file)) lines.set(file, texts.get(file)?.split('\n') ?? []);
    return lines.get(file)!;
  };
}

/** The warnings to show, each with its line quoted: none on a line that has an error. */
function warningsBeside(problems: readonly CsiError[], found: CsiError[], linesOf: (file: string) => string[]): CsiError[] {
  // A line with an error has one thing to fix first: no warning beside it.
  const withError = new Set(problems.map((p) => `${p.position?.file}:${p.position?.line}`));
  return capPerFile(sortProblems(found))
    .filter((w) => !withError.has(`${w.position?.file}:${w.position?.line}`))
    .map((w) => withExcerpt(w, linesOf));
}

/** A scorecard with its CSV's figures laid over it; undefined (and the problems added) when the CSV is wrong. */
function figures(data: Extract<AppendixFile, { kind: 'scorecard' }>, source: YamlSource, files: ReadonlyMap<string, Uint8Array>, problems: CsiError[]) {
  const merged = withCsvFigures(data, files, (path) => positionOf(source, path));
  problems.push(...merged.problems);
  return merged.problems.length === 0 ? merged.data : undefined;
}

/** The `key` an appendix file declares, read from raw data that failed the schema. */
function declaredKey(value: unknown): string | undefined {
  const key = value !== null && typeof value === 'object' ? (value as Record<string, unknown>).key : undefined;
  return typeof key === 'string' ? key : undefined;
}

/** By file, then line and column, so the output reads down each file once. */
export function sortProblems(problems: CsiError[]): CsiError[] {
  const key = (p: CsiError) => [p.position?.file ?? '', p.position?.line ?? 0, p.position?.column ?? 0] as const;
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => {
      const [fa, la, ca] = key(a.p);
      const [fb, lb, cb] = key(b.p);
      return fa.localeCompare(fb) || la - lb || ca - cb || a.i - b.i;
    })
    .map(({ p }) => p);
}

/** Problems listed per file; past this, one more line says how many were left out. */
export const MAX_PROBLEMS_PER_FILE = 100;

/** The first problems in each file, and a count of the rest: a broken file should not bury the others. */
function capPerFile(problems: CsiError[]): CsiError[] {
  const perFile = new Map<string, number>();
  const kept: CsiError[] = [];
  for (const p of problems) {
    const file = p.position?.file ?? '';
    const n = (perFile.get(file) ?? 0) + 1;
    perFile.set(file, n);
    if (n <= MAX_PROBLEMS_PER_FILE) kept.push(p);
    else if (n === MAX_PROBLEMS_PER_FILE + 1) {
      const more = problems.filter((q) => (q.position?.file ?? '') === file).length - MAX_PROBLEMS_PER_FILE;
      kept.push(new CsiError(`this file has ${more} more problem${more === 1 ? '' : 's'}, not listed`, {
        code: 'TOO_MANY_PROBLEMS',
        ...(p.position ? { position: p.position } : {}),
        hint: 'fix the ones above and run again',
      }));
    }
  }
  return kept;
}

/** Problems in one file (csi.config.yaml), sorted, each with the line it points into. */
export function problemsInFile(problems: CsiError[], text: string | undefined): CsiError[] {
  const lines = text?.split('\n') ?? [];
  return sortProblems(problems).map((p) => withExcerpt(p, () => lines));
}

/** The problem with the source line it points into, to quote under the message. */
function withExcerpt(p: CsiError, linesOf: (file: string) => string[]): CsiError {
  const line = p.position ? linesOf(p.position.file)[p.position.line - 1]?.replace(/\r$/, '') : undefined;
  if (!line || line.trim() === '' || p.excerpt !== undefined) return p;
  return new CsiError(p.message, {
    code: p.code,
    kind: p.kind,
    ...(p.position ? { position: p.position } : {}),
    ...(p.path !== undefined ? { path: p.path } : {}),
    ...(p.hint !== undefined ? { hint: p.hint } : {}),
    ...(p.cause !== undefined ? { cause: p.cause } : {}),
    excerpt: line,
  });
}
