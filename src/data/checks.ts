import { CsiError } from '../errors.js';
import type { ErrorCode, SourcePosition } from '../errors.js';
import { compareDays, parsePlanDate } from './dates.js';
import type { PlanDay } from './dates.js';
import { closest } from './problems.js';
import type { AppendixFile, ReportFile } from './schema.js';
import { positionOf, positionOfText } from './yaml-source.js';
import type { PathSegment, YamlSource } from './yaml-source.js';

const REPORT = 'report.yaml';

/** Anything written like a reference, so a misspelt one is caught rather than printed as is. */
const ANY_REFERENCE = /\[\[([A-Za-z][\w-]*):([^\]\s]*)\]\]/g;

/**
 * What csi.config.yaml says every report is for: report.yaml must name the same
 * council and committee, so a report never goes out under another council's logo.
 */
export interface ExpectedNames {
  council?: string | undefined;
  committee?: string | undefined;
  /** The config file that names them, as messages name it. */
  configFile?: string | undefined;
}

export interface CheckInput {
  /**
   * report.yaml, if it passed the schema. If not, its appendix list and sections
   * are still read from the source where they can be, so nothing goes unreported.
   */
  report: ReportFile | undefined;
  /** Whether glossary.yaml is in the data set (valid or not). */
  hasGlossary: boolean;
  /** The appendix files that passed the schema. */
  appendices: { file: string; data: AppendixFile }[];
  /**
   * Appendix files that did not pass, with the key each declares when it can be
   * read, so that references to them are not also reported as dangling.
   */
  failed: { file: string; key: string | undefined }[];
  sources: Map<string, YamlSource>;
  /** Whether a Markdown text prints nothing once made safe (text/markdown.ts's answer). */
  printsNothing: (text: string) => boolean;
  /** The council and committee the config names, if it does. */
  expected?: ExpectedNames | undefined;
  /** The status ids a `[[count:WHAT/STATUS]]` may name. */
  statusIds?: readonly string[] | undefined;
  /** The keys of the further ratings csi.config.yaml names, which a `kind: trend` section may count by. */
  ratingKeys?: readonly string[] | undefined;
}

interface Located {
  file: string;
  path: PathSegment[];
}

/**
 * Every text field in a file that holds `[[`, the start of a reference, with where it
 * is. The walk keeps one path and copies it only for a hit: a large plan has tens of
 * thousands of strings and hardly any references.
 */
function textFieldsWithReferences(value: unknown): { text: string; path: PathSegment[] }[] {
  const found: { text: string; path: PathSegment[] }[] = [];
  const path: PathSegment[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      if (v.includes('[[')) found.push({ text: v, path: [...path] });
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i]);
        path.pop();
      }
    } else if (v !== null && typeof v === 'object') {
      for (const k in v) {
        path.push(k);
        walk((v as Record<string, unknown>)[k]);
        path.pop();
      }
    }
  };
  walk(value);
  return found;
}

/** Every stable id a file declares, with where it is declared. */
function* declaredIds(file: string, data: ReportFile | AppendixFile): Generator<{ id: string } & Located> {
  if ('sections' in data) {
    for (const [i, s] of data.sections.entries()) yield { id: s.id, file, path: ['sections', i, 'id'] };
    return;
  }
  yield { id: data.key, file, path: ['key'] };
  switch (data.kind) {
    case 'chronology':
      for (const [i, e] of data.entries.entries()) yield { id: e.id, file, path: ['entries', i, 'id'] };
      break;
    case 'recommendations':
      for (const [g, group] of data.groups.entries()) {
        yield { id: group.id, file, path: ['groups', g, 'id'] };
        for (const [i, item] of group.items.entries()) yield { id: item.id, file, path: ['groups', g, 'items', i, 'id'] };
      }
      break;
    case 'aspirations':
      for (const [i, a] of data.aspirations.entries()) yield { id: a.id, file, path: ['aspirations', i, 'id'] };
      break;
    case 'framework':
      for (const [i, b] of data.bodies.entries()) yield { id: b.id, file, path: ['bodies', i, 'id'] };
      break;
  }
}

type Exemptable = string | { text: string };
const located = (value: Exemptable, path: PathSegment[]) =>
  typeof value === 'string' ? { text: value, path } : { text: value.text, path: [...path, 'text'] };

/** Every text a file holds that the report prints as Markdown, with where it is. */
function* markdownTexts(file: string, data: ReportFile | AppendixFile): Generator<{ text: string } & Located> {
  if ('sections' in data) {
    for (const [s, section] of data.sections.entries()) {
      if (section.kind !== 'narrative') continue;
      for (const [p, paragraph] of section.paragraphs.entries()) yield { file, ...located(paragraph, ['sections', s, 'paragraphs', p]) };
    }
    return;
  }
  switch (data.kind) {
    case 'chronology':
      for (const [i, e] of data.entries.entries()) yield { file, text: e.event, path: ['entries', i, 'event'] };
      break;
    case 'recommendations':
      for (const [g, group] of data.groups.entries()) {
        for (const [i, item] of group.items.entries()) yield { file, text: item.text, path: ['groups', g, 'items', i, 'text'] };
      }
      break;
    case 'aspirations':
      for (const [i, a] of data.aspirations.entries()) yield { file, text: a.text, path: ['aspirations', i, 'text'] };
      break;
    case 'framework':
      if (data.summary !== undefined) yield { file, ...located(data.summary, ['summary']) };
      for (const [i, b] of data.bodies.entries()) yield { file, ...located(b.role, ['bodies', i, 'role']) };
      break;
  }
}

/**
 * Checks that need more than one value or more than one file. Runs on whatever
 * passed the schema, so one run reports everything. Returns every problem found.
 */
export function checkDataSet(input: CheckInput): CsiError[] {
  const problems: CsiError[] = [];
  const at = ({ file, path }: Located): SourcePosition => {
    const source = input.sources.get(file);
    return source ? positionOf(source, path) : { file, line: 1, column: 1 };
  };
  const fail: Fail = (code, message, where, hint, position = at(where)) =>
    problems.push(new CsiError(message, { code, position, path: where.path.join('.'), ...(hint ? { hint } : {}) }));
  const reportValue = input.sources.get(REPORT)?.value as Record<string, unknown> | null | undefined;
  const rawList = (key: string): unknown[] | undefined => {
    const list = reportValue !== null && typeof reportValue === 'object' ? reportValue[key] : undefined;
    return Array.isArray(list) ? list : undefined;
  };
  // The appendix keys report.yaml lists, in order (an entry that is not text is skipped).
  const listing: unknown[] | undefined = input.report?.appendices ?? rawList('appendices');
  const keys = new Map(input.appendices.map((a) => [a.data.key, a.file]));
  // Files with mistakes still declare their keys: a list of keys, or a "did you mean", names them too.
  const declared = [...new Set([...keys.keys(), ...input.failed.flatMap((f) => (f.key === undefined ? [] : [f.key]))])];
  const check: Check = {
    input,
    at,
    fail,
    listing,
    // A key that may belong to a file that failed the schema is not reported as unknown.
    mayExist: (key) => keys.has(key) || input.failed.some((f) => f.key === undefined || f.key === key),
    keys: declared,
    files: filesInReportOrder(input, listing),
    sections: input.report?.sections ?? rawList('sections') ?? [],
  };

  uniqueIds(check);
  appendixListing(check);
  appendixReferences(check);
  councilAndCommittee(check);
  sectionsHaveTheirData(check);
  markdownPrintsSomething(check);
  for (const { file, data } of input.appendices) {
    if (data.kind === 'chronology') chronologyInDateOrder(check, file, data.entries);
    if (data.kind === 'framework') reportingLines(check, file, data);
  }
  // A chronology with other mistakes is still checked for its order, so one run finds them all.
  for (const { file } of input.failed) {
    const raw = input.sources.get(file)?.value as { kind?: unknown; entries?: unknown } | null | undefined;
    if (raw?.kind === 'chronology' && Array.isArray(raw.entries)) chronologyInDateOrder(check, file, raw.entries);
  }
  return problems;
}

type Fail = (code: ErrorCode, message: string, where: Located, hint?: string, position?: SourcePosition) => void;

/** What every cross-file check needs: the input, how to place and report a problem, and the report's appendix list. */
interface Check {
  input: CheckInput;
  at: (where: Located) => SourcePosition;
  fail: Fail;
  /** The appendix keys report.yaml lists, in order (entries that are not text included, to be skipped). */
  listing: unknown[] | undefined;
  mayExist: (key: string) => boolean;
  /** The appendix keys the data files declare, those with mistakes included. */
  keys: string[];
  /** report.yaml, then the appendix files in the order report.yaml lists them. */
  files: { file: string; data: ReportFile | AppendixFile }[];
  /** report.yaml's sections, as checked or as written. */
  sections: unknown[];
}

/** Report order, so that "already used at" names the place a reader meets first. */
function filesInReportOrder(input: CheckInput, listing: unknown[] | undefined): Check['files'] {
  const order = (key: string) => {
    const i = listing?.indexOf(key) ?? -1;
    return i < 0 ? Infinity : i;
  };
  return [
    ...(input.report ? [{ file: REPORT, data: input.report }] : []),
    ...[...input.appendices].sort((a, b) => order(a.data.key) - order(b.data.key)),
  ];
}

/**
 * The ids a file that failed the schema declares, read from what was written: every
 * `id` that is text, and an appendix's `key`, in the order of the file.
 */
function* idsAsWritten(file: string, value: unknown): Generator<{ id: string } & Located> {
  const top = value as Record<string, unknown> | null;
  if (top && typeof top === 'object' && typeof top.key === 'string' && file !== REPORT) yield { id: top.key, file, path: ['key'] };
  function* walk(v: unknown, path: PathSegment[]): Generator<{ id: string } & Located> {
    if (Array.isArray(v)) for (const [i, x] of v.entries()) yield* walk(x, [...path, i]);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'id' && typeof x === 'string') yield { id: x, file, path: [...path, 'id'] };
        else if (typeof x === 'object') yield* walk(x, [...path, k]);
      }
    }
  }
  yield* walk(value, []);
}

/** Ids are unique across the whole data set, files with other mistakes included. */
function uniqueIds({ input, files, at, fail }: Check): void {
  const seen = new Map<string, Located>();
  const failed = [...(input.report || !input.sources.has(REPORT) ? [] : [REPORT]), ...input.failed.map((f) => f.file)];
  const all = [
    ...files.map(({ file, data }) => declaredIds(file, data)),
    ...failed.map((file) => idsAsWritten(file, input.sources.get(file)?.value)),
  ];
  for (const ids of all) {
    for (const { id, ...where } of ids) {
      const first = seen.get(id);
      if (first) {
        const p = at(first);
        fail('DUPLICATE_ID', `id "${id}" is already used at ${p.file}:${p.line}:${p.column}`, where,
          'every item needs its own id; ids are how the diff and history follow it');
      } else seen.set(id, where);
    }
  }
}

/** Appendices: each listed once, each listed one exists, each file listed. Returns the keys listed. */
function appendixListing({ input, listing, mayExist, keys, fail }: Check): Set<string> {
  const listed = new Set<string>();
  for (const [i, key] of (listing ?? []).entries()) {
    if (typeof key !== 'string') continue;
    const where = { file: REPORT, path: ['appendices', i] };
    if (listed.has(key)) fail('DUPLICATE_APPENDIX', `appendix "${key}" is listed twice`, where);
    listed.add(key);
    if (!mayExist(key)) {
      const suggestion = closest(key, keys.filter((k) => k !== key));
      fail('UNKNOWN_APPENDIX', `no data file has the appendix key "${key}"`, where,
        suggestion ? `did you mean "${suggestion}"?` : keys.length ? `appendix keys are: ${keys.join(', ')}` : undefined);
    }
  }
  for (const { file, data } of listing ? input.appendices : []) {
    if (!listed.has(data.key)) {
      fail('UNLISTED_APPENDIX', `appendix "${data.key}" is not listed in report.yaml`, { file, path: ['key'] },
        'add its key to "appendices" in report.yaml, in the order it should appear');
    }
  }
  return listed;
}

/**
 * Text refers to appendices by key; a dangling or misspelt reference is an error.
 * Every file that could be read is searched, whether or not it passed the schema.
 */
function appendixReferences(check: Check): void {
  const { input, listing, mayExist, keys, fail } = check;
  for (const [file, source] of input.sources) {
    for (const { text, path } of textFieldsWithReferences(source.value)) {
      const seenInText = new Map<string, number>();
      for (const match of text.matchAll(ANY_REFERENCE)) {
        const [whole, kind = '', key = ''] = match;
        const occurrence = seenInText.get(whole) ?? 0;
        seenInText.set(whole, occurrence + 1);
        // Where in the file, worked out only for a reference that is wrong.
        const position = () => positionOfText(source, path, whole, occurrence);
        if (kind === 'paragraph' || kind === 'count') {
          const problem = kind === 'paragraph' ? paragraphProblem(check, key) : countProblem(check, key);
          if (problem) fail('UNKNOWN_REFERENCE', `${whole} refers to ${problem.what}`, { file, path }, problem.hint, position());
        } else if (kind !== 'appendix') {
          fail('UNKNOWN_REFERENCE_KIND', `${whole} is not a kind of reference csi knows`, { file, path },
            `refer to an appendix as [[appendix:${key || 'KEY'}]], a numbered paragraph as [[paragraph:SECTION-ID/N]], a count as [[count:KEY]]`, position());
        } else if (listing && !mayExist(key)) {
          // (A key that a file declares but report.yaml does not list is reported once, as UNLISTED_APPENDIX.)
          // Suggested from the keys files declare, never the key as written (it may be listed, misspelt, in report.yaml too).
          const known = keys.filter((k) => k !== key);
          const suggestion = closest(key, known);
          fail('UNKNOWN_REFERENCE', `${whole} refers to no appendix`, { file, path },
            suggestion ? `did you mean [[appendix:${suggestion}]]?` : `appendix keys are: ${known.join(', ')}`, position());
        }
      }
    }
  }
}

/** Why `[[paragraph:SECTION/N]]` points at nothing, or undefined when it points at a paragraph. */
function paragraphProblem({ sections }: Check, target: string): { what: string; hint: string } | undefined {
  const [id = '', n = ''] = target.split('/');
  const written = sections as { id?: unknown; paragraphs?: unknown; recommendations?: unknown; implications?: unknown }[];
  const ids = written.flatMap((s) => (typeof s?.id === 'string' ? [s.id] : []));
  const section = written.find((s) => s?.id === id);
  if (!section) {
    const meant = closest(id, ids);
    return { what: `no section "${id}"`, hint: meant ? `did you mean [[paragraph:${meant}/${n || 'N'}]]?` : `write [[paragraph:SECTION-ID/N]], N counting from 1; section ids are: ${ids.join(', ')}` };
  }
  const list = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  const count = list(section.paragraphs) + list(section.recommendations) +
    (Array.isArray(section.implications) ? section.implications.reduce((t: number, im: { paragraphs?: unknown }) => t + list(im?.paragraphs), 0) : 0);
  const number = Number(n);
  if (!/^\d+$/.test(n) || number < 1 || number > count) {
    return { what: `no paragraph ${n || '(none given)'} of section "${id}"`, hint: `section "${id}" has ${count} paragraph${count === 1 ? '' : 's'}: write [[paragraph:${id}/N]], N from 1 to ${count}` };
  }
  return undefined;
}

/** Why `[[count:WHAT/STATUS]]` counts nothing, or undefined when it counts something. */
function countProblem({ input }: Check, target: string): { what: string; hint: string } | undefined {
  const [what = '', status] = target.split('/');
  // What has items with statuses: appendices of recommendations or aspirations, and their groups.
  const counted = input.appendices.filter(({ data }) => data.kind === 'recommendations' || data.kind === 'aspirations');
  const groups = counted.flatMap(({ data }) => (data.kind === 'recommendations' ? data.groups.map((g) => g.id) : []));
  const known = ['all', ...counted.map(({ data }) => data.key), ...groups];
  // A file with mistakes of its own may hold what is counted: it is reported there.
  if (input.failed.some((f) => f.key === undefined || f.key === what)) return undefined;
  if (!known.includes(what)) {
    const meant = closest(what, known);
    return { what: `nothing csi can count ("${what}")`, hint: meant ? `did you mean [[count:${meant}${status ? `/${status}` : ''}]]?` : `count all items ([[count:all]]), an appendix's or a group's: ${known.slice(1).join(', ')}` };
  }
  const statuses = input.statusIds ?? [];
  if (status !== undefined && statuses.length > 0 && !statuses.includes(status)) {
    const meant = closest(status, statuses);
    return { what: `no status "${status}"`, hint: `${meant ? `did you mean [[count:${what}/${meant}]]? ` : ''}statuses are: ${statuses.join(', ')}` };
  }
  return undefined;
}

/** The report is for the council and committee the config names. */
function councilAndCommittee({ input, fail }: Check): void {
  for (const key of ['council', 'committee'] as const) {
    const wanted = input.expected?.[key];
    const actual = input.report?.[key];
    if (!wanted || actual === undefined || wanted === actual) continue;
    const config = input.expected?.configFile ?? 'csi.config.yaml';
    fail('BRANDING_MISMATCH', `the ${key} "${actual}" is not the one ${config} names ("${wanted}")`, { file: REPORT, path: [key] },
      `write ${key}: ${wanted} here, or change ${key} in ${config}`);
  }
}

/** A "Progress since …" section counts one appendix's items (one with statuses) by status or a rating the config names. */
function trendHasItsData(section: { appendix?: unknown; by?: unknown }, i: number, { input, fail }: Check): void {
  const key = section.appendix;
  if (typeof key === 'string') {
    const found = input.appendices.find((a) => a.data.key === key);
    const tracked = input.appendices.filter((a) => a.data.kind === 'recommendations' || a.data.kind === 'aspirations').map((a) => a.data.key);
    if (found ? !tracked.includes(key) : !input.failed.some((f) => f.key === undefined || f.key === key)) {
      fail('UNKNOWN_APPENDIX', `"${key}" is not an appendix whose items have statuses`, { file: REPORT, path: ['sections', i, 'appendix'] },
        tracked.length ? `appendices with statuses are: ${tracked.join(', ')}; or leave appendix: out to count them all` : 'add an appendix of recommendations or aspirations');
    }
  }
  const by = section.by;
  const scales = ['status', ...(input.ratingKeys ?? [])];
  if (typeof by === 'string' && !scales.includes(by)) {
    const meant = closest(by, scales);
    fail('INVALID_VALUE', `items cannot be counted by "${by}"`, { file: REPORT, path: ['sections', i, 'by'] },
      `${meant ? `did you mean ${meant}? ` : ''}write status, or the key of a rating csi.config.yaml names (${scales.join(', ')})`);
  }
}

/** Sections that draw on other data need that data. */
function sectionsHaveTheirData(check: Check): void {
  const { input, sections, fail } = check;
  for (const [i, section] of sections.entries()) {
    const placed = section as { kind?: unknown; scorecard?: unknown } | null;
    if (placed?.kind === 'scorecard' && typeof placed.scorecard === 'string') {
      const key = placed.scorecard;
      const found = input.appendices.find((a) => a.data.key === key);
      const scorecards = input.appendices.filter((a) => a.data.kind === 'scorecard').map((a) => a.data.key);
      if (found ? found.data.kind !== 'scorecard' : !input.failed.some((f) => f.key === undefined || f.key === key)) {
        fail('UNKNOWN_APPENDIX', `"${key}" is not a scorecard appendix`, { file: REPORT, path: ['sections', i, 'scorecard'] },
          scorecards.length ? `scorecards are: ${scorecards.join(', ')}` : 'add a file of kind: scorecard and list its key in "appendices"');
      }
    }
    if (placed?.kind === 'trend') trendHasItsData(section as { appendix?: unknown; by?: unknown }, i, check);
    if ((section as { kind?: unknown } | null)?.kind === 'glossary' && !input.hasGlossary) {
      fail('MISSING_FILE', 'the Glossary section needs glossary.yaml, which the data set lacks',
        { file: REPORT, path: ['sections', i] }, 'add glossary.yaml with the abbreviations, or remove this section');
    }
  }
}

/** Markdown that prints nothing once made safe would leave an empty numbered paragraph or cell. */
function markdownPrintsSomething({ input, files, fail }: Check): void {
  for (const { file, data } of files) {
    for (const { text, ...where } of markdownTexts(file, data)) {
      if (input.printsNothing(text)) {
        fail('EMPTY_TEXT', 'this text prints nothing once its HTML is made safe', where,
          'write the words as text: the report leaves out scripts, styles, rules and images from outside the data');
      }
    }
  }
}

/**
 * The chronology reads in date order. An entry known only by its month (2024-07) may
 * stand anywhere among that month's dated entries: it is not before or after them.
 */
function chronologyInDateOrder({ fail }: Check, file: string, entries: readonly unknown[]): void {
  let latestDay: { date: string; day: PlanDay } | undefined;
  let latestMonth: { date: string; day: PlanDay } | undefined;
  for (const [i, written] of entries.entries()) {
    const entry = written as { date?: unknown } | null;
    if (typeof entry?.date !== 'string') continue;
    const here = parsePlanDate(entry.date);
    if (typeof here === 'string') continue;
    const month = { year: here.start.year, month: here.start.month };
    const earlier =
      latestMonth && compareDays(month, { year: latestMonth.day.year, month: latestMonth.day.month }) < 0
        ? latestMonth
        : here.start.day !== undefined && latestDay && compareDays(here.start, latestDay.day) < 0
          ? latestDay
          : undefined;
    if (earlier) {
      fail('CHRONOLOGY_ORDER', `"${entry.date}" is earlier than "${earlier.date}", an entry above it`, { file, path: ['entries', i, 'date'] },
        'keep the chronology in date order (an entry dated by its month alone may go anywhere among that month\'s entries)');
      continue;
    }
    if (!latestMonth || compareDays(month, latestMonth.day) > 0) latestMonth = { date: entry.date, day: month };
    if (here.start.day !== undefined && (!latestDay || compareDays(here.start, latestDay.day) > 0)) latestDay = { date: entry.date, day: here.start };
  }
}

/** A framework's reporting lines go to bodies in it, never to the body itself, and never round in a circle. */
function reportingLines({ fail }: Check, file: string, data: Extract<AppendixFile, { kind: 'framework' }>): void {
  const bodies = new Set(data.bodies.map((b) => b.id));
  for (const [b, body] of data.bodies.entries()) {
    for (const [r, line] of (body.reports_to ?? []).entries()) {
      const where = { file, path: ['bodies', b, 'reports_to', r, 'body'] };
      if (!bodies.has(line.body)) {
        fail('UNKNOWN_REFERENCE', `"${line.body}" is not a body in this framework`, where, `bodies are: ${[...bodies].join(', ')}`);
      } else if (line.body === body.id) {
        fail('INVALID_VALUE', `"${body.id}" cannot report to itself`, where);
      }
    }
  }
  const cycle = findCycle(data.bodies);
  if (cycle) {
    // Point at the reporting line that starts the circle: the one to change.
    const b = data.bodies.findIndex((x) => x.id === cycle[0]);
    const r = (data.bodies[b]?.reports_to ?? []).findIndex((line) => line.body === cycle[1]);
    fail('REPORTING_CYCLE', `reporting lines go round in a circle: ${cycle.join(' → ')}`,
      { file, path: ['bodies', b, 'reports_to', r, 'body'] }, 'a body reports up to bodies above it; remove one of these lines');
  }
}

function findCycle(bodies: { id: string; reports_to?: { body: string }[] | undefined }[]): string[] | undefined {
  const edges = new Map(bodies.map((b) => [b.id, (b.reports_to ?? []).map((r) => r.body)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of edges.get(id) ?? []) {
      if (next === id || !edges.has(next)) continue;
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const b of bodies) {
    const found = visit(b.id);
    if (found) return found;
  }
  return undefined;
}
