import type { DataSet } from '../data/dataset.js';
import { GLOSSARY_FILE, REPORT_FILE } from '../data/dataset.js';
import { buildModel } from '../model/report.js';
import type { Appendix } from '../model/report.js';
import { formatPlanDate, parsePlanDate } from '../data/dates.js';
import type { ExemptableText } from '../data/schema.js';
import { fieldExemption, fieldText } from '../model/exempt.js';

/** What a tracked thing is; `recommendation` covers the actions in a recommendations appendix too. */
export type ItemKind =
  | 'report'
  | 'section'
  | 'term'
  | 'appendix'
  | 'chronology-entry'
  | 'group'
  | 'recommendation'
  | 'aspiration'
  | 'body';

/**
 * How a field is compared and shown: `value` as from → to, `text` as a word diff,
 * `list` item by item (a section's paragraphs, a body's reporting lines).
 */
export type FieldType = 'value' | 'text' | 'list';

export type FieldValue = string | string[];

/** Collections that are not appendices; appendix items live in the appendix's key. */
export const REPORT_COLLECTION = 'report';
export const SECTIONS_COLLECTION = 'sections';
export const GLOSSARY_COLLECTION = 'glossary';
export const APPENDICES_COLLECTION = 'appendices';

/** One thing the plan tracks, flattened so that two versions can be matched by id. */
export interface PlanItem {
  id: string;
  /** What versions are matched on: the id (unique across the data set), but glossary terms by term. */
  key: string;
  /** Index in `PlanItems.items`: report order. */
  order: number;
  kind: ItemKind;
  /** An appendix key, or one of the collections above. */
  collection: string;
  /** The recommendation group an item sits in. */
  group?: string;
  /** Data file, relative to the data folder. */
  file: string;
  /** How the report names it: "Recommendation A2.1.3", "Aspiration A4.4", "Jun 2012". */
  label: string;
  /** What to call it in a summary: "recommendation", "action", "chronology entry". */
  noun: string;
  /** 1-based place in its collection (and group). */
  position: number;
  /** The heading it sits under: "Appendix 2 – Title, group 1: Ofsted Recommendations". */
  where: string;
  /** Field values in a fixed order; absent optional fields are left out. */
  fields: Record<string, FieldValue>;
}

/** Where items live, in report order, with the heading the report gives them. */
export interface PlanCollection {
  id: string;
  heading: string;
}

/** One version of the plan, ready to be compared. */
export interface PlanItems {
  /** In report order: report details, sections, glossary, appendices, then each appendix's items. */
  items: PlanItem[];
  collections: PlanCollection[];
  meetingDate: string;
}

/** Field types by field name; anything not listed is a plain value. */
const FIELD_TYPES: Record<string, FieldType> = {
  title: 'text',
  heading: 'text',
  summary: 'text',
  text: 'text',
  event: 'text',
  role: 'text',
  definition: 'text',
  name: 'text',
  paragraphs: 'list',
  witnesses: 'list',
  links: 'list',
  contacts: 'list',
  reports_to: 'list',
  recommendations: 'list',
  implications: 'list',
};

export function fieldType(field: string): FieldType {
  return FIELD_TYPES[field] ?? 'value';
}

/** A line that starts a list item or heading: its line break means something in Markdown. */
const BLOCK_START = /^(?:[-*+]|\d+[.)])\s|^#/;

/**
 * Whitespace in Markdown is mostly not meaningful, and YAML folding moves it about:
 * compare and show text with runs of spaces collapsed and lines joined, keeping
 * blank lines (paragraphs) and the line breaks before list items and headings.
 */
export function normaliseText(text: string): string {
  // Most text is already one tidy line (YAML folds it); skip the work for it.
  if (!/\s\s|[\t\n\r]|^\s|\s$/.test(text)) return text;
  return text
    .split(/\r?\n[ \t]*\r?\n\s*/)
    .map((para) =>
      para
        .split(/\r?\n/)
        .map((line) => line.replace(/[ \t]+/g, ' ').trim())
        .filter((line) => line !== '')
        .reduce((joined, line) => (joined === '' ? line : `${joined}${BLOCK_START.test(line) ? '\n' : ' '}${line}`), ''),
    )
    .filter((para) => para !== '')
    .join('\n\n');
}

/** Keeps the fields that are set, normalising text so that re-wrapping is no change. */
type FieldInput = ExemptableText | ExemptableText[] | undefined;

/** A whole item marked exempt carries an `exempt` field, so the diff sees it and a public report can leave it out. */
function exemptMark(item: { exempt?: { paragraph: number } | undefined }): { exempt?: string } {
  return item.exempt ? { exempt: `paragraph ${item.exempt.paragraph} of Schedule 12A` } : {};
}

/** True if a change, on either side, holds or marks exempt information: a public report leaves it out. */
export function touchesExempt(change: unknown): boolean {
  return /"exempt"|\[exempt, paragraph/.test(JSON.stringify(change));
}

/**
 * The comparable fields of an item. A field marked exempt compares by its text,
 * with the marking noted, so that exempting or releasing a paragraph shows as a change.
 */
function fields(values: Record<string, FieldInput>): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  const plain = (v: ExemptableText) => {
    const exemption = fieldExemption(v);
    return exemption ? `${fieldText(v)} [exempt, paragraph ${exemption.paragraph}]` : fieldText(v);
  };
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const type = fieldType(name);
    if (Array.isArray(value)) out[name] = value.map((v) => normaliseText(plain(v)));
    else out[name] = type === 'value' ? plain(value) : normaliseText(plain(value));
  }
  return out;
}

const joinParts = (...parts: (string | undefined)[]) => parts.filter((p) => p !== undefined && p !== '').join(', ');

/** The heading an appendix has in the report: "Appendix 2 – Title". */
export function appendixHeading(appendix: Pick<Appendix, 'number' | 'heading'>): string {
  return `Appendix ${appendix.number} – ${appendix.heading}`;
}

/** "Jun 2012" for a chronology date as written in the data. */
function chronologyLabel(date: string): string {
  const parsed = parsePlanDate(date);
  return typeof parsed === 'string' ? date : formatPlanDate(parsed);
}

/** Ids are unique across a data set; glossary terms have none, and there is one report. */
const matchKey = (item: Pick<PlanItem, 'kind' | 'id'>) =>
  item.kind === 'term' ? `term:${item.id}` : item.kind === 'report' ? 'report:' : `id:${item.id}`;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Flattens a checked data set into the items a diff follows, in the order the
 * report prints them, each with its label and place. Pure.
 */
export function collectItems(data: DataSet): PlanItems {
  const model = buildModel(data);
  const items: PlanItem[] = [];
  const add = (item: Omit<PlanItem, 'key' | 'order'>) => {
    const full = item as PlanItem;
    full.key = matchKey(item);
    full.order = items.length;
    items.push(full);
  };
  const report = data.report;

  add({
    id: 'report',
    kind: 'report',
    collection: REPORT_COLLECTION,
    file: REPORT_FILE,
    label: 'Report details',
    noun: 'report detail',
    position: 1,
    where: 'Report details',
    fields: fields({
      title: report.title,
      council: report.council,
      committee: report.committee,
      meeting_date: report.meeting_date,
      author: report.author,
      status: report.status,
    }),
  });

  for (const section of model.sections) {
    const values: Record<string, FieldInput> = { title: section.title, kind: section.kind };
    switch (section.kind) {
      case 'narrative':
        values.paragraphs = section.paragraphs;
        values.witnesses = section.witnesses?.map((w) => joinParts(w.name, fieldText(w.role), fieldText(w.organisation)));
        break;
      case 'recommendations':
        values.recommendations = section.recommendations;
        break;
      case 'implications':
        // Each paragraph under its sub-heading, keeping any exemption so a public diff leaves it out.
        values.implications = section.implications.flatMap((im) =>
          im.paragraphs.map((p): ExemptableText => {
            const text = `${im.title}: ${fieldText(p)}`;
            const exempt = im.exempt ?? fieldExemption(p);
            return exempt ? { text, exempt } : text;
          }),
        );
        break;
      case 'progress':
        values.paragraphs = section.paragraphs;
        break;
      case 'links':
        values.links = section.links.map((l) => `${l.title} <${l.url}>`);
        break;
      case 'contacts':
        values.contacts = section.contacts.map((c) => joinParts(c.name, c.role, fieldText(c.phone), fieldText(c.email)));
        break;
      default:
        break;
    }
    add({
      id: section.id,
      kind: 'section',
      collection: SECTIONS_COLLECTION,
      file: REPORT_FILE,
      label: `Section ${section.number} – ${normaliseText(section.title)}`,
      noun: 'section',
      position: section.number,
      where: 'Sections',
      fields: fields({ ...values, ...exemptMark(section) }),
    });
  }

  for (const [i, term] of (data.glossary?.terms ?? []).entries()) {
    add({
      id: term.term,
      kind: 'term',
      collection: GLOSSARY_COLLECTION,
      file: GLOSSARY_FILE,
      label: term.term,
      noun: 'glossary term',
      position: i + 1,
      where: 'Glossary',
      fields: fields({ definition: term.definition }),
    });
  }

  const collections: PlanCollection[] = [
    { id: REPORT_COLLECTION, heading: 'Report details' },
    { id: SECTIONS_COLLECTION, heading: 'Sections' },
    { id: GLOSSARY_COLLECTION, heading: 'Glossary' },
    { id: APPENDICES_COLLECTION, heading: 'Appendices' },
  ];

  for (const appendix of model.appendices) {
    const file = data.appendixFiles.get(appendix.key) ?? '';
    const source = data.appendices[appendix.number - 1];
    add({
      id: appendix.key,
      kind: 'appendix',
      collection: APPENDICES_COLLECTION,
      file,
      label: appendixHeading(appendix),
      noun: 'appendix',
      position: appendix.number,
      where: 'Appendices',
      fields: fields({
        kind: appendix.kind,
        title: appendix.title,
        heading: source?.heading,
        summary: appendix.kind === 'framework' ? appendix.summary : undefined,
      }),
    });
    collections.push({ id: appendix.key, heading: appendixHeading(appendix) });
  }

  for (const [a, appendix] of model.appendices.entries()) {
    const source = data.appendices[a]!;
    const file = data.appendixFiles.get(appendix.key) ?? '';
    const where = appendixHeading(appendix);
    const here = { collection: appendix.key, file, where };
    switch (source.kind) {
      case 'chronology':
        for (const [i, entry] of source.entries.entries()) {
          add({
            ...here,
            id: entry.id,
            kind: 'chronology-entry',
            label: chronologyLabel(entry.date),
            noun: 'chronology entry',
            position: i + 1,
            fields: fields({ date: entry.date, event: entry.event, ...exemptMark(entry) }),
          });
        }
        break;
      case 'recommendations': {
        if (appendix.kind !== 'recommendations') break;
        for (const [g, group] of source.groups.entries()) {
          const modelled = appendix.groups[g]!;
          const noun = /\bactions?\b/i.test(group.title ?? '') ? 'action' : 'recommendation';
          const Noun = capitalise(noun);
          const groupLabel = group.title ? `group ${g + 1}: ${normaliseText(group.title)}` : `group ${g + 1}`;
          const itemWhere = `${where}, ${groupLabel}`;
          add({
            ...here,
            id: group.id,
            kind: 'group',
            label: group.title ? `Group ${g + 1}: ${normaliseText(group.title)}` : `Group ${g + 1}`,
            noun: 'group',
            position: g + 1,
            fields: fields({ title: group.title, ...exemptMark(group) }),
          });
          for (const [i, item] of group.items.entries()) {
            add({
              collection: appendix.key,
              file,
              id: item.id,
              kind: 'recommendation',
              group: group.id,
              label: `${Noun} ${modelled.items[i]!.number}`,
              noun,
              position: i + 1,
              where: itemWhere,
              fields: fields({ status: item.status, reference: item.reference, owner: item.owner, text: item.text, ...exemptMark(item) }),
            });
          }
        }
        break;
      }
      case 'aspirations':
        if (appendix.kind !== 'aspirations') break;
        for (const [i, aspiration] of source.aspirations.entries()) {
          add({
            ...here,
            id: aspiration.id,
            kind: 'aspiration',
            label: `${capitalise(appendix.itemName.one)} ${appendix.aspirations[i]!.number}`,
            noun: 'aspiration',
            position: i + 1,
            fields: fields({ status: aspiration.status, text: aspiration.text, ...exemptMark(aspiration) }),
          });
        }
        break;
      case 'framework':
        for (const [i, body] of source.bodies.entries()) {
          add({
            ...here,
            id: body.id,
            kind: 'body',
            label: normaliseText(body.name),
            noun: 'framework body',
            position: i + 1,
            fields: fields({
              name: body.name,
              type: body.type,
              chair: body.chair,
              meets: body.meets,
              session: body.session,
              role: body.role,
              ...exemptMark(body),
              reports_to: body.reports_to?.map(
                (line) =>
                  `${line.body}: ${normaliseText(line.what)} (${joinParts(line.frequency, line.session)})` +
                  (line.exempt ? ` [exempt, paragraph ${line.exempt.paragraph}]` : ''),
              ),
            }),
          });
        }
        break;
    }
  }
  return { items, collections, meetingDate: report.meeting_date };
}
