import { z } from 'zod';
import { DEFAULT_SCHEME, meantWord } from './status.js';
import type { StatusScheme, Vocabulary } from './status.js';
import { parsePlanDate, parsePlanDay } from './dates.js';
import { COMPARATORS, NOT_YET_AVAILABLE, parsePeriod, PERIOD_TYPES, UNITS, unitProblem } from './measures.js';
import type { PeriodType, Unit } from './measures.js';
import { closest } from './problems.js';
import { tableProblems } from '../text/tables-in-text.js';

/** Stable identifiers: the diff, cross-references and history hang on them. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

const Id = z
  .string()
  .regex(ID_PATTERN, 'an id uses lower-case letters, digits and hyphens, e.g. "ofsted-2012-r01"');

/** Text that may hold Markdown; it must say something. (`pattern` tells editors, via the JSON Schema.) */
const Text = z.string().refine((s) => s.trim().length > 0, 'must not be empty').meta({ pattern: '\\S' });

/**
 * Where a recommendation or action stands (`key` is `status`, or a rating's key):
 * one of the council's status ids (csi.config.yaml `statuses`). Counts in the report
 * are computed from this. A near miss ("Complete", "on track") is refused with the
 * word to write; the JSON Schema lists the ids, so editors offer them.
 */
function statusIn(vocabulary: Vocabulary, key: string) {
  const ids = vocabulary.map((w) => w.id);
  return z
    .string()
    .superRefine((written, ctx) => {
      if (ids.includes(written)) return;
      const listed = `use one of: ${ids.join(', ')} (the status words chosen by "statuses" in csi.config.yaml; the built-in four if it sets none)`;
      const meant = meantWord(vocabulary, written)?.id ?? closest(written, ids);
      const hint = meant === undefined ? listed : `did you mean "${meant}"? ${listed}`;
      ctx.addIssue({ code: 'custom', message: `the text "${written}" is not allowed for "${key}"`, params: { csi: 'NOT_ALLOWED', hint } });
    })
    .meta({ enum: ids });
}
/** A status id; which ones a plan may use is the council's (data/status.ts). */
export type Status = string;

/**
 * Markdown printed as paragraphs (`block`), where a table may go with its caption,
 * or on one line or in one table cell (`inline`), where it cannot.
 */
function markdownText(where: 'block' | 'inline') {
  return z
    .string()
    .refine((s) => s.trim().length > 0, 'must not be empty')
    .superRefine((text, ctx) => {
      for (const message of tableProblems(text, where)) ctx.addIssue({ code: 'custom', message, params: { csi: 'MARKDOWN_TABLE' } });
    })
    .meta({ pattern: '\\S' });
}
/** Paragraphs of Markdown: lists, and tables with a "Table: …" caption. */
const BlockText = markdownText('block');
/** Markdown on one line or in one table cell. */
const InlineText = markdownText('inline');

// The patterns are the shape only, for editors; the refinements check the calendar.
const PlanDateText = z.string().superRefine((text, ctx) => {
  const parsed = parsePlanDate(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed, params: { csi: 'INVALID_DATE' } });
}).meta({ pattern: '^\\d{4}-\\d{2}(-\\d{2})?(/\\d{4}-\\d{2}(-\\d{2})?)?$' });

const FullDateText = z.string().superRefine((text, ctx) => {
  const parsed = parsePlanDay(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed, params: { csi: 'INVALID_DATE' } });
  else if (parsed.day === undefined) ctx.addIssue({ code: 'custom', message: `"${text}" needs a day: YYYY-MM-DD`, params: { csi: 'INVALID_DATE' } });
}).meta({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

// ---- exempt information ----------------------------------------------------

const SCHEDULE_12A = 'Schedule 12A has paragraphs 1 to 7';

/**
 * Why a piece of the report is exempt from publication: the paragraph (1–7) of
 * Schedule 12A to the Local Government Act 1972 that applies. A public build
 * leaves the piece out and says so; an exempt build keeps it, marked.
 */
export const Exemption = z.strictObject({
  paragraph: z.number().int(SCHEDULE_12A).min(1, SCHEDULE_12A).max(7, SCHEDULE_12A),
});
export type Exemption = z.infer<typeof Exemption>;

/** `exempt: { paragraph: N }` on a section, appendix, group or item. */
const exempt = { exempt: Exemption.optional() };

/** A field that may be exempt on its own: its plain value, or `{ text, exempt }`. */
function exemptable<T extends z.ZodType<string>>(value: T) {
  return z.union([value, z.strictObject({ text: value, exempt: Exemption })]);
}
/** A field value as written: plain, or marked exempt. */
export type ExemptableText = string | { text: string; exempt: Exemption };

// ---- report.yaml -----------------------------------------------------------

const Witness = z.strictObject({
  name: Text,
  role: Text,
  organisation: exemptable(Text).optional(),
  ...exempt,
});

const Contact = z.strictObject({
  name: Text,
  role: Text,
  phone: exemptable(Text).optional(),
  email: exemptable(z.email('an e-mail address reads like "name@council.gov.uk"')).optional(),
  ...exempt,
});

const Link = z.strictObject({
  title: Text,
  url: z.url({ protocol: /^https?$/, error: 'a web address starts https:// or http://' }),
  ...exempt,
});

const sectionBase = { id: Id, title: Text, ...exempt };

/** Numbered paragraphs of Markdown, each of which may be exempt on its own. */
const Paragraphs = z.array(exemptable(BlockText)).min(1);

/** A section with no `kind` is narrative: numbered paragraphs of Markdown. */
const NarrativeSection = z.strictObject({
  ...sectionBase,
  kind: z.literal('narrative').default('narrative'),
  paragraphs: Paragraphs,
  witnesses: z.array(Witness).min(1).optional(),
});

/** What the committee is asked to do: each recommendation a numbered paragraph. */
const RecommendationsSection = z.strictObject({
  ...sectionBase,
  kind: z.literal('recommendations'),
  /** The line before the recommendations: "The Committee is recommended to:". */
  lead_in: Text.optional(),
  recommendations: Paragraphs,
});

/** One sub-heading of the implications (Legal, Financial, Equality …) and what it says. */
const Implication = z.strictObject({ title: Text, paragraphs: Paragraphs, ...exempt });

/** The implications of the report, under the sub-headings the council uses. */
const ImplicationsSection = z.strictObject({
  ...sectionBase,
  kind: z.literal('implications'),
  implications: z.array(Implication).min(1),
});

/** "Progress at a glance": the appendices' items counted by status, as a chart and a table. */
const ProgressSection = z.strictObject({
  ...sectionBase,
  kind: z.literal('progress'),
  paragraphs: Paragraphs.optional(),
});

/**
 * "Progress since the inspection": items counted by status at each meeting, from the
 * plan's own git history, read when the report is built (a chart, its table and a
 * sentence). The data folder must be in git, with its whole history.
 */
const TrendSection = z.strictObject({
  ...sectionBase,
  kind: z.literal('trend'),
  /** The meeting (report.yaml's meeting_date in some commit) the series starts at; default the first the history names. */
  since: FullDateText.optional(),
  /** Count one appendix's items only (its key, as "appendices" lists it); default every appendix with statuses. */
  appendix: Id.optional(),
  /** Count by status (the default) or by a rating's words (its key in csi.config.yaml's ratings). */
  by: Id.optional(),
  paragraphs: Paragraphs.optional(),
});

/** A scorecard appendix's summary and table, placed in a numbered section; its charts stay in the appendix. */
const ScorecardSection = z.strictObject({
  ...sectionBase,
  kind: z.literal('scorecard'),
  /** The key of a scorecard appendix that report.yaml lists. */
  scorecard: Id,
  paragraphs: Paragraphs.optional(),
});

const AppendicesSection = z.strictObject({ ...sectionBase, kind: z.literal('appendices') });
const GlossarySection = z.strictObject({ ...sectionBase, kind: z.literal('glossary') });
const LinksSection = z.strictObject({ ...sectionBase, kind: z.literal('links'), links: z.array(Link).min(1) });
const ContactsSection = z.strictObject({
  ...sectionBase,
  kind: z.literal('contacts'),
  contacts: z.array(Contact).min(1),
});

const Section = z.discriminatedUnion('kind', [
  NarrativeSection,
  RecommendationsSection,
  ImplicationsSection,
  ProgressSection,
  TrendSection,
  ScorecardSection,
  AppendicesSection,
  LinksSection,
  GlossarySection,
  ContactsSection,
]);

/**
 * How sections and paragraphs are numbered: "1.0" (sections 1.0, 2.0; paragraphs
 * 1.1, 1.2), "1." (sections 1., 2.; paragraphs 1.1, 1.2) or none.
 */
export const NUMBERING_STYLES = ['1.0', '1.', 'none'] as const;
export type NumberingStyle = (typeof NUMBERING_STYLES)[number];
const Numbering = z.enum(NUMBERING_STYLES);

/** A line of the front sheet the council words itself: "Report reference: CYP/24/07". */
const FrontSheetField = z.strictObject({ label: Text, value: Text });

/** The heading block of a committee report, as on a council's front sheet. Every line is optional. */
const FrontSheet = z
  .strictObject({
    item: z.union([z.int().positive(), Text]).optional(),
    report_of: Text.optional(),
    wards: z.union([Text, z.array(Text).min(1)]).optional(),
    portfolio: Text.optional(),
    key_decision: z.union([z.boolean(), Text]).optional(),
    publication: Text.optional(),
    /**
     * "Public or exempt", worked out from what is marked exempt ("Public, except paragraph
     * 9.3 …"), never typed: true prints it as `exempt_line_label` (default "Public or exempt").
     */
    exempt_line: z.boolean().optional(),
    exempt_line_label: Text.optional(),
    /** The council's own lines (label and value), in its order, after the lines above. */
    fields: z.array(FrontSheetField).min(1).optional(),
  })
  .superRefine((sheet, ctx) => {
    if (sheet.exempt_line && sheet.publication !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['publication'], message: 'the public or exempt line is typed here and worked out by exempt_line: true', params: { csi: 'INVALID_VALUE', hint: 'remove "publication": csi works the line out from what is marked exempt' } });
    }
  });
export type FrontSheet = z.infer<typeof FrontSheet>;

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

/** A language tag such as en-GB or cy (BCP 47): a two- or three-letter language, as Intl reads it. */
const LanguageTag = z
  .string()
  .refine((tag) => {
    try {
      return LANGUAGE_TAG.test(tag) && Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  }, 'a language tag is written like "en-GB" or "cy"')
  .meta({ pattern: LANGUAGE_TAG.source });

/** Kinds of change the "Changes since …" appendix can leave out. */
export const CHANGE_KINDS = ['added', 'removed', 'status', 'reworded', 'redated', 'moved', 'updated'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** What the "Changes since …" appendix (build-report --changes-since) leaves out. */
const ChangesAppendix = z.strictObject({
  leave_out: z.array(Text).optional(),
  leave_out_changes: z.array(z.enum(CHANGE_KINDS)).optional(),
});

export const ReportFile = z.strictObject({
  title: Text,
  council: Text,
  committee: Text,
  meeting_date: FullDateText,
  author: Text,
  /** The plan's own version label, e.g. "2017.3": printed in the footer and the PDF metadata. */
  version: Text.optional(),
  status: z.enum(['draft', 'final']),
  front_sheet: FrontSheet.optional(),
  numbering: Numbering.optional(),
  /** Whether the report has a contents list after its front sheet: the council's choice, on by default. */
  contents: z.boolean().optional(),
  /** A date printed after the last section, as the report is signed off; none unless given. */
  sign_off: FullDateText.optional(),
  /** The report's language: the HTML's lang and the PDF's /Lang. Default en-GB. */
  language: LanguageTag.optional(),
  /** Words for the PDF's Keywords, after the council and the committee. */
  keywords: z.array(Text).optional(),
  changes_appendix: ChangesAppendix.optional(),
  appendices: z.array(Id),
  sections: z.array(Section).min(1),
});
export type ReportFile = z.infer<typeof ReportFile>;
export type SectionData = ReportFile['sections'][number];

// ---- glossary.yaml ---------------------------------------------------------

export const GlossaryFile = z.strictObject({
  terms: z.array(z.strictObject({ term: Text, definition: Text })).min(1),
});
export type GlossaryFile = z.infer<typeof GlossaryFile>;

// ---- appendix files --------------------------------------------------------

const appendixBase = {
  key: Id,
  /** As listed in "List of Appendices" and in "Appendix N – Title". */
  title: Text,
  /** A longer heading for the appendix page itself, when it differs. */
  heading: Text.optional(),
  ...exempt,
};

const ChronologyEntry = z.strictObject({ id: Id, date: PlanDateText, event: InlineText, ...exempt });

const ChronologyAppendix = z.strictObject({
  ...appendixBase,
  kind: z.literal('chronology'),
  entries: z.array(ChronologyEntry).min(1),
});

/** An item's place in the report's scales: its status, and each further rating the council names. */
function ratingFields(scheme: StatusScheme) {
  const ratings = z.strictObject(Object.fromEntries(scheme.ratings.map((r) => [r.key, statusIn(r.vocabulary, r.key).optional()])));
  return { status: statusIn(scheme.status, 'status'), ratings: ratings.optional() };
}

/**
 * An item's own number where its source gives one (Ofsted's recommendation 7),
 * printed instead of the number csi would give it.
 */
const ItemNumber = z.union([z.int().positive(), Text]);

/** What an appendix calls its items ("priority", "priorities"), in its table and summaries. */
const ItemName = z.strictObject({ one: Text, many: Text });

/** An item's own numbers are unique in its appendix, or a reader could not tell the items apart. */
function uniqueNumbers(numbered: { number?: number | string | undefined; path: (string | number)[] }[], ctx: z.core.$RefinementCtx) {
  const seen = new Set<string>();
  for (const { number, path } of numbered) {
    if (number === undefined) continue;
    const key = String(number).trim();
    if (seen.has(key)) {
      ctx.addIssue({ code: 'custom', message: `number "${key}" is already used in this appendix`, path: [...path, 'number'], params: { csi: 'DUPLICATE_NUMBER' } });
    }
    seen.add(key);
  }
}

/**
 * What an item's `due` may be: a date (YYYY-MM-DD), a month (YYYY-MM), a range, or one of
 * the council's words for a due date that is no date ("Ongoing": csi.config.yaml `due_words`).
 */
function dueIn(words: readonly string[]) {
  const shapes = 'a date YYYY-MM-DD, a month YYYY-MM';
  return z
    .string()
    .superRefine((text, ctx) => {
      if (words.includes(text)) return;
      const parsed = parsePlanDate(text);
      if (typeof parsed !== 'string') return;
      const meant = words.find((w) => w.toLowerCase() === text.trim().toLowerCase());
      if (meant !== undefined) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a due word as written`, params: { csi: 'NOT_ALLOWED', hint: `write "${meant}", as due_words in csi.config.yaml has it` } });
        return;
      }
      const listed = words.length > 0 ? `${shapes}, or one of: ${words.join(', ')}` : `${shapes}, or a word listed in due_words in csi.config.yaml (e.g. Ongoing)`;
      // A word where a date goes: say which words the council allows. A date gone wrong has its own message.
      if (isWordOnly(text)) ctx.addIssue({ code: 'custom', message: `the due "${text}" is not a date or a due word`, params: { csi: 'INVALID_DATE', hint: `due is ${listed}` } });
      else ctx.addIssue({ code: 'custom', message: parsed, params: { csi: 'INVALID_DATE' } });
    })
    .meta({ anyOf: [{ pattern: '^\\d{4}-\\d{2}(-\\d{2})?(/\\d{4}-\\d{2}(-\\d{2})?)?$' }, ...(words.length > 0 ? [{ enum: [...words] }] : [])] });
}

/** True for a text of letters only, which no date form is ("Ongoing", "tbc"). */
const isWordOnly = (text: string) => !/\d/.test(text);

/**
 * The fields an appendix's tracker table can show, one column each (`ratings.KEY` for a further rating).
 * `previous` (the status at the last meeting) and `direction` (better, the same or worse since)
 * are read from the plan's history at build time (diff/travel.ts), so need the data folder in git.
 */
export const TRACKER_FIELDS = ['number', 'reference', 'text', 'owner', 'due', 'status', 'measure', 'progress', 'previous', 'direction'] as const;
export type TrackerField = (typeof TRACKER_FIELDS)[number];

/** Headings a council may write in `show:` for the field that holds them. */
const TRACKER_ALIASES: Record<string, string> = { lead: 'owner', rag: 'status', update: 'progress', ref: 'number', action: 'text', rating: 'status' };

/** One column of a tracker table: which field it shows, and its heading in the council's words. */
function trackerColumn(scheme: StatusScheme) {
  const fields = [...TRACKER_FIELDS, ...scheme.ratings.map((r) => `ratings.${r.key}`)];
  return z.strictObject({
    show: z.string().superRefine((field, ctx) => {
      if (fields.includes(field)) return;
      // A column is often named for its heading ("lead", "RAG"): point to the field that holds it.
      const meant = TRACKER_ALIASES[field.toLowerCase()] ?? closest(field, fields);
      ctx.addIssue({
        code: 'custom',
        message: `a tracker column cannot show "${field}"`,
        params: { csi: 'NOT_ALLOWED', hint: `${meant ? `did you mean "${meant}"? ` : ''}use one of: ${fields.join(', ')}` },
      });
    }).meta({ enum: fields }),
    label: Text,
  });
}

/** Tokens an action-number pattern may hold. */
export const NUMBER_TOKENS = ['{appendix}', '{group}', '{n}', '{reference}'] as const;

/**
 * How an appendix numbers its items: a pattern of `{group}` (the group's place, 1, 2 …),
 * `{n}` (the item's place in its group), `{appendix}` and `{reference}` (the item's own
 * reference) with any text around them ("{group}.{n}", "AFI {group}.{n}"), or `none`.
 */
const NumberPattern = z.string().superRefine((pattern, ctx) => {
  if (pattern === 'none') return;
  const unknown = (pattern.match(/\{[^}]*\}/g) ?? []).filter((t) => !(NUMBER_TOKENS as readonly string[]).includes(t));
  if (unknown.length > 0) {
    ctx.addIssue({ code: 'custom', message: `the numbering "${pattern}" has ${unknown.join(', ')}, which csi does not fill in`, params: { csi: 'NOT_ALLOWED', hint: `use ${NUMBER_TOKENS.join(', ')} (e.g. "{group}.{n}"), or none` } });
  } else if (!/\{(n|reference)\}/.test(pattern)) {
    ctx.addIssue({ code: 'custom', message: `the numbering "${pattern}" gives every item of a group the same number`, params: { csi: 'NOT_ALLOWED', hint: 'put {n} (the item\'s place in its group) or {reference} in it, e.g. "{group}.{n}"' } });
  }
});

/** How a group's own rating is worked out where it gives none: the worst of its items' statuses, or none. */
export const GROUP_RATING_RULES = ['worst', 'none'] as const;

function recommendationsAppendix(scheme: StatusScheme) {
  const full = z.strictObject({
    id: Id,
    number: ItemNumber.optional(),
    text: InlineText,
    ...ratingFields(scheme),
    /** Where it comes from, as written: "Para 5.3", "Ofsted recommendation 4". */
    reference: exemptable(Text).optional(),
    owner: exemptable(Text).optional(),
    due: dueIn(scheme.dueWords ?? []).optional(),
    measure: exemptable(Text).optional(),
    progress: exemptable(Text).optional(),
    ...exempt,
  });
  // Without further ratings, `ratings` is an unknown key, as any other would be.
  const Recommendation = scheme.ratings.length > 0 ? full : (full.omit({ ratings: true }) as unknown as typeof full);

  const RecommendationGroup = z.strictObject({
    id: Id,
    /** The area's own reference, as its source gives it: "AFI 1", "Ofsted". */
    reference: Text.optional(),
    title: Text.optional(),
    /** Who leads the area as a whole. */
    lead: Text.optional(),
    /** What this group's items are, where its title does not say: `{ one: action, many: actions }`. Beats the appendix's `item_name`. */
    item_name: ItemName.optional(),
    /** The area's overall rating, where the council gives one; else worked out by the appendix's `group_rating`. */
    rating: statusIn(scheme.status, 'rating').optional(),
    items: z.array(Recommendation).min(1),
    ...exempt,
  });

  return z
    .strictObject({
      ...appendixBase,
      kind: z.literal('recommendations'),
      item_name: ItemName.optional(),
      /** The item-number pattern ("{group}.{n}", "{reference}", none); default "A" + appendix, group and place. */
      numbering: NumberPattern.optional(),
      /** How a group's rating is worked out when it gives none: `worst` of its items' statuses, or `none` (the default). */
      group_rating: z.enum(GROUP_RATING_RULES).optional(),
      /** The tracker table's columns, in order; default: No. | Status | the item with its details. */
      columns: z.array(trackerColumn(scheme)).min(1).optional(),
      groups: z.array(RecommendationGroup).min(1),
    })
    .superRefine((a, ctx) => {
      uniqueNumbers(a.groups.flatMap((g, gi) => g.items.map((item, i) => ({ number: item.number, path: ['groups', gi, 'items', i] }))), ctx);
      if (!a.numbering?.includes('{reference}')) return;
      // The reference is then the item's number, which every audience sees: it needs one, and cannot be exempt.
      for (const [gi, g] of a.groups.entries()) {
        for (const [i, item] of g.items.entries()) {
          if (item.number !== undefined) continue;
          const path = ['groups', gi, 'items', i];
          if (item.reference === undefined) {
            ctx.addIssue({ code: 'custom', message: 'this item has no reference, which the numbering "' + a.numbering + '" prints as its number', path, params: { csi: 'MISSING_KEY', hint: 'give it a reference, or a number of its own' } });
          } else if (typeof item.reference !== 'string') {
            ctx.addIssue({ code: 'custom', message: 'a reference printed as the item\'s number cannot be exempt on its own', path: [...path, 'reference'], params: { csi: 'NOT_ALLOWED', hint: 'give the item a number of its own, or make the whole item exempt' } });
          }
        }
      }
    });
}

function aspirationsAppendix(scheme: StatusScheme) {
  const Aspiration = z.strictObject({ id: Id, number: ItemNumber.optional(), text: InlineText, status: statusIn(scheme.status, 'status').optional(), ...exempt });
  return z
    .strictObject({
      ...appendixBase,
      kind: z.literal('aspirations'),
      item_name: ItemName.optional(),
      aspirations: z.array(Aspiration).min(1),
    })
    .superRefine((a, ctx) => uniqueNumbers(a.aspirations.map((x, i) => ({ number: x.number, path: ['aspirations', i] })), ctx));
}

export const BODY_TYPES = ['committee', 'board', 'partnership', 'group', 'panel', 'role', 'event'] as const;
const Session = z.enum(['public', 'private']);

const ReportingLine = z.strictObject({
  body: Id,
  what: Text,
  frequency: Text,
  session: Session.optional(),
  ...exempt,
});

const FrameworkBody = z.strictObject({
  id: Id,
  name: Text,
  type: z.enum(BODY_TYPES),
  chair: exemptable(Text).optional(),
  meets: exemptable(Text).optional(),
  session: Session.optional(),
  role: exemptable(InlineText),
  reports_to: z.array(ReportingLine).optional(),
  ...exempt,
});

const FrameworkAppendix = z.strictObject({
  ...appendixBase,
  kind: z.literal('framework'),
  summary: exemptable(BlockText).optional(),
  bodies: z.array(FrameworkBody).min(1),
});

// ---- scorecard (measures) ---------------------------------------------------

/** A figure for a period, or the words "not yet available" where it has not come in. */
const MeasureValue = z.union([
  z.number('a figure is a number in the measure\'s unit (24 for 24%), or "not yet available"'),
  z.literal(NOT_YET_AVAILABLE),
]);

/** Figures by period (`2018-Q1: 24`), in period order. */
const ValuesByPeriod = z.record(z.string(), MeasureValue);
const FiguresByPeriod = z.record(z.string(), z.number('a comparator\'s figure is a number in the measure\'s unit'));

const Measure = z.strictObject({
  id: Id,
  title: Text,
  unit: z.enum(UNITS),
  /** Which way is better: `higher` (timeliness) or `lower` (re-referrals). */
  polarity: z.enum(['higher', 'lower']),
  /** In the measure's unit, as a number: 18 for 18%. None: the measure is reported, not rated. */
  target: z.number('a target is a number in the measure\'s unit: 18 for 18%').optional(),
  /** How far short of target is still amber, in the unit: 3 with a target of 18 (lower is better) makes 18–21 amber. */
  tolerance: z.number().min(0, 'a tolerance is how far from target is amber: 0 or more').optional(),
  owner: exemptable(Text).optional(),
  commentary: exemptable(InlineText).optional(),
  values: ValuesByPeriod.optional(),
  comparators: z.strictObject(Object.fromEntries(COMPARATORS.map((c) => [c, FiguresByPeriod.optional()])) as Record<(typeof COMPARATORS)[number], z.ZodOptional<typeof FiguresByPeriod>>).optional(),
  ...exempt,
});
export type MeasureData = z.infer<typeof Measure>;

/** Periods written right for the scorecard's period type, in order, each figure possible in its unit. */
function checkPeriods(periodType: PeriodType, unit: Unit, byPeriod: Record<string, unknown> | undefined, path: (string | number)[], ctx: z.core.$RefinementCtx) {
  let last: { id: string; index: number } | undefined;
  for (const [key, value] of Object.entries(byPeriod ?? {})) {
    const period = parsePeriod(periodType, key);
    if (typeof period === 'string') {
      ctx.addIssue({ code: 'custom', message: period, path: [...path, key], params: { csi: 'INVALID_FORMAT' } });
      continue;
    }
    if (last && period.index <= last.index) {
      ctx.addIssue({ code: 'custom', message: `${key} comes after ${last.id}: periods go in order, oldest first`, path: [...path, key], params: { csi: 'PERIOD_ORDER' } });
    }
    last = period;
    const wrong = typeof value === 'number' ? unitProblem(unit, value) : undefined;
    if (wrong) ctx.addIssue({ code: 'custom', message: wrong, path: [...path, key], params: { csi: 'INVALID_VALUE' } });
  }
}

function scorecardAppendix(scheme: StatusScheme) {
  return z
    .strictObject({
      ...appendixBase,
      kind: z.literal('scorecard'),
      /** How often figures come: month, quarter or year. */
      period: z.enum(PERIOD_TYPES),
      /** A CSV beside this file with one row per measure and period (docs/how-to/scorecard.md). */
      values_csv: z
        .string()
        .regex(/^[^/\\]+\.csv$/i, 'name a .csv file in the data folder, e.g. "scorecard.csv"')
        .optional(),
      /** The council's status words for red, amber and green, where they are not named so. */
      rag_words: z.strictObject({ red: statusIn(scheme.status, 'red'), amber: statusIn(scheme.status, 'amber'), green: statusIn(scheme.status, 'green') }).optional(),
      item_name: ItemName.optional(),
      measures: z.array(Measure).min(1),
    })
    .superRefine((a, ctx) => {
      for (const [i, m] of a.measures.entries()) {
        checkPeriods(a.period, m.unit, m.values, ['measures', i, 'values'], ctx);
        for (const c of COMPARATORS) checkPeriods(a.period, m.unit, m.comparators?.[c], ['measures', i, 'comparators', c], ctx);
        for (const key of ['target', 'tolerance'] as const) {
          const v = m[key];
          const wrong = v === undefined || (key === 'tolerance' && m.unit !== '%') ? undefined : unitProblem(m.unit, v);
          if (wrong) ctx.addIssue({ code: 'custom', message: wrong, path: ['measures', i, key], params: { csi: 'INVALID_VALUE' } });
        }
        if (m.tolerance !== undefined && m.target === undefined) {
          ctx.addIssue({ code: 'custom', message: 'a tolerance needs a target to be measured from', path: ['measures', i, 'tolerance'], params: { csi: 'INVALID_VALUE' } });
        }
      }
    });
}

export const APPENDIX_KINDS = ['chronology', 'recommendations', 'aspirations', 'framework', 'scorecard'] as const;

function appendixFile(scheme: StatusScheme) {
  return z.discriminatedUnion('kind', [
    ChronologyAppendix,
    recommendationsAppendix(scheme),
    aspirationsAppendix(scheme),
    FrameworkAppendix,
    scorecardAppendix(scheme),
  ]);
}
export type AppendixFileSchema = ReturnType<typeof appendixFile>;

const appendixSchemas = new WeakMap<StatusScheme, AppendixFileSchema>();

/** What an appendix file may hold, with the council's status words. Built once per scheme. */
export function appendixFileSchema(scheme: StatusScheme = DEFAULT_SCHEME): AppendixFileSchema {
  let schema = appendixSchemas.get(scheme);
  if (!schema) appendixSchemas.set(scheme, (schema = appendixFile(scheme)));
  return schema;
}

/** An appendix file, with csi's default status words. */
export const AppendixFile = appendixFileSchema(DEFAULT_SCHEME);
export type AppendixFile = z.infer<AppendixFileSchema>;
export type ChronologyAppendixData = z.infer<typeof ChronologyAppendix>;
export type RecommendationsAppendixData = z.infer<ReturnType<typeof recommendationsAppendix>>;
export type AspirationsAppendixData = z.infer<ReturnType<typeof aspirationsAppendix>>;
export type FrameworkAppendixData = z.infer<typeof FrameworkAppendix>;
export type FrameworkBodyData = z.infer<typeof FrameworkBody>;
export type ScorecardAppendixData = z.infer<ReturnType<typeof scorecardAppendix>>;
