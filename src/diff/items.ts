import { GLOSSARY_FILE, REPORT_FILE } from '../data/dataset.js';
import { DEFAULT_ITEM_NAMES } from '../model/report.js';
import type { Appendix, ReportModel, Section } from '../model/report.js';
import type { AudienceModel } from '../model/withhold.js';
import { formatPlanDate, isoDay } from '../data/dates.js';
import type { PlanDate } from '../data/dates.js';
import type { ExemptableText } from '../data/schema.js';
import { exemptNotice, fieldExemption, fieldText } from '../model/exempt.js';
import type { Audience, Exemption } from '../model/exempt.js';
import type { StatusScheme } from '../data/status.js';
import { formatFigure } from '../model/scorecard.js';
import { countOf, paragraphNumber } from '../model/references.js';
import { markdownAsText } from '../text/plain.js';
import type { Measure } from '../model/scorecard.js';

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
  | 'body'
  | 'measure';

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
  /**
   * A text of this version as its reader reads it: Markdown as plain text, references
   * as the report prints them ("Appendix 2"). Where left out, the text as written.
   */
  read?: (text: string) => string;
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
  commentary: 'text',
  values: 'list',
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
 * change, and where each is exempt. The model was withheld before (model/withhold.ts):
 * for the public an exempt value is left out, and an exempt list entry, already
 * emptied, reads as its notice, so that the others keep their numbers. For the
 * exempt audience it reads as its text with the marking noted, so that exempting or
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
      const exemption = fieldExemption(value);
      if (exemption && audience === 'public') continue;
      out[name] = type === 'value' ? plain(value) : normaliseText(plain(value));
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

/** A model field with the exemption the model keeps beside it. */
function exemptable(text: string | undefined, exempt: Exemption | undefined): ExemptableText | undefined {
  return text === undefined || exempt === undefined ? text : { text, exempt };
}

const joinParts = (...parts: (string | undefined)[]) => parts.filter((p) => p !== undefined && p !== '').join(', ');

/** A plan date as the data writes it: `2014-04`, `2014-04/2014-05`. */
const writtenDate = (d: PlanDate) => (d.end ? `${isoDay(d.start)}/${isoDay(d.end)}` : isoDay(d.start));

/** The heading an appendix has in the report: "Appendix 2 – Title". */
export function appendixHeading(appendix: Pick<Appendix, 'number' | 'heading'>): string {
  return `Appendix ${appendix.number} – ${appendix.heading}`;
}

/** "Jun 2012" for a chronology date. */
const chronologyLabel = (date: PlanDate) => formatPlanDate(date);

/** Ids are unique across a data set; glossary terms have none, and there is one report. */
const matchKey = (item: Pick<PlanItem, 'kind' | 'id'>) =>
  item.kind === 'term' ? `term:${item.id}` : item.kind === 'report' ? 'report:' : `id:${item.id}`;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * An appendix's items as collected (before their place in the whole plan is set), by
 * the withheld appendix they came from, for an audience and data file: versions of a
 * history that share an appendix (model/report.ts ModelCache, model/withhold.ts
 * WithholdMemo) collect it once.
 */
export type ItemsCache = WeakMap<Appendix, Map<string, Omit<PlanItem, 'key' | 'order'>[]>>;

/** An empty items cache. */
export function itemsCache(): ItemsCache {
  return new WeakMap();
}

/** Adds one item to the list being collected, in report order. */
type Add = (item: Omit<PlanItem, 'key' | 'order'>) => void;
/** The comparable fields of an item, for the audience being collected for. */
type FieldsOf = (values: Record<string, FieldInput>) => Pick<PlanItem, 'fields' | 'exemptParts'>;

/**
 * Flattens one version of the plan, as the withhold stage left it for its audience
 * (model/withhold.ts), into the items a diff follows, in the order the report prints
 * them, each with its label and place, and the exemption that covers it (its own or
 * its container's). For the public, what was withheld (a stand-in) is not an item:
 * nothing exempt reaches a comparison. `files` names each appendix's data file. Pure.
 */
export function collectItems(model: AudienceModel, files: ReadonlyMap<string, string>, cache?: ItemsCache): PlanItems {
  const { audience } = model;
  const items: PlanItem[] = [];
  // Each item is made whole here, its own object for this version (a cached one is shared by versions).
  const add: Add = (item) => {
    if (audience === 'public' && item.exempt) return;
    items.push({ ...item, key: matchKey(item), order: items.length });
  };
  const fieldsOf: FieldsOf = (values) => fields(values, audience);

  addReport(model, add, fieldsOf);
  for (const section of model.sections) addSection(section, add, fieldsOf);
  for (const [i, term] of model.glossary.entries()) {
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
  const shown = model.appendices.filter((a) => audience === 'exempt' || !a.exempt);
  for (const appendix of shown) {
    addAppendix(appendix, files, add, fieldsOf);
    collections.push({ id: appendix.key, heading: appendixHeading(appendix) });
  }
  // Without a cache (one version), each appendix is collected into one made for it here.
  const collectedBy = cache ?? itemsCache();
  for (const appendix of shown) {
    let byPlace = collectedBy.get(appendix);
    if (!byPlace) collectedBy.set(appendix, (byPlace = new Map()));
    const place = `${audience}\u0000${files.get(appendix.key) ?? ''}`;
    let collected = byPlace.get(place);
    if (!collected) {
      const list: Omit<PlanItem, 'key' | 'order'>[] = [];
      addAppendixItems(appendix, files, (item) => list.push(item), fieldsOf);
      byPlace.set(place, (collected = list));
    }
    // Each version places its own copies: `add` sets the key and the place in the whole plan.
    for (const item of collected) add(item);
  }
  return { items, collections, meetingDate: isoDay(model.meetingDate), audience, statuses: model.statuses, read: reader(model) };
}

/** How this version's texts read (PlanItems.read): references looked up in the model made for the audience. */
function reader(model: AudienceModel): (text: string) => string {
  const numbers = new Map(model.appendices.map((a) => [a.key, { number: a.number }]));
  const lookup = Object.assign((key: string) => numbers.get(key), {
    paragraph: (section: string, n: number) => paragraphNumber(model, section, n),
    count: (what: string, status: string | undefined) => countOf(model, what, status),
  });
  return (text) => markdownAsText(text, lookup);
}

/** The report's own details: one item. */
function addReport(model: ReportModel, add: Add, fieldsOf: FieldsOf): void {
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
      title: model.title,
      council: model.council,
      committee: model.committee,
      meeting_date: isoDay(model.meetingDate),
      author: model.author,
      status: model.status,
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
    case 'trend':
    case 'scorecard':
      // (A scorecard section's measures are compared as the appendix's items.)
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
function addAppendix(appendix: Appendix, files: ReadonlyMap<string, string>, add: Add, fieldsOf: FieldsOf): void {
  add({
    id: appendix.key,
    kind: 'appendix',
    collection: APPENDICES_COLLECTION,
    file: files.get(appendix.key) ?? '',
    label: appendixHeading(appendix),
    noun: 'appendix',
    position: appendix.number,
    where: 'Appendices',
    exempt: appendix.exempt,
    ...fieldsOf({
      kind: appendix.kind,
      title: appendix.title,
      // The model reads a heading left out as the title; the diff follows what the data wrote.
      heading: appendix.heading === appendix.title ? undefined : appendix.heading,
      summary: appendix.kind === 'framework' ? exemptable(appendix.summary, appendix.exemptFields?.summary) : undefined,
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
function addAppendixItems(appendix: Appendix, files: ReadonlyMap<string, string>, add: Add, fieldsOf: FieldsOf): void {
  const place: AppendixPlace = {
    here: { collection: appendix.key, file: files.get(appendix.key) ?? '', where: appendixHeading(appendix) },
    // Everything in an exempt appendix is exempt with it.
    covered: (own, group) => own ?? group ?? appendix.exempt,
  };
  const { here, covered } = place;
  switch (appendix.kind) {
    case 'chronology': {
      const entries = appendix.dates.flatMap((d) => d.entries.map((e) => ({ ...e, date: d.date })));
      for (const [i, e] of entries.entries()) {
        add({
          ...here,
          id: e.id,
          kind: 'chronology-entry',
          label: chronologyLabel(e.date),
          noun: 'chronology entry',
          position: i + 1,
          exempt: covered(e.exempt),
          ...fieldsOf({ date: writtenDate(e.date), event: e.event, ...exemptMark(e) }),
        });
      }
      break;
    }
    case 'recommendations':
      addRecommendations(appendix, place, add, fieldsOf);
      break;
    case 'aspirations':
      for (const [i, aspiration] of appendix.aspirations.entries()) {
        add({
          ...here,
          id: aspiration.id,
          kind: 'aspiration',
          label: `${capitalise(appendix.itemName.one)} ${aspiration.number}`,
          noun: appendix.itemName.one,
          plural: appendix.itemName.many,
          position: i + 1,
          exempt: covered(aspiration.exempt),
          ...fieldsOf({ status: aspiration.status, text: aspiration.text, ...exemptMark(aspiration) }),
        });
      }
      break;
    case 'framework':
      addBodies(appendix, place, add, fieldsOf);
      break;
    case 'scorecard':
      if (appendix.kind !== 'scorecard') break;
      for (const [i, measure] of appendix.measures.entries()) {
        const own = measure.exemptFields ?? {};
        add({
          ...here,
          id: measure.id,
          kind: 'measure',
          label: normaliseText(measure.title),
          noun: appendix.itemName.one,
          plural: appendix.itemName.many,
          position: i + 1,
          exempt: covered(measure.exempt),
          ...fieldsOf({
            ...measureFields(measure, appendix.ragWords),
            owner: exemptable(measure.owner, own.owner),
            commentary: exemptable(measure.commentary, own.commentary),
            ...exemptMark(measure),
          }),
        });
      }
      break;
  }
}

type AppendixOf<K extends Appendix['kind']> = Extract<Appendix, { kind: K }>;

/**
 * A measure's figures as the committee reads them: the latest with its target
 * ("20% (target 18%)", so a change reads "24% → 20% (target 18%)"), the target,
 * the worked-out RAG, and every period's figure, so a new period shows as added.
 */
function measureFields(m: Measure, words: Extract<Appendix, { kind: 'scorecard' }>['ragWords']): Record<string, FieldInput> {
  const figure = (v: number | undefined) => (v === undefined ? 'not yet available' : formatFigure(v, m.unit));
  const target = m.target === undefined ? undefined : formatFigure(m.target, m.unit);
  return {
    title: m.title,
    unit: m.unit,
    polarity: `${m.polarity} is better`,
    target,
    tolerance: m.tolerance === undefined ? undefined : formatFigure(m.tolerance, m.unit),
    latest: m.latest ? `${figure(m.latest.value)}${target ? ` (target ${target})` : ''}` : undefined,
    rag: m.rag ? words[m.rag].label : undefined,
    values: m.figures.map((f) => `${f.period.label}: ${figure(f.value)}`),
  };
}

/**
 * What a group's items are where the data names neither: actions where the group's
 * title says so ("Additional Local Actions"); for a group without a title, actions where
 * the appendix's title names actions and not recommendations; else recommendations.
 */
function nounFromTitles(group: string | undefined, appendix: string): 'action' | 'recommendation' {
  const actions = (title: string) => /\bactions?\b/i.test(title);
  if (group !== undefined) return actions(group) ? 'action' : 'recommendation';
  return actions(appendix) && !/\brecommendations?\b/i.test(appendix) ? 'action' : 'recommendation';
}

/** A recommendations appendix: each group, then its recommendations or actions. */
function addRecommendations(appendix: AppendixOf<'recommendations'>, { here, covered }: AppendixPlace, add: Add, fieldsOf: FieldsOf): void {
  // The model names items "recommendation or action" where the data does not: the diff says which.
  const unnamed = appendix.itemName.one === DEFAULT_ITEM_NAMES.recommendations.one && appendix.itemName.many === DEFAULT_ITEM_NAMES.recommendations.many;
  for (const [g, group] of appendix.groups.entries()) {
    const named = group.itemName ?? (unnamed ? undefined : appendix.itemName);
    const noun = named?.one ?? nounFromTitles(group.title, appendix.title);
    // An area with a reference of its own is named by it ("AFI 3: …"), as the report heads it.
    const groupName = group.reference ?? `group ${g + 1}`;
    const groupLabel = group.title ? `${groupName}: ${normaliseText(group.title)}` : groupName;
    // Where an item is, an area's reference says enough ("…, AFI 4"); its long title is the area's own label.
    const groupPlace = group.reference ?? groupLabel;
    add({
      ...here,
      id: group.id,
      kind: 'group',
      label: capitalise(groupLabel),
      noun: 'group',
      position: g + 1,
      exempt: covered(group.exempt),
      ...fieldsOf({ reference: group.reference, title: group.title, lead: group.lead, rating: group.ratingWorkedOut ? undefined : group.rating, ...exemptMark(group) }),
    });
    for (const [i, item] of group.items.entries()) {
      const own = item.exemptFields ?? {};
      add({
        ...here,
        id: item.id,
        kind: 'recommendation',
        group: group.id,
        // Numbered as the report numbers it; where the appendix numbers nothing, by its place in the group.
        label: `${capitalise(noun)} ${item.number || i + 1}`,
        noun,
        ...(named && { plural: named.many }),
        position: i + 1,
        where: `${here.where}, ${groupPlace}`,
        exempt: covered(item.exempt, group.exempt),
        ...fieldsOf({
          status: item.status,
          // Each rating is a field of its own, named by its key (never one of the item's keys: config-statuses.ts).
          ...item.ratings,
          reference: exemptable(item.reference, own.reference),
          owner: exemptable(item.owner, own.owner),
          due: item.dueWord ?? (item.due === undefined ? undefined : writtenDate(item.due)),
          measure: exemptable(item.measure, own.measure),
          progress: exemptable(item.progress, own.progress),
          text: item.text,
          ...exemptMark(item),
        }),
      });
    }
  }
}

/** A framework appendix: each body, with its reporting lines. */
function addBodies(appendix: AppendixOf<'framework'>, { here, covered }: AppendixPlace, add: Add, fieldsOf: FieldsOf): void {
  // A reporting line to an exempt body is exempt with it: the line names the body.
  const exemptBodies = new Map(appendix.bodies.flatMap((b) => (b.exempt ? [[b.id, b.exempt] as const] : [])));
  for (const [i, body] of appendix.bodies.entries()) {
    const lines = appendix.lines.filter((l) => l.from === body.id);
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
        reports_to: lines.length === 0 ? undefined : lines.map((line) =>
          entry(`${line.to}: ${normaliseText(line.what)} (${joinParts(line.frequency, line.session)})`, line.exempt, exemptBodies.get(line.to)),
        ),
      }),
    });
  }
}
