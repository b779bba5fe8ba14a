import { formatLongDate, formatPlainDate, formatPlanDate, isoDay } from '../data/dates.js';
import type { ExemptableText, Status } from '../data/schema.js';
import type { StatusScheme, Vocabulary } from '../data/status.js';
import { exemptNotice, fieldExemption, fieldText } from '../model/exempt.js';
import { AUDIENCES } from '../model/exempt.js';
import type { Audience, Exemption } from '../model/exempt.js';
import type { Appendix, ItemName, NumberedParagraph, ReportModel, Section, StatusTally, TrackerColumn } from '../model/report.js';
import { WITHHELD_TITLE } from '../model/withhold.js';
import type { AudienceModel } from '../model/withhold.js';
import { progressChart } from './charts.js';
import { scorecardView } from './scorecard.js';
import type { ProgressRow } from './charts.js';
import { escapeXml } from '../text/escape.js';
import { frameworkDiagram } from './diagram.js';
import Handlebars from 'handlebars';
import { markFirstUseInView } from './abbreviations.js';
import { markdownBlock, markdownInline } from '../text/markdown.js';
import type { AppendixLookup } from '../text/markdown.js';
import { pageNumberHtml } from '../text/page-number.js';
import { countOf, paragraphNumber } from '../model/references.js';
import { changesAppendixView } from '../diff/appendix.js';
import type { WithChanges } from '../diff/appendix.js';
import { progressSeries } from '../diff/progress-since.js';
import type { ProgressHistory } from '../diff/progress-since.js';
import { progressSinceView } from './progress-since.js';

/**
 * What a view is built from: the model as its audience may see it (the withhold stage),
 * with any changes appendix, and the plan at each meeting for a report with a
 * "Progress since …" section (read for the same audience).
 */
export type ViewModel = WithChanges<AudienceModel> & { progressHistory?: ProgressHistory | undefined };
import { describeRatings, describeTally, itemDetails, itemRatings, statusCell } from './statuses.js';
import { trackerHeaders, trackerRow, withheldRow } from './tracker.js';

export { describeTally };

/** One heading as the PDF outline should read it, in document order. */
export interface OutlineEntry {
  level: number;
  text: string;
  /** The heading's element id, to find its page. */
  anchor: string;
}

export const sectionAnchor = (id: string) => `section-${id}`;
export const appendixAnchor = (key: string) => `appendix-${key}`;

/** "priority" → "Priority", for a column heading. */
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A long URL that wraps only after its slashes, never inside a word. */
export function breakableUrl(url: string): string {
  return url
    .split(/(?<=\/)/)
    .map((part) => `<span class="nowrap">${escapeXml(part)}</span>`)
    .join('<wbr>');
}

/** `tel:` and the number's digits (and a leading +), so "01226 775794" dials from a phone. */
export function telHref(phone: string | undefined): string | undefined {
  return phone === undefined ? undefined : `tel:${phone.replace(/[^\d+]/g, '')}`;
}

// ---- exempt information (Schedule 12A) -------------------------------------

/**
 * How exempt pieces read for one audience. A public build (whose model the
 * withhold stage has already emptied) puts the notice where each exempt piece
 * was; an exempt build shows the piece with the notice beside it.
 */
class Exempting {
  constructor(readonly audience: Audience) {}

  /** True when this piece must be left out of this build. */
  withholds(e: Exemption | undefined): e is Exemption {
    return e !== undefined && this.audience === 'public';
  }

  /** Block HTML: the notice in its place, the piece marked, or the piece. */
  block(e: Exemption | undefined, render: () => string): string {
    if (!e) return render();
    const notice = `<p class="exempt-notice">${escapeXml(exemptNotice(e))}</p>`;
    return this.audience === 'public' ? notice : `${notice}\n${render()}`;
  }

  /** Inline HTML, as `block`. */
  inline(e: Exemption | undefined, render: () => string): string {
    if (!e) return render();
    const notice = `<span class="exempt-notice">${escapeXml(exemptNotice(e))}</span>`;
    return this.audience === 'public' ? notice : `${render()} ${notice}`;
  }

  /** Plain text (escaped by the templates), as `block`. */
  text(e: Exemption | undefined, value: string): string {
    if (!e) return value;
    return this.audience === 'public' ? exemptNotice(e) : `${value} (${exemptNotice(e)})`;
  }

  /** An optional field that may be exempt on its own. */
  field(field: ExemptableText | undefined): string | undefined {
    const text = fieldText(field);
    return text === undefined ? undefined : this.text(fieldExemption(field), text);
  }

}

/** A status summary, with any ratings; a public one counts only what it shows, and says so. */
function summary(t: StatusTally, noun: { one: string; many: string }, vocabulary: Vocabulary, ratings = ''): string {
  return [describeTally(t, noun, vocabulary), ratings, t.withheld ? 'Items exempt from publication are not counted.' : ''].filter(Boolean).join(' ');
}

interface AppendixHead {
  number: number;
  title: string;
  heading: string;
  anchor: string;
}

/** A heading as the contents and bookmarks read it: "1.0 Purpose", "1. Purpose" or "Purpose". */
const headingText = (number: string, title: string) => (number ? `${number} ${title}` : title);

/** A section's numbered paragraphs, each as HTML with any exempt notice. */
function paragraphsView(list: NumberedParagraph[], lookup: AppendixLookup, ex: Exempting) {
  return list.map((p) => ({
    number: p.number,
    // "para-2.3" for a numbered paragraph, so a link can point at it; "(1)" is a recommendation's own number.
    anchor: /^\d/.test(p.number) ? `para-${p.number}` : undefined,
    html: ex.block(p.exempt, () => markdownBlock(p.text, lookup)),
  }));
}

/** One background paper: its title and breakable URL, or the notice where it is withheld. */
function linkView(l: Extract<Section, { kind: 'links' }>['links'][number], ex: Exempting) {
  return ex.withholds(l.exempt)
    ? { title: exemptNotice(l.exempt), url: undefined, urlHtml: '' }
    : { title: ex.text(l.exempt, l.title), url: l.url, urlHtml: breakableUrl(l.url) };
}

/** One contact officer: who they are, and the phone and e-mail address this build may show. */
function contactView(c: Extract<Section, { kind: 'contacts' }>['contacts'][number], ex: Exempting) {
  if (ex.withholds(c.exempt)) return { text: exemptNotice(c.exempt) };
  const phone = fieldExemption(c.phone);
  const email = fieldExemption(c.email);
  // A public build says where a withheld phone or e-mail address was; an exempt one marks it.
  const notes = [
    phone ? `Tel: ${exemptNotice(phone)}` : undefined,
    email ? `Email: ${exemptNotice(email)}` : undefined,
  ].filter(Boolean);
  const who = ex.text(c.exempt, [c.name, c.role].join(', '));
  return {
    text: ex.audience === 'public' ? [who, ...notes].join(', ') : notes.length ? `${who} (${notes.join('; ')})` : who,
    phone: ex.withholds(phone) ? undefined : fieldText(c.phone),
    // A tel: URI has no spaces (RFC 3966); the number reads as written.
    phoneHref: ex.withholds(phone) ? undefined : telHref(fieldText(c.phone)),
    email: ex.withholds(email) ? undefined : fieldText(c.email),
  };
}

/** "Name, role, organisation" for one witness, or the notice where they are withheld. */
function witnessLine(w: NonNullable<Extract<Section, { kind: 'narrative' }>['witnesses']>[number], ex: Exempting): string {
  return ex.withholds(w.exempt) ? exemptNotice(w.exempt) : ex.text(w.exempt, [w.name, w.role, ex.field(w.organisation)].filter(Boolean).join(', '));
}

/** The scorecard appendix a section shows in place, pointing back to it; none where it is missing or withheld. */
function placedScorecardView(key: string, anchor: string, heads: AppendixHead[], model: ViewModel, lookup: AppendixLookup, ex: Exempting) {
  const placed = model.appendices.find((a) => a.key === key);
  const head = heads.find((h) => h.anchor === appendixAnchor(key));
  if (placed?.kind !== 'scorecard' || !head || ex.withholds(placed.exempt)) return undefined;
  const view = scorecardView(placed, `${anchor}-scorecard`, ex, model.statuses.status, (text) => markdownInline(text, lookup));
  return { ...view, appendix: `Appendix ${head.number}`, href: `#${head.anchor}` };
}

/** One section as the templates show it: its paragraphs, and what its kind adds. */
function sectionView(
  section: Section,
  heads: AppendixHead[],
  model: ViewModel,
  lookup: AppendixLookup,
  ex: Exempting,
  progress: ProgressView | undefined,
) {
  const number = section.label;
  if (ex.withholds(section.exempt)) {
    const id = section.id; // a stand-in
    return { id, anchor: sectionAnchor(id), number, title: WITHHELD_TITLE, heading: headingText(number, WITHHELD_TITLE), notice: exemptNotice(section.exempt), paragraphs: [] };
  }
  const paragraphs = (list: NumberedParagraph[]) => paragraphsView(list, lookup, ex);
  const anchor = sectionAnchor(section.id);
  const base = {
    id: section.id,
    anchor,
    number,
    title: section.title,
    heading: headingText(number, section.title),
    notice: section.exempt ? exemptNotice(section.exempt) : undefined,
    paragraphs: paragraphs(section.numberedParagraphs),
  };
  switch (section.kind) {
    case 'recommendations':
      return { ...base, recommendations: true, leadIn: section.lead_in };
    case 'implications':
      return {
        ...base,
        subsections: section.subsections.map((sub, i) => ({
          anchor: `${anchor}-${i + 1}`,
          title: ex.withholds(sub.exempt) ? WITHHELD_TITLE : sub.title,
          notice: sub.exempt ? exemptNotice(sub.exempt) : undefined,
          paragraphs: ex.withholds(sub.exempt) ? [] : paragraphs(sub.paragraphs),
        })),
      };
    case 'progress':
      return { ...base, progress };
    case 'trend':
      return { ...base, trend: trendView(section, anchor, model) };
    case 'scorecard': {
      const scorecard = placedScorecardView(section.scorecard, anchor, heads, model, lookup, ex);
      return scorecard ? { ...base, scorecard } : base;
    }
    case 'narrative':
      return {
        ...base,
        witnesses: section.witnesses?.map((w) => witnessLine(w, ex)),
      };
    case 'appendices':
      return {
        ...base,
        appendixList: heads.map((a) => ({ number: a.number, title: a.title, href: `#${a.anchor}` })),
      };
    case 'links':
      return {
        ...base,
        links: section.links.map((l) => linkView(l, ex)),
      };
    case 'glossary':
      return { ...base, glossary: model.glossary };
    case 'contacts':
      return {
        ...base,
        contacts: section.contacts.map((c) => contactView(c, ex)),
      };
  }
}

function statusView(vocabulary: Vocabulary, status: Status | undefined) {
  const cell = statusCell(vocabulary, status);
  return cell ? { status, statusLabel: cell.label, statusClass: cell.className } : {};
}

function appendixView(appendix: ViewModel['appendices'][number], head: AppendixHead, lookup: AppendixLookup, ex: Exempting, scheme: StatusScheme) {
  if (ex.withholds(appendix.exempt)) {
    return { key: appendix.key, ...head, partial: '', withheld: true, notice: exemptNotice(appendix.exempt) };
  }
  const base = {
    key: appendix.key,
    ...head,
    partial: `appendix-${appendix.kind}`,
    notice: appendix.exempt ? exemptNotice(appendix.exempt) : undefined,
  };
  switch (appendix.kind) {
    case 'chronology':
      return {
        ...base,
        caption: `${appendix.heading}: events by month`,
        dates: appendix.dates.map((d) => ({
          label: formatPlanDate(d.date),
          iso: isoDay(d.date.start),
          events: d.entries.map((e) => ({
            id: e.id,
            html: ex.inline(e.exempt, () => markdownInline(e.event, lookup)),
          })),
          single: d.entries.length === 1,
        })),
      };
    case 'recommendations':
      return { ...base, ...recommendationsView(appendix, lookup, ex, scheme) };
    case 'aspirations':
      return { ...base, ...aspirationsView(appendix, lookup, ex, scheme) };
    case 'framework':
      return { ...base, ...frameworkView(appendix, base.anchor, lookup, ex) };
    case 'scorecard':
      return { ...base, ...scorecardView(appendix, base.anchor, ex, scheme.status, (text) => markdownInline(text, lookup)) };
    case 'changes':
      return { ...base, ...changesAppendixView(appendix.change, base.anchor, lookup) };
  }
}

type AppendixOf<K extends string> = Extract<ViewModel['appendices'][number], { kind: K }>;

/** True when any appendix asks for the tracker's shape: chosen columns, or areas with a reference, lead or rating. */
export function usesTrackerShape(model: Pick<ViewModel, 'appendices'>): boolean {
  return model.appendices.some(
    (a) => a.kind === 'recommendations' && (a.columns !== undefined || a.groups.some((g) => g.reference !== undefined || g.lead !== undefined || g.rating !== undefined)),
  );
}

/** A group's heading: "AFI 1 – Title" where it has a reference, else "2. Title" where groups are numbered. */
function groupHeading(g: { reference?: string | undefined; title?: string | undefined }, number: number | undefined): string | undefined {
  if (g.reference !== undefined) return g.title === undefined ? g.reference : `${g.reference} – ${g.title}`;
  return g.title === undefined ? undefined : `${number ? `${number}. ` : ''}${g.title}`;
}

/** The label of the column showing `show`, if the tracker has one. */
const columnLabel = (columns: readonly TrackerColumn[] | undefined, show: string) => columns?.find((c) => c.show === show)?.label;

/** "2 overdue." after an appendix's counts, when any item is. */
const overdueText = (n: number) => (n > 0 ? `${n} overdue.` : '');

type RecommendationGroup = AppendixOf<'recommendations'>['groups'][number];
type RecommendationItem = RecommendationGroup['items'][number];

/** A recommendations appendix: its summary, and each group with its items, statuses and ratings. */
function recommendationsView(appendix: AppendixOf<'recommendations'>, lookup: AppendixLookup, ex: Exempting, scheme: StatusScheme) {
  return {
    // Each group heads its own column (recommendationGroupView); this one stays for a theme's partials written before.
    column: capitalise(appendix.itemName.one),
    // The overdue count follows the counts by status, before any note of what a public build leaves out.
    summary: summary(
      appendix.tally,
      appendix.itemName,
      scheme.status,
      [describeRatings(appendix.ratingTallies, scheme, appendix.tally.total), overdueText(appendix.overdue)].filter(Boolean).join(' '),
    ),
    withRatings: scheme.ratings.length > 0,
    groups: appendix.groups.map((g) => recommendationGroupView(g, appendix, lookup, ex, scheme)),
  };
}

/** One group of recommendations: its heading, lead and rating, summary, tracker rows and items. */
function recommendationGroupView(g: RecommendationGroup, appendix: AppendixOf<'recommendations'>, lookup: AppendixLookup, ex: Exempting, scheme: StatusScheme) {
  const columns = appendix.columns;
  const groupCount = appendix.groups.length;
  const number = groupCount > 1 && g.reference === undefined ? g.number : undefined;
  const heading = groupHeading(g, number);
  const tracker = columns && { headers: trackerHeaders(columns) };
  if (ex.withholds(g.exempt)) {
    const notice = `<span class="exempt-notice">${escapeXml(exemptNotice(g.exempt))}</span>`;
    return {
      id: g.id,
      number,
      title: g.title,
      heading: g.title === undefined ? undefined : `${number ? `${number}. ` : ''}${WITHHELD_TITLE}`,
      caption: WITHHELD_TITLE,
      // A withheld group's own noun is not shown: its column is headed by the appendix's.
      column: capitalise(appendix.itemName.one),
      summary: '',
      items: [{ id: `${g.id}-notice`, number: '', html: notice }],
      ...(tracker && { tracker: { ...tracker, rows: [{ id: `${g.id}-notice`, cells: withheldRow('', [{ show: 'notice', label: '' }], notice) }] } }),
    };
  }
  return {
    id: g.id,
    number,
    title: g.title,
    heading,
    // The items' column is headed by the group's own noun, where it names its items.
    column: capitalise((g.itemName ?? appendix.itemName).one),
    meta: groupMeta(g, columns, scheme),
    caption: (g.reference === undefined ? g.title : heading) ?? appendix.heading,
    summary:
      groupCount > 1
        ? summary(g.tally, { one: 'item in this group', many: 'in this group' }, scheme.status, describeRatings(g.ratingTallies, scheme, g.tally.total))
        : '',
    ...(columns && tracker && {
      tracker: {
        ...tracker,
        rows: g.items.map((item) => trackerRowView(item, g, columns, lookup, ex, scheme)),
      },
    }),
    items: g.items.map((item) => recommendationItemView(item, g, lookup, ex, scheme)),
  };
}

/** A group's lead and overall rating, under the tracker's own column labels; none when it has neither. */
function groupMeta(g: RecommendationGroup, columns: readonly TrackerColumn[] | undefined, scheme: StatusScheme) {
  const rating = statusCell(scheme.status, g.rating);
  return g.lead !== undefined || rating
    ? {
        lead: g.lead,
        leadLabel: columnLabel(columns, 'owner') ?? 'Lead',
        rating: rating && { label: rating.label, className: rating.className, heading: `Overall ${columnLabel(columns, 'status') ?? 'status'}` },
      }
    : undefined;
}

/** One item as a row of the tracker's chosen columns, or a withheld row. */
function trackerRowView(
  item: RecommendationItem,
  g: RecommendationGroup,
  columns: readonly TrackerColumn[],
  lookup: AppendixLookup,
  ex: Exempting,
  scheme: StatusScheme,
) {
  return ex.withholds(item.exempt)
    ? { id: item.id, cells: withheldRow(item.number, columns, ex.inline(item.exempt, () => '')) }
    : {
        id: item.id,
        overdue: item.overdue,
        cells: trackerRow(item, columns, scheme, {
          text: () => ex.inline(item.exempt ?? g.exempt, () => markdownInline(item.text, lookup)),
          plain: (field, value) => ex.text(item.exemptFields?.[field], value),
          block: (field, value) => ex.block(item.exemptFields?.[field], () => markdownBlock(value, lookup)),
        }),
      };
}

/** One item as a list entry: its text, reference, owner, details, ratings and status. */
function recommendationItemView(item: RecommendationItem, g: RecommendationGroup, lookup: AppendixLookup, ex: Exempting, scheme: StatusScheme) {
  return ex.withholds(item.exempt)
    ? { id: item.id, number: item.number, html: ex.inline(item.exempt, () => '') }
    : {
        id: item.id,
        number: item.number,
        // In an exempt build, every item of an exempt group carries the group's notice.
        html: ex.inline(item.exempt ?? g.exempt, () => markdownInline(item.text, lookup)),
        reference: item.reference === undefined ? undefined : ex.text(item.exemptFields?.reference, item.reference),
        owner: item.owner === undefined ? undefined : ex.text(item.exemptFields?.owner, item.owner),
        details: itemDetails(item, (field, text) => ex.inline(item.exemptFields?.[field], () => markdownInline(text, lookup))),
        ratings: itemRatings(scheme, item),
        ...statusView(scheme.status, item.status),
      };
}

/** An appendix of aspirations (or the plan's own name for them), each with its status if it has one. */
function aspirationsView(appendix: AppendixOf<'aspirations'>, lookup: AppendixLookup, ex: Exempting, scheme: StatusScheme) {
  const hasStatus = appendix.tally.total > 0;
  const { one, many } = appendix.itemName;
  // Counted are the items with a status; where some have none, the summary says what it counts.
  const everyOne = appendix.aspirations.every((a) => a.status !== undefined || a.exempt !== undefined);
  const counted = everyOne ? appendix.itemName : { one: `${one} with a status`, many: `${many} with a status` };
  return {
    column: capitalise(one),
    summary: hasStatus ? summary(appendix.tally, counted, scheme.status) : '',
    hasStatus,
    aspirations: appendix.aspirations.map((a) =>
      ex.withholds(a.exempt)
        ? { id: a.id, number: a.number, html: ex.inline(a.exempt, () => '') }
        : { id: a.id, number: a.number, html: ex.inline(a.exempt, () => markdownInline(a.text, lookup)), ...statusView(scheme.status, a.status) },
    ),
  };
}

/** A framework appendix: its summary, the diagram, and each body with its reporting lines. */
function frameworkView(appendix: AppendixOf<'framework'>, anchor: string, lookup: AppendixLookup, ex: Exempting) {
  const withheldBody = new Map(appendix.bodies.filter((b) => ex.withholds(b.exempt)).map((b) => [b.id, b.exempt!]));
  // A line is left out with its own exemption, or with that of the body it reports to.
  const lineExemption = (l: (typeof appendix.lines)[number]) => (ex.withholds(l.exempt) ? l.exempt : withheldBody.get(l.to));
  const bodies = appendix.bodies.filter((b) => !withheldBody.has(b.id));
  const lines = appendix.lines.filter((l) => !withheldBody.has(l.from) && !lineExemption(l));
  const name = new Map(bodies.map((b) => [b.id, ex.text(b.exempt, b.name)]));
  return {
    summaryHtml: appendix.summary !== undefined ? ex.block(appendix.exemptFields?.summary, () => markdownBlock(appendix.summary!, lookup)) : '',
    diagram: frameworkDiagram(
      bodies,
      lines,
      { title: `${anchor}-diagram-title`, desc: `${anchor}-diagram-desc` },
      `${appendix.heading}: reporting lines`,
    ),
    bodies: appendix.bodies.map((b) => {
      const withheld = withheldBody.get(b.id);
      if (withheld) return { id: b.id, notice: exemptNotice(withheld) };
      return {
        id: b.id,
        name: name.get(b.id),
        chair: ex.field(b.chair),
        meets: [ex.field(b.meets), b.session ? `in ${b.session} session` : undefined].filter(Boolean).join(', '),
        roleHtml: ex.inline(fieldExemption(b.role), () => markdownInline(fieldText(b.role), lookup)),
        reportsTo: appendix.lines
          .filter((l) => l.from === b.id)
          .map((l) => {
            const left = lineExemption(l);
            if (left) return { notice: exemptNotice(left) };
            return {
              body: name.get(l.to),
              what: ex.text(l.exempt, l.what),
              frequency: l.frequency + (l.session ? `, in ${l.session} session` : ''),
            };
          }),
      };
    }),
  };
}

/** "Appendix 2", "Appendices 2 and 3", "Appendices 2, 3 and 4". */
function appendixNumbers(numbers: number[]): string {
  if (numbers.length === 1) return `Appendix ${numbers[0]}`;
  return `Appendices ${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`;
}

/**
 * A progress section's chart and table: each appendix's items counted by status,
 * from the data. Only appendices whose items have statuses, and only the statuses
 * some item has, are shown. Undefined when no item has a status.
 */
function progressView(model: ViewModel, anchor: string) {
  const vocabulary = model.statuses.status;
  const tracked = model.appendices.filter(
    (a): a is Extract<Appendix, { tally: StatusTally }> => 'tally' in a && a.tally.total > 0,
  );
  if (tracked.length === 0) return undefined;
  const statuses = vocabulary.filter((w) => tracked.some((a) => (a.tally.counts[w.id] ?? 0) > 0));
  const rows = tracked.map((a) => ({
    anchor: appendixAnchor(a.key),
    label: `Appendix ${a.number}`,
    title: a.title,
    counts: a.tally.counts,
    total: a.tally.total,
    cells: statuses.map((w) => a.tally.counts[w.id] ?? 0),
  }));
  // Named for what the items are, where every appendix calls them the same.
  const names = new Set(tracked.map((a) => a.itemName.many));
  const what = names.size === 1 ? capitalise([...names][0]!) : 'Items';
  const caption = `${what} in ${appendixNumbers(tracked.map((a) => a.number))} by status`;
  const withheld = tracked.some((a) => a.tally.withheld);
  return {
    anchor,
    caption,
    note: withheld ? 'Items exempt from publication are not counted.' : '',
    statusLabels: statuses.map((w) => w.label),
    rows,
    chart: progressChart(
      rows.map((r): ProgressRow => ({ label: r.label, counts: r.counts, total: r.total })),
      { title: `${anchor}-chart-title`, desc: `${anchor}-chart-desc` },
      caption,
      statuses,
    ),
  };
}
type ProgressView = NonNullable<ReturnType<typeof progressView>>;

/** A "Progress since …" section's sentence, chart and table, from the plan's history read for this audience. */
function trendView(section: Extract<Section, { kind: 'trend' }>, anchor: string, model: ViewModel) {
  // The pipeline reads the history for every report with such a section: its absence is a bug, never an empty chart.
  if (!model.progressHistory) throw new Error('a section of kind: trend needs the plan\'s history (pipeline.ts reads it)');
  const series = progressSeries(model.progressHistory, section);
  const inScope = model.appendices.filter(
    (a): a is Extract<Appendix, { tally: StatusTally }> => 'tally' in a && (section.appendix === undefined ? a.tally.total > 0 : a.key === section.appendix),
  );
  const rating = section.by && section.by !== 'status' ? model.statuses.ratings.find((r) => r.key === section.by)?.label : undefined;
  return progressSinceView(series, `${anchor}-trend`, {
    appendices: inScope.length > 0 ? appendixNumbers(inScope.map((a) => a.number)) : 'the plan',
    rating,
    withheld: inScope.some((a) => a.tally.withheld),
  });
}

/** "4.2", "4.2 and 9.3", "4.2, 6.1 and 9.3". */
const listed = (words: string[]) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);

/**
 * The front sheet's "Public or exempt" line, worked out from what this build shows as
 * exempt: "Public", or "Public, except paragraph 9.3 and Appendix 3 (exempt under paragraph 3
 * of Schedule 12A …)". Read from the audience's model, so a public build names only the
 * places where its own pages print an exempt notice, never anything withheld whole.
 */
export function exemptLine(model: ViewModel): string {
  const paragraphs: string[] = [];
  const sections: string[] = [];
  const appendices: string[] = [];
  const under = new Set<number>();
  for (const s of model.sections) {
    if (s.exempt) {
      sections.push(s.label ? `section ${s.label}` : `“${s.title}”`);
      under.add(s.exempt.paragraph);
      continue;
    }
    for (const p of [...s.numberedParagraphs, ...s.subsections.flatMap((sub) => (sub.exempt ? [] : sub.paragraphs))]) {
      if (p.exempt && p.number) {
        paragraphs.push(p.number);
        under.add(p.exempt.paragraph);
      }
    }
    for (const sub of s.subsections) {
      if (sub.exempt) {
        sections.push(`“${sub.title}”`);
        under.add(sub.exempt.paragraph);
      }
    }
  }
  for (const a of model.appendices) {
    const exempt = a.exempt ?? ('groups' in a ? a.groups.find((g) => g.exempt)?.exempt : undefined);
    if (exempt) {
      appendices.push(`Appendix ${a.number}`);
      under.add(exempt.paragraph);
    }
  }
  const parts = [
    paragraphs.length ? `${paragraphs.length === 1 ? 'paragraph' : 'paragraphs'} ${listed(paragraphs)}` : '',
    ...sections,
    ...appendices,
  ].filter(Boolean);
  if (parts.length === 0) return 'Public';
  const numbers = [...under].sort((a, b) => a - b).map(String);
  return `Public, except ${listed(parts)} (exempt under ${numbers.length === 1 ? 'paragraph' : 'paragraphs'} ${listed(numbers)} of Schedule 12A to the Local Government Act 1972)`;
}

/** The front sheet's lines, in the order a committee report prints them; undefined when the data has none. */
function frontSheetView(model: ViewModel) {
  const sheet = model.frontSheet;
  if (!sheet) return undefined;
  const keyDecision = typeof sheet.key_decision === 'boolean' ? (sheet.key_decision ? 'Yes' : 'No') : sheet.key_decision;
  const lines = [
    { label: 'Report of', value: sheet.report_of },
    { label: 'Wards affected', value: Array.isArray(sheet.wards) ? sheet.wards.join(', ') : sheet.wards },
    { label: 'Portfolio', value: sheet.portfolio },
    { label: 'Key decision', value: keyDecision },
    { label: sheet.exempt_line_label ?? 'Public or exempt', value: sheet.exempt_line ? exemptLine(model) : sheet.publication },
    ...(sheet.fields ?? []),
  ].filter((line): line is { label: string; value: string } => line.value !== undefined);
  return { item: sheet.item === undefined ? undefined : String(sheet.item), lines };
}

/** Options for the view: the stylesheet, who the build is for and where it came from. */
export interface ViewOptions {
  css: string;
  generator: string;
  /** Where the report came from: plan version, commit, data hash. Always in the HTML's metadata. */
  provenance?: string;
  /** Print `provenance` in the page footer of a final report too (a draft's footer always has it). */
  provenanceOnPages?: boolean | undefined;
  /**
   * Print only: the printed page of each heading, by anchor; 0 for a page not known yet
   * (the number is set later: text/page-number.ts). Without it, no page numbers are shown.
   */
  pageOf?: (anchor: string) => number | undefined;
}

/** The running header's type size at most, and the characters of one of its pieces that fit a line at that size. */
const HEADER_POINTS = 9;
// 174 mm of A4 between the margins is 493 pt; Liberation Sans averages about 0.55 em a
// character in names, so some 99 characters fit at 9 pt: 96 leaves room for capitals.
const HEADER_CHARACTERS = 96;
const HEADER_MIN_POINTS = 6;

/**
 * The type size for the running header: 9 pt, or smaller when one of its pieces (the
 * council, or the committee with the date) would not fit on a line by itself, so that
 * no name is ever broken across lines or cut off. Pure.
 */
export function runningHeaderFontSize(pieces: readonly string[]): string {
  const longest = Math.max(0, ...pieces.map((p) => [...p].length));
  if (longest <= HEADER_CHARACTERS) return `${HEADER_POINTS}pt`;
  const points = Math.max(HEADER_MIN_POINTS, Math.floor((HEADER_POINTS * HEADER_CHARACTERS * 10) / longest) / 10);
  return `${points}pt`;
}

/** The mark on every printed page: "DRAFT", "NOT FOR PUBLICATION", both or none. */
export function pageMark(status: ReportModel['status'], audience: Audience): string {
  return [status === 'draft' ? 'DRAFT' : undefined, audience === 'exempt' ? 'NOT FOR PUBLICATION' : undefined]
    .filter(Boolean)
    .join(' · ');
}

/** What a link to an appendix, a paragraph or a count finds: its number, heading, anchor and page. */
function appendixLookup(model: ViewModel, heads: Map<string, AppendixHead>, pageOf: (anchor: string) => number | undefined): AppendixLookup {
  return Object.assign(
    (key: string) => {
      const head = heads.get(key);
      return head ? { ...head, page: pageOf(head.anchor) } : undefined;
    },
    { paragraph: (section: string, n: number) => paragraphNumber(model, section, n), count: (what: string, status: string | undefined) => countOf(model, what, status) },
  );
}

/** The PDF's bookmarks: the title, contents, each section with its subsections, each appendix with its groups. */
function outlineOf(model: ViewModel, sections: ReturnType<typeof sectionView>[], appendices: ReturnType<typeof appendixView>[]): OutlineEntry[] {
  return [
    { level: 1, text: model.title, anchor: 'top' },
    ...(model.contents ? [{ level: 2, text: 'Contents', anchor: 'contents-heading' }] : []),
    ...sections.flatMap((s) => [
      { level: 2, text: s.heading, anchor: s.anchor },
      ...('subsections' in s ? s.subsections.map((sub) => ({ level: 3, text: sub.title, anchor: sub.anchor })) : []),
    ]),
    ...appendices.flatMap((a) => [
      { level: 2, text: `Appendix ${a.number} – ${a.heading}`, anchor: a.anchor },
      ...('groups' in a
        ? a.groups
            .flatMap((g) => {
              // A changes appendix's groups have a title only; a recommendations group's heading is worked out.
              const text = 'heading' in g ? g.heading : g.title;
              return text ? [{ level: 3, text, anchor: g.id }] : [];
            })
        : []),
    ]),
  ];
}

/**
 * Everything the templates need, with Markdown already turned into sanitised HTML.
 * Built from the model the withhold stage made for its audience: for the public, one
 * with every exempt piece left out, so nothing below can show one. Pure.
 */
export function buildView(model: ViewModel, options: ViewOptions) {
  const audience = model.audience;
  if (!AUDIENCES.includes(audience)) throw new Error('buildView needs the model the withhold stage made (model/withhold.ts)');
  const ex = new Exempting(audience);
  const heads = new Map<string, AppendixHead>(
    model.appendices.map((a) => [a.key, { number: a.number, title: a.title, heading: a.heading, anchor: appendixAnchor(a.key) }]),
  );
  const pageOf = (anchor: string) => options.pageOf?.(anchor);
  /** The page number a contents entry shows (print only), marked for the printer (text/page-number.ts). */
  const pageShown = (anchor: string) => (pageOf(anchor) !== undefined ? new Handlebars.SafeString(pageNumberHtml(anchor, pageOf(anchor))) : undefined);
  const lookup = appendixLookup(model, heads, pageOf);
  const sections = model.sections.map((s) =>
    sectionView(s, [...heads.values()], model, lookup, ex, s.kind === 'progress' ? progressView(model, `${sectionAnchor(s.id)}-progress`) : undefined),
  );
  const appendices = model.appendices.map((a) => appendixView(a, heads.get(a.key)!, lookup, ex, model.statuses));
  markFirstUseInView([sections, appendices], model.glossary);
  const meetingDate = {
    iso: isoDay(model.meetingDate),
    long: formatLongDate(model.meetingDate),
    plain: formatPlainDate(model.meetingDate),
  };
  const notForPublication = audience === 'exempt';
  const subject = `Report to the ${model.committee}, ${meetingDate.plain}${notForPublication ? ' (not for publication: contains exempt information)' : ''}`;

  const outline = outlineOf(model, sections, appendices);

  return {
    lang: model.language,
    keywords: model.keywords,
    signOff: model.signOff ? { iso: isoDay(model.signOff), long: formatLongDate(model.signOff) } : undefined,
    title: model.title,
    council: model.council,
    committee: model.committee,
    author: model.author,
    subject,
    generator: options.generator,
    isDraft: model.status === 'draft',
    audience,
    notForPublication,
    pageMark: pageMark(model.status, audience),
    provenance: options.provenance ?? '',
    // A final report's pages carry the council's words only: no commit or hash unless asked for.
    printedProvenance:
      model.status === 'draft' || options.provenanceOnPages ? options.provenance ?? '' : model.version ? `Plan version ${model.version}` : '',
    meetingDate,
    css: options.css,
    showContents: model.contents,
    // Where "Back to contents" goes: the contents list, or the top of the report when it has none.
    backTo: model.contents ? { href: '#contents-heading', label: 'Back to contents' } : { href: '#top', label: 'Back to top' },
    contents: [
      ...sections.map((s) => ({ href: `#${s.anchor}`, label: s.heading, page: pageShown(s.anchor) })),
      // Worded as the headings they point to (and as the bookmarks): the appendix's heading, not its short title.
      ...appendices.map((a) => ({ href: `#${a.anchor}`, label: `Appendix ${a.number} – ${a.heading}`, page: pageShown(a.anchor) })),
    ],
    frontSheet: frontSheetView(model),
    sections,
    appendices,
    outline,
    runningHeader: { fontSize: runningHeaderFontSize([model.council, `${model.committee} · ${meetingDate.plain}`]) },
    headerText: escapeXml(`${model.council} · ${model.committee} · ${meetingDate.plain}`),
  };
}

export type ReportView = ReturnType<typeof buildView>;
