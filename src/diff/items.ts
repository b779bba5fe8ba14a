import type { DataSet } from '../data/dataset.js';
import { GLOSSARY_FILE, REPORT_FILE } from '../data/dataset.js';
import { buildModel } from '../model/report.js';
import type { Appendix, Section } from '../model/report.js';
import { formatPlanDate, parsePlanDate } from '../data/dates.js';
import type { AppendixFile, ExemptableText } from '../data/schema.js';
import { exemptNotice, fieldExemption, fieldText } from '../model/exempt.js';
import type { Audience, Exemption } from '../model/exempt.js';
import type { StatusScheme } from '../model/status.js';

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
  /** What to call it in a summary: "recommendation", "action", "chronology entry", or the appendix's `item_name`. */
  noun: string;
  /** The noun for several, where the plan names it (`item_name`: "priorities"). */
  plural?: string;
  /** 1-based place in its collection (and group). */
  position: number;
  /** The heading it sits under: "Appendix 2 – Title, group 1: Ofsted Recommendations". */
  where: string;
  /** Field values in a fixed order; absent optional fields are left out. */
  fields: Record<string, FieldValue>;
  /** The exemption that covers the whole item: its own, or its section's, appendix's or group's. */
  exempt?: Exemption;
  /** Fields with exempt parts: a value's exemption, or a list's, entry by entry. */
  exemptParts?: Record<string, ExemptPart>;
}

/** Where a field is exempt: the whole value, or (for a list) some of its entries. */
export type ExemptPart = Exemption | (Exemption | undefined)[];

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
  /** Who the items are for: for the public, exempt text already reads as its notice. */
  audience: Audience;
  /** The status words this version was checked against, to print its statuses and ratings. */
  statuses: StatusScheme;
}

/** Field types by field name; anything not listed is a plain value. */
const FIELD_TYPES: Record<string, FieldType> = {
  title: 'text',
  heading: 'text',
  summary: 'text',
  text: 'text',
  measure: 'text',
  progress: 'text',
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

type FieldInput = ExemptableText | ExemptableText[] | undefined;

/** A whole item marked exempt carries an `exempt` field, so that marking or releasing it shows as a change. */
function exemptMark(item: { exempt?: { paragraph: number } | undefined }): { exempt?: string } {
  return item.exempt ? { exempt: `paragraph ${item.exempt.paragraph} of Schedule 12A` } : {};
}

/**
 * The comparable fields of an item, normalising text so that re-wrapping is no
 * change, and where each is exempt. For the public, an exempt value or list entry
 * reads as its notice: its text never enters the comparison. For the exempt
 * audience it reads as its text with the marking noted, so that exempting or
 * releasing a paragraph shows as a change.
 */
function fields(values: Record<string, FieldInput>, audience: Audience): Pick<PlanItem, 'fields' | 'exemptParts'> {
  const out: Record<string, FieldValue> = {};
  const parts: Record<string, ExemptPart> = {};
  const plain = (v: ExemptableText) => {
    const exemption = fieldExemption(v);
    if (!exemption) return fieldText(v);
    return audience === 'public' ? exemptNotice(exemption) : `${fieldText(v)} [exempt, paragraph ${exemption.paragraph}]`;
  };
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const type = fieldType(name);
    if (Array.isArray(value)) {
      out[name] = value.map((v) => normaliseText(plain(v)));
      if (value.some((v) => fieldExemption(v))) parts[name] = value.map(fieldExemption);
    } else {
      out[name] = type === 'value' ? plain(value) : normaliseText(plain(value));
      const exemption = fieldExemption(value);
      if (exemption) parts[name] = exemption;
    }
  }
  return Object.keys(parts).length > 0 ? { fields: out, exemptParts: parts } : { fields: out };
}

/** A list entry made of several parts, exempt as a whole if it or any part is. */
function entry(text: string, ...exemptions: (Exemption | undefined)[]): ExemptableText {
  const exempt = exemptions.find((e) => e !== undefined);
  return exempt ? { text, exempt } : text;
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
 * An appendix's items, kept by the checked appendix they came from (the same object
 * for the same git blob in a history: see ParseCache) and its number, file and
 * audience: a history of hundreds of commits collects each version of an appendix once.
 */
export type ItemsCache = WeakMap<object, Map<string, Omit<PlanItem, 'key' | 'order'>[]>>;

/** Adds one item to the list being collected, in report order. */
type Add = (item: Omit<PlanItem, 'key' | 'order'>) => void;
/** The comparable fields of an item, for the audience being collected for. */
type FieldsOf = (values: Record<string, FieldInput>) => Pick<PlanItem, 'fields' | 'exemptParts'>;

/**
 * Flattens a checked data set into the items a diff follows, in the order the
 * report prints them, each with its label and place, and the exemption that covers
 * it (its own or its container's). For the public, exempt parts of fields already
 * read as their notices. Pure.
 */
export function collectItems(data: DataSet, audience: Audience, cache?: ItemsCache): PlanItems {
  const model = buildModel(data);
  const items: PlanItem[] = [];
  const add: Add = (item) => {
    const full = item as PlanItem;
    full.key = matchKey(item);
    full.order = items.length;
    if (full.exempt === undefined) delete full.exempt;
    items.push(full);
  };
  const fieldsOf: FieldsOf = (values) => fields(values, audience);

  addReport(data, add, fieldsOf);
  for (const section of model.sections) addSection(section, add, fieldsOf);
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
      ...fieldsOf({ definition: term.definition }),
    });
  }
  const collections: PlanCollection[] = [
    { id: REPORT_COLLECTION, heading: 'Report details' },
    { id: SECTIONS_COLLECTION, heading: 'Sections' },
    { id: GLOSSARY_COLLECTION, heading: 'Glossary' },
    { id: APPENDICES_COLLECTION, heading: 'Appendices' },
  ];
  for (const appendix of model.appendices) {
    addAppendix(data, appendix, add, fieldsOf);
    collections.push({ id: appendix.key, heading: appendixHeading(appendix) });
  }
  for (const appendix of model.appendices) {
    const source = data.appendices[appendix.number - 1]!;
    const key = `${appendix.number}\u0000${data.appendixFiles.get(appendix.key) ?? ''}\u0000${audience}`;
    const known = cache?.get(source)?.get(key);
    if (known) {
      for (const item of known) add({ ...item });
      continue;
    }
    const start = items.length;
    addAppendixItems(data, appendix, add, fieldsOf);
    if (cache) {
      if (!cache.has(source)) cache.set(source, new Map());
      cache.get(source)!.set(key, items.slice(start).map(({ key: _key, order: _order, ...item }) => item));
    }
  }
  return { items, collections, meetingDate: data.report.meeting_date, audience, statuses: data.statuses };
}

/** The report's own details: one item. */
function addReport(data: DataSet, add: Add, fieldsOf: FieldsOf): void {
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
    ...fieldsOf({
      title: report.title,
      council: report.council,
      committee: report.committee,
      meeting_date: report.meeting_date,
      author: report.author,
      status: report.status,
    }),
  });
}

/** A numbered section: its title and what its kind holds, each list entry with its exemption. */
function addSection(section: Section, add: Add, fieldsOf: FieldsOf): void {
  add({
    id: section.id,
    kind: 'section',
    collection: SECTIONS_COLLECTION,
    file: REPORT_FILE,
    label: `Section ${section.number} – ${normaliseText(section.title)}`,
    noun: 'section',
    position: section.number,
    where: 'Sections',
    exempt: section.exempt,
    ...fieldsOf({ title: section.title, kind: section.kind, ...sectionContent(section), ...exemptMark(section) }),
  });
}

function sectionContent(section: Section): Record<string, FieldInput> {
  switch (section.kind) {
    case 'narrative':
      return {
        paragraphs: section.paragraphs,
        witnesses: section.witnesses?.map((w) =>
          entry(joinParts(w.name, fieldText(w.role), fieldText(w.organisation)), w.exempt, fieldExemption(w.organisation)),
        ),
      };
    case 'recommendations':
      return { recommendations: section.recommendations };
    case 'implications':
      // Each paragraph under its sub-heading, keeping any exemption so a public diff leaves it out.
      return {
        implications: section.implications.flatMap((im) => im.paragraphs.map((p) => entry(`${im.title}: ${fieldText(p)}`, im.exempt, fieldExemption(p)))),
      };
    case 'progress':
      return { paragraphs: section.paragraphs };
    case 'links':
      return { links: section.links.map((l) => entry(`${l.title} <${l.url}>`, l.exempt)) };
    case 'contacts':
      return {
        contacts: section.contacts.map((c) =>
          entry(joinParts(c.name, c.role, fieldText(c.phone), fieldText(c.email)), c.exempt, fieldExemption(c.phone), fieldExemption(c.email)),
        ),
      };
    default:
      return {};
  }
}

/** An appendix itself: its kind, titles and (for a framework) summary. */
function addAppendix(data: DataSet, appendix: Appendix, add: Add, fieldsOf: FieldsOf): void {
  const source = data.appendices[appendix.number - 1];
  add({
    id: appendix.key,
    kind: 'appendix',
    collection: APPENDICES_COLLECTION,
    file: data.appendixFiles.get(appendix.key) ?? '',
    label: appendixHeading(appendix),
    noun: 'appendix',
    position: appendix.number,
    where: 'Appendices',
    exempt: appendix.exempt,
    ...fieldsOf({
      kind: appendix.kind,
      title: appendix.title,
      heading: source?.heading,
      summary: source?.kind === 'framework' ? source.summary : undefined,
      ...exemptMark(appendix),
    }),
  });
}

/** Where an appendix's items live, and the exemption that covers each: its own, its group's, or the appendix's. */
interface AppendixPlace {
  here: Pick<PlanItem, 'collection' | 'file' | 'where'>;
  covered: (own: Exemption | undefined, group?: Exemption) => Exemption | undefined;
}

/** The items of one appendix, by its kind. */
function addAppendixItems(data: DataSet, appendix: Appendix, add: Add, fieldsOf: FieldsOf): void {
  const source = data.appendices[appendix.number - 1]!;
  const place: AppendixPlace = {
    here: { collection: appendix.key, file: data.appendixFiles.get(appendix.key) ?? '', where: appendixHeading(appendix) },
    // Everything in an exempt appendix is exempt with it.
    covered: (own, group) => own ?? group ?? appendix.exempt,
  };
  const { here, covered } = place;
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
          exempt: covered(entry.exempt),
          ...fieldsOf({ date: entry.date, event: entry.event, ...exemptMark(entry) }),
        });
      }
      break;
    case 'recommendations':
      if (appendix.kind === 'recommendations') addRecommendations(source, appendix, place, add, fieldsOf);
      break;
    case 'aspirations':
      if (appendix.kind !== 'aspirations') break;
      for (const [i, aspiration] of source.aspirations.entries()) {
        add({
          ...here,
          id: aspiration.id,
          kind: 'aspiration',
          label: `${capitalise(appendix.itemName.one)} ${appendix.aspirations[i]!.number}`,
          noun: appendix.itemName.one,
          plural: appendix.itemName.many,
          position: i + 1,
          exempt: covered(aspiration.exempt),
          ...fieldsOf({ status: aspiration.status, text: aspiration.text, ...exemptMark(aspiration) }),
        });
      }
      break;
    case 'framework':
      addBodies(source, place, add, fieldsOf);
      break;
  }
}

type SourceAppendix<K extends string> = Extract<AppendixFile, { kind: K }>;

/** A recommendations appendix: each group, then its recommendations or actions. */
function addRecommendations(
  source: SourceAppendix<'recommendations'>,
  appendix: Extract<Appendix, { kind: 'recommendations' }>,
  { here, covered }: AppendixPlace,
  add: Add,
  fieldsOf: FieldsOf,
): void {
  for (const [g, group] of source.groups.entries()) {
    const modelled = appendix.groups[g]!;
    const named = source.item_name;
    const noun = named?.one ?? (/\bactions?\b/i.test(group.title ?? '') ? 'action' : 'recommendation');
    const groupLabel = group.title ? `group ${g + 1}: ${normaliseText(group.title)}` : `group ${g + 1}`;
    add({
      ...here,
      id: group.id,
      kind: 'group',
      label: group.title ? `Group ${g + 1}: ${normaliseText(group.title)}` : `Group ${g + 1}`,
      noun: 'group',
      position: g + 1,
      exempt: covered(group.exempt),
      ...fieldsOf({ title: group.title, ...exemptMark(group) }),
    });
    for (const [i, item] of group.items.entries()) {
      add({
        ...here,
        id: item.id,
        kind: 'recommendation',
        group: group.id,
        label: `${capitalise(noun)} ${modelled.items[i]!.number}`,
        noun,
        ...(named && { plural: named.many }),
        position: i + 1,
        where: `${here.where}, ${groupLabel}`,
        exempt: covered(item.exempt, group.exempt),
        ...fieldsOf({
          status: item.status,
          // Each rating is a field of its own, named by its key (never one of the item's keys: config-statuses.ts).
          ...item.ratings,
          reference: item.reference,
          owner: item.owner,
          due: item.due,
          measure: item.measure,
          progress: item.progress,
          text: item.text,
          ...exemptMark(item),
        }),
      });
    }
  }
}

/** A framework appendix: each body, with its reporting lines. */
function addBodies(source: SourceAppendix<'framework'>, { here, covered }: AppendixPlace, add: Add, fieldsOf: FieldsOf): void {
  // A reporting line to an exempt body is exempt with it: the line names the body.
  const exemptBodies = new Map(source.bodies.flatMap((b) => (b.exempt ? [[b.id, b.exempt] as const] : [])));
  for (const [i, body] of source.bodies.entries()) {
    add({
      ...here,
      id: body.id,
      kind: 'body',
      label: normaliseText(body.name),
      noun: 'framework body',
      position: i + 1,
      exempt: covered(body.exempt),
      ...fieldsOf({
        name: body.name,
        type: body.type,
        chair: body.chair,
        meets: body.meets,
        session: body.session,
        role: body.role,
        ...exemptMark(body),
        reports_to: body.reports_to?.map((line) =>
          entry(`${line.body}: ${normaliseText(line.what)} (${joinParts(line.frequency, line.session)})`, line.exempt, exemptBodies.get(line.body)),
        ),
      }),
    });
  }
}
