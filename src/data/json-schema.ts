import { z } from 'zod';
import { APPENDIX_KINDS, appendixFileSchema, GlossaryFile, ReportFile } from './schema.js';
import type { AppendixFileSchema } from './schema.js';
import { GLOSSARY_FILE, REPORT_FILE } from './dataset.js';
import { DEFAULT_SCHEME } from './status.js';
import type { StatusScheme } from './status.js';

/** What each data file may hold, described for editors. */
interface SchemaFile {
  /** `report` → `report.schema.json`. */
  name: string;
  title: string;
  description: string;
  schema: z.ZodType;
}

function appendixSchema(AppendixFile: AppendixFileSchema, kind: (typeof APPENDIX_KINDS)[number]): z.ZodType {
  const option = AppendixFile.options.find((o) => o.shape.kind.value === kind);
  if (!option) throw new Error(`no appendix schema for kind "${kind}"`);
  return option;
}

const APPENDIX_DESCRIPTIONS: Record<(typeof APPENDIX_KINDS)[number], string> = {
  chronology: 'An appendix listing the events since the inspection, in date order.',
  recommendations: 'An appendix of recommendations and actions, in groups, each with a status.',
  aspirations: "An appendix of the plan's aspirations for the year.",
  framework: 'An appendix describing the governance bodies: who chairs each, how often it meets, to whom it reports.',
  scorecard: 'A performance scorecard: measures with targets and figures by period (here or in a CSV); RAG and direction of travel are worked out.',
};

/** The schema files, with the council's status words. */
const schemaFiles = (AppendixFile: AppendixFileSchema): SchemaFile[] => [
  {
    name: 'report',
    title: 'csi report.yaml',
    description: 'The committee report: meeting, author, the order of the appendices and the numbered sections.',
    schema: ReportFile,
  },
  {
    name: 'glossary',
    title: 'csi glossary.yaml',
    description: 'Abbreviations listed in the Glossary section.',
    schema: GlossaryFile,
  },
  {
    name: 'appendix',
    title: 'csi appendix',
    description: 'Any appendix file, told apart by its kind. The schemas named after each kind fit more closely.',
    schema: AppendixFile,
  },
  ...APPENDIX_KINDS.map((kind) => ({
    name: kind,
    title: `csi ${kind} appendix`,
    description: APPENDIX_DESCRIPTIONS[kind],
    schema: appendixSchema(AppendixFile, kind),
  })),
];

/** What each key means, shown by editors on hover; the file's own top-level keys first. */
const TOP_LEVEL: Record<string, Record<string, string>> = {
  report: {
    title: 'The title of the report, as on its front page.',
    status: 'draft or final; a draft is marked as such on every page, and its footer says where it came from.',
    sign_off: 'A date, YYYY-MM-DD, printed after the last section as the report is signed off (e.g. 19th September 2017). None unless given.',
    language: 'The language the report is written in, as a tag such as en-GB (the default) or cy: the HTML\'s lang and the PDF\'s /Lang.',
    keywords: "Words for the PDF's Keywords, after the council and the committee, e.g. the plan's name.",
    changes_appendix: 'What the "Changes since …" appendix (build-report --changes-since) leaves out.',
    appendices: 'The appendix keys in the order the appendices are numbered.',
    sections: 'The numbered sections of the report, in order.',
    front_sheet: 'The lines a committee report opens with, under its title: agenda item, report of, wards, portfolio, key decision, public or exempt. Each is optional.',
    numbering: 'How sections and paragraphs are numbered: "1.0" (1.0, 1.1; the default), "1." (1., 1.1) or none. Write the numbers in quotes.',
  },
};
const KEYS: Record<string, string> = {
  council: 'The council the report is for.',
  committee: 'The committee the report goes to.',
  meeting_date: 'The date of the meeting, YYYY-MM-DD.',
  author: 'Who wrote the report, and their role.',
  id: 'A stable id, unique across the data set: lower-case letters, digits and hyphens. The diff and history follow items by it.',
  key: 'The key that report.yaml lists this appendix by, and that text refers to it by as [[appendix:KEY]].',
  kind: 'What kind of section or appendix this is.',
  version: "The plan's own version label, printed in the footer, e.g. \"2017.3\".",
  exempt: 'Marks this as exempt from publication under Schedule 12A: { paragraph: N }, the paragraph (1 to 7) that applies. A public build leaves it out and prints a notice in its place.',
  title: 'The title, as in the contents and the list of appendices.',
  heading: 'A longer heading for the appendix page itself, when it differs from the title.',
  paragraphs: 'Numbered paragraphs, in order. Markdown; refer to an appendix as [[appendix:KEY]].',
  witnesses: 'People invited to the meeting to give evidence.',
  links: 'Background papers, each with a title and a web address.',
  contacts: 'Officers to contact about the report.',
  name: 'The name, as printed.',
  organisation: 'The organisation they are from.',
  phone: 'Telephone number, as printed.',
  email: 'Email address.',
  url: 'A web address starting https:// or http://.',
  terms: 'Abbreviations for the Glossary section.',
  term: 'The abbreviation, e.g. DfE.',
  definition: 'What it stands for.',
  entries: 'Events in date order.',
  date: 'YYYY-MM-DD, YYYY-MM when only the month is known, or a range START/END such as 2014-04/2014-05.',
  event: 'What happened. Markdown.',
  groups: 'Groups of recommendations and actions, in order.',
  items: 'The recommendations and actions in this group, in order.',
  text: 'The wording, as published. Markdown.',
  reference: 'Where it comes from, as written: a Notice paragraph ("Para 5.3"), an inspection\'s own number.',
  owner: 'Who is responsible for it.',
  due: "When it is due: YYYY-MM-DD, YYYY-MM, a range START/END, or one of csi.config.yaml's due_words (e.g. Ongoing).",
  measure: 'How success is measured. Markdown.',
  progress: 'How it is going: a note for the committee. Markdown.',
  ratings: "Its place on each further scale the council rates items on (csi.config.yaml's ratings).",
  aspirations: "The plan's aspirations, in order.",
  summary: 'An introduction printed above the framework. Markdown.',
  bodies: 'The governance bodies, in the order they are described.',
  type: 'What kind of body it is.',
  chair: 'Who chairs it.',
  meets: 'How often it meets, e.g. monthly.',
  session: 'Whether it meets in public or private.',
  role: 'What they do.',
  reports_to: 'The bodies it reports to.',
  body: 'The id of the body it reports to, in this file.',
  what: 'What it reports.',
  frequency: 'How often it reports.',
  item: 'The agenda item number, printed at the top of the report as "Item 7".',
  report_of: 'Whose report it is, e.g. "Director of Children\'s Services".',
  wards: 'The wards affected: one line, or a list.',
  portfolio: 'The Cabinet portfolio it falls under.',
  key_decision: 'Whether it is a key decision: true, false, or the words to print.',
  publication: 'Whether the report is public or exempt, in the words to print, e.g. "Public, except Appendix 4 (exempt under paragraph 3 of Schedule 12A)".',
  recommendations: 'What the committee is asked to do, each a numbered paragraph. Markdown.',
  implications: 'The implications, each under its own sub-heading (Legal, Financial, Equality …).',
  number: "The item's own number where its source gives one (Ofsted's recommendation 7), printed instead of csi's (A2.1.3).",
  item_name: "What this appendix (or group) calls its items, one and several, e.g. { one: priority, many: priorities }: its column heading, summaries and labels use it. A group's beats its appendix's; where the appendix names none and every group names its items alike, the appendix counts them so.",
  one: 'The name of one item, e.g. priority.',
  many: 'The name of several, e.g. priorities.',
  leave_out: 'Items the changes appendix does not list, by id (a glossary term by its term).',
  period: 'How often the figures come: month (YYYY-MM), quarter (YYYY-Qn) or year (YYYY).',
  values_csv: 'A CSV file in the data folder with the figures: columns measure, period, value, and optionally england, statistical_neighbours, region.',
  rag_words: 'The status ids that red, amber and green are printed as, where the council names them otherwise.',
  measures: 'The measures of the scorecard, in the order they are printed.',
  unit: 'What the figures count: %, number, days or £.',
  polarity: 'Which way is better: higher or lower.',
  target: "The target, a number in the measure's unit (18 for 18%). Without one the measure is not rated.",
  tolerance: 'How far short of the target is still amber, in the unit.',
  commentary: 'A note on the measure for the committee. Markdown.',
  values: 'Figures by period, oldest first: 2018-Q1: 24. "not yet available" where a figure has not come in.',
  comparators: 'Figures to compare with, by period: england, statistical_neighbours, region.',
  leave_out_changes: 'Kinds of change the changes appendix does not list: added, removed, status, reworded, redated, moved, updated.',
  contents: 'Whether the report has a contents list (true, the default) or not (false).',
  exempt_line: 'true: csi writes the "Public or exempt" line from what is marked exempt, e.g. "Public, except paragraph 6.2 …". Never typed.',
  exempt_line_label: 'The label of the worked-out exempt line, if not "Public or exempt".',
  fields: "The council's own front sheet lines, each a label and a value, printed in this order.",
  label: 'The label or heading, as printed.',
  value: 'The value printed beside the label.',
  lead_in: 'The line above the recommendations, e.g. "The Committee is recommended to:".',
  scorecard: 'The key of the scorecard appendix whose table this section shows.',
  since: "The meeting a kind: trend section's series starts at (YYYY-MM-DD, a meeting_date that some commit of report.yaml names). Default: the first meeting in the plan's git history.",
  appendix: 'Count the items of one appendix only: its key (an appendix of recommendations or aspirations). Default: every appendix whose items have statuses.',
  by: "Count by status (the default) or by a rating: its key in csi.config.yaml's ratings.",
  numbering: 'How actions are numbered: a pattern of {group}, {n}, {appendix} and {reference}, e.g. "{group}.{n}" (4.2) or "AFI {group}.{n}"; none for no number. Default: A2.4.1.',
  group_rating: "How an area's rating is worked out when it gives none: worst (the worst of its actions) or none.",
  columns: "The tracker's columns, in order, each the field it shows and its heading, e.g. { show: owner, label: Lead }.",
  show: 'The field the column shows: number, reference, text, owner, due, status, measure, progress, or ratings.KEY.',
  lead: 'Who leads the area.',
  rating: "The area's overall rating, in the status words; without one, group_rating may work it out.",
};

/** "a, b, c or d". */
const orList = (words: readonly string[]) => (words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : words.join(''));

/** What `status` and each rating key mean, in the council's words. */
function statusKeys(scheme: StatusScheme): Record<string, string> {
  return {
    status: `Where it stands: ${orList(scheme.status.map((w) => w.id))}. Counts in the report are computed from it.`,
    ...Object.fromEntries(scheme.ratings.map((r) => [r.key, `${r.label}: ${orList(r.vocabulary.map((w) => w.id))}.`])),
  };
}

/** Adds a description to every property that lacks one, for editors to show on hover. */
function describeKeys(node: unknown, topLevel: Record<string, string> = {}, keys: Record<string, string> = KEYS): void {
  if (Array.isArray(node)) {
    for (const item of node) describeKeys(item, {}, keys);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  for (const [name, property] of Object.entries(properties ?? {})) {
    const description = topLevel[name] ?? keys[name];
    if (description && property.description === undefined) property.description = description;
    describeKeys(property, {}, keys);
  }
  for (const key of ['items', 'oneOf', 'anyOf', 'allOf']) describeKeys(schema[key], {}, keys);
}

export const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

/**
 * A draft-07 JSON Schema for each kind of data file, keyed by file name
 * (`report.schema.json`). The input side of the zod schemas: a key with a
 * default, like a narrative section's `kind`, may be left out.
 */
export function jsonSchemas(scheme: StatusScheme = DEFAULT_SCHEME): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const keys = { ...KEYS, ...statusKeys(scheme) };
  for (const file of schemaFiles(appendixFileSchema(scheme))) {
    const generated = z.toJSONSchema(file.schema, { target: 'draft-7', io: 'input', unrepresentable: 'throw' });
    const { $schema: _drop, ...rest } = generated as Record<string, unknown>;
    describeKeys(rest, TOP_LEVEL[file.name], keys);
    out.set(`${file.name}.schema.json`, {
      $schema: JSON_SCHEMA_DRAFT,
      title: file.title,
      description: file.description,
      ...rest,
    });
  }
  return out;
}

/** The text written for one schema: stable, so the committed copies can be compared. */
export function schemaText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Which schema a data file should name, from its file name or its `kind`. */
export function schemaFileFor(dataFile: string, kind: unknown): string | undefined {
  if (dataFile === REPORT_FILE) return 'report.schema.json';
  if (dataFile === GLOSSARY_FILE) return 'glossary.schema.json';
  return (APPENDIX_KINDS as readonly unknown[]).includes(kind) ? `${String(kind)}.schema.json` : undefined;
}
