import { z } from 'zod';
import { parsePlanDate, parsePlanDay } from './dates.js';

/** Stable identifiers: the diff, cross-references and history hang on them. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

const Id = z
  .string()
  .regex(ID_PATTERN, 'an id uses lower-case letters, digits and hyphens, e.g. "ofsted-2012-r01"');

/** Text that may hold Markdown; it must say something. (`pattern` tells editors, via the JSON Schema.) */
const Text = z.string().refine((s) => s.trim().length > 0, 'must not be empty').meta({ pattern: '\\S' });

/** Where a recommendation or action stands. Counts in the report are computed from this. */
export const STATUSES = ['complete', 'on-track', 'at-risk', 'not-started'] as const;
export const Status = z.enum(STATUSES);
export type Status = z.infer<typeof Status>;

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
  email: exemptable(z.email()).optional(),
  ...exempt,
});

const Link = z.strictObject({
  title: Text,
  url: z.url({ protocol: /^https?$/, error: 'must be a web address starting https:// or http://' }),
  ...exempt,
});

const sectionBase = { id: Id, title: Text, ...exempt };

/** A section with no `kind` is narrative: numbered paragraphs of Markdown. */
const NarrativeSection = z.strictObject({
  ...sectionBase,
  kind: z.literal('narrative').default('narrative'),
  paragraphs: z.array(exemptable(Text)).min(1),
  witnesses: z.array(Witness).min(1).optional(),
});

const AppendicesSection = z.strictObject({ ...sectionBase, kind: z.literal('appendices') });
const GlossarySection = z.strictObject({ ...sectionBase, kind: z.literal('glossary') });
const LinksSection = z.strictObject({ ...sectionBase, kind: z.literal('links'), links: z.array(Link).min(1) });
const ContactsSection = z.strictObject({
  ...sectionBase,
  kind: z.literal('contacts'),
  contacts: z.array(Contact).min(1),
});

export const SECTION_KINDS = ['narrative', 'appendices', 'links', 'glossary', 'contacts'] as const;

const Section = z.discriminatedUnion('kind', [NarrativeSection, AppendicesSection, LinksSection, GlossarySection, ContactsSection]);

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

const ChronologyEntry = z.strictObject({ id: Id, date: PlanDateText, event: Text, ...exempt });

const ChronologyAppendix = z.strictObject({
  ...appendixBase,
  kind: z.literal('chronology'),
  entries: z.array(ChronologyEntry).min(1),
});

/** A Notice paragraph reference, kept as written ("Para 5.3", "para 6.1"). */
const NoticeReference = z
  .string()
  .regex(/^[Pp]ara \d+(\.\d+)*$/, 'a reference reads like "Para 5.3"');

const Recommendation = z.strictObject({
  id: Id,
  text: Text,
  status: Status,
  reference: exemptable(NoticeReference).optional(),
  owner: exemptable(Text).optional(),
  ...exempt,
});

const RecommendationGroup = z.strictObject({
  id: Id,
  title: Text.optional(),
  items: z.array(Recommendation).min(1),
  ...exempt,
});

const RecommendationsAppendix = z.strictObject({
  ...appendixBase,
  kind: z.literal('recommendations'),
  groups: z.array(RecommendationGroup).min(1),
});

const Aspiration = z.strictObject({ id: Id, text: Text, status: Status.optional(), ...exempt });

const AspirationsAppendix = z.strictObject({
  ...appendixBase,
  kind: z.literal('aspirations'),
  aspirations: z.array(Aspiration).min(1),
});

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
  role: exemptable(Text),
  reports_to: z.array(ReportingLine).optional(),
  ...exempt,
});

const FrameworkAppendix = z.strictObject({
  ...appendixBase,
  kind: z.literal('framework'),
  summary: exemptable(Text).optional(),
  bodies: z.array(FrameworkBody).min(1),
});

export const APPENDIX_KINDS = ['chronology', 'recommendations', 'aspirations', 'framework'] as const;

export const AppendixFile = z.discriminatedUnion('kind', [
  ChronologyAppendix,
  RecommendationsAppendix,
  AspirationsAppendix,
  FrameworkAppendix,
]);
export type AppendixFile = z.infer<typeof AppendixFile>;
export type ChronologyAppendixData = z.infer<typeof ChronologyAppendix>;
export type RecommendationsAppendixData = z.infer<typeof RecommendationsAppendix>;
export type AspirationsAppendixData = z.infer<typeof AspirationsAppendix>;
export type FrameworkAppendixData = z.infer<typeof FrameworkAppendix>;
export type FrameworkBodyData = z.infer<typeof FrameworkBody>;
