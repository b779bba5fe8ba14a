import { STATUS_LABELS } from '../model/status.js';
import { formatLongDate, formatPlainDate, formatPlanDate, isoDay } from '../data/dates.js';
import type { ExemptableText, Status } from '../data/schema.js';
import { exemptNotice, fieldExemption, fieldText } from '../model/exempt.js';
import { AUDIENCES } from '../model/exempt.js';
import type { Audience, Exemption } from '../model/exempt.js';
import type { Appendix, ReportModel, Section, StatusTally } from '../model/report.js';
import { WITHHELD_TITLE } from '../model/withhold.js';
import type { AudienceModel } from '../model/withhold.js';
import { chronologyTimeline, progressChart } from './charts.js';
import type { ProgressRow } from './charts.js';
import { escapeXml } from './escape.js';
import { frameworkDiagram } from './diagram.js';
import Handlebars from 'handlebars';
import { markFirstUseInView } from './abbreviations.js';
import { markdownBlock, markdownInline } from './markdown.js';
import type { AppendixLookup } from './markdown.js';
import { pageNumberHtml } from './page-number.js';
import { changesAppendixView } from '../diff/appendix.js';
import type { WithChanges } from '../diff/appendix.js';

/** What a view is built from: the model as its audience may see it (the withhold stage), with any changes appendix. */
export type ViewModel = WithChanges<AudienceModel>;

export { STATUS_LABELS };

/** One heading as the PDF outline should read it, in document order. */
export interface OutlineEntry {
  level: number;
  text: string;
  /** The heading's element id, to find its page. */
  anchor: string;
}

export const sectionAnchor = (id: string) => `section-${id}`;
export const appendixAnchor = (key: string) => `appendix-${key}`;

/** "All 24 complete" or "22 complete, 2 on track (24 in all)". */
export function describeTally(t: StatusTally, noun: string | { one: string; many: string }): string {
  const { one, many } = typeof noun === 'string' ? { one: noun, many: noun } : noun;
  const statuses = (Object.keys(t.counts) as Status[]).filter((s) => t.counts[s] > 0);
  if (t.total === 0) return '';
  if (t.total === 1) return `The only ${one} is ${STATUS_LABELS[statuses[0]!].toLowerCase()}.`;
  if (t.counts.complete === t.total) return `All ${t.total} ${many} are complete.`;
  return `Of ${t.total} ${many}: ${statuses.map((s) => `${t.counts[s]} ${STATUS_LABELS[s].toLowerCase()}`).join(', ')}.`;
}

/** A long URL that wraps only after its slashes, never inside a word. */
export function breakableUrl(url: string): string {
  return url
    .split(/(?<=\/)/)
    .map((part) => `<span class="nowrap">${escapeXml(part)}</span>`)
    .join('<wbr>');
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

/** A status summary; a public one counts only what it shows, and says so. */
function summary(t: StatusTally, noun: { one: string; many: string }): string {
  return [describeTally(t, noun), t.withheld ? 'Items exempt from publication are not counted.' : ''].filter(Boolean).join(' ');
}

interface AppendixHead {
  number: number;
  title: string;
  heading: string;
  anchor: string;
}

function sectionView(section: Section, heads: AppendixHead[], model: ViewModel, lookup: AppendixLookup, ex: Exempting) {
  const number = `${section.number}.0`;
  if (ex.withholds(section.exempt)) {
    const id = section.id; // a stand-in
    return { id, anchor: sectionAnchor(id), number, title: WITHHELD_TITLE, notice: exemptNotice(section.exempt), paragraphs: [] };
  }
  const base = {
    id: section.id,
    anchor: sectionAnchor(section.id),
    number,
    title: section.title,
    notice: section.exempt ? exemptNotice(section.exempt) : undefined,
    paragraphs: section.numberedParagraphs.map((p) => ({ number: p.number, html: ex.block(p.exempt, () => markdownBlock(p.text, lookup)) })),
  };
  switch (section.kind) {
    case 'narrative':
      return {
        ...base,
        witnesses: section.witnesses?.map((w) =>
          ex.withholds(w.exempt) ? exemptNotice(w.exempt) : ex.text(w.exempt, [w.name, w.role, ex.field(w.organisation)].filter(Boolean).join(', ')),
        ),
      };
    case 'appendices':
      return {
        ...base,
        appendixList: heads.map((a) => ({ number: a.number, title: a.title, href: `#${a.anchor}` })),
      };
    case 'links':
      return {
        ...base,
        links: section.links.map((l) =>
          ex.withholds(l.exempt)
            ? { title: exemptNotice(l.exempt), url: undefined, urlHtml: '' }
            : { title: ex.text(l.exempt, l.title), url: l.url, urlHtml: breakableUrl(l.url) },
        ),
      };
    case 'glossary':
      return { ...base, glossary: model.glossary };
    case 'contacts':
      return {
        ...base,
        contacts: section.contacts.map((c) => {
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
            email: ex.withholds(email) ? undefined : fieldText(c.email),
          };
        }),
      };
  }
}

function statusView(status: Status | undefined) {
  return status ? { status, statusLabel: STATUS_LABELS[status] } : {};
}

function appendixView(appendix: ViewModel['appendices'][number], head: AppendixHead, lookup: AppendixLookup, ex: Exempting) {
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
        timeline: chronologyTimeline(
          appendix.dates.map((d) => ({ start: d.date.start, label: formatPlanDate(d.date), events: d.entries.length })),
          { title: `${base.anchor}-timeline-title`, desc: `${base.anchor}-timeline-desc` },
          `Timeline of the chronology: one dot for each event`,
        ),
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
      return {
        ...base,
        summary: summary(appendix.tally, { one: 'recommendation or action', many: 'recommendations and actions' }),
        groups: appendix.groups.map((g) => {
          const number = appendix.groups.length > 1 ? g.number : undefined;
          if (ex.withholds(g.exempt)) {
            const notice = `<span class="exempt-notice">${escapeXml(exemptNotice(g.exempt))}</span>`;
            return {
              id: g.id,
              number,
              title: g.title,
              caption: WITHHELD_TITLE,
              summary: '',
              items: [{ id: `${g.id}-notice`, number: '', html: notice }],
            };
          }
          return {
            id: g.id,
            number,
            title: g.title,
            caption: g.title ?? appendix.heading,
            summary: appendix.groups.length > 1 ? summary(g.tally, { one: 'item in this group', many: 'in this group' }) : '',
            items: g.items.map((item) =>
              ex.withholds(item.exempt)
                ? { id: item.id, number: item.number, html: ex.inline(item.exempt, () => '') }
                : {
                    id: item.id,
                    number: item.number,
                    // In an exempt build, every item of an exempt group carries the group's notice.
                    html: ex.inline(item.exempt ?? g.exempt, () => markdownInline(item.text, lookup)),
                    reference: item.reference === undefined ? undefined : ex.text(item.exemptFields?.reference, item.reference),
                    owner: item.owner === undefined ? undefined : ex.text(item.exemptFields?.owner, item.owner),
                    ...statusView(item.status),
                  },
            ),
          };
        }),
      };
    case 'aspirations': {
      const hasStatus = appendix.tally.total > 0;
      return {
        ...base,
        summary: hasStatus ? summary(appendix.tally, { one: 'aspiration with a status', many: 'aspirations with a status' }) : '',
        hasStatus,
        aspirations: appendix.aspirations.map((a) =>
          ex.withholds(a.exempt)
            ? { id: a.id, number: a.number, html: ex.inline(a.exempt, () => '') }
            : { id: a.id, number: a.number, html: ex.inline(a.exempt, () => markdownInline(a.text, lookup)), ...statusView(a.status) },
        ),
      };
    }
    case 'framework': {
      const withheldBody = new Map(appendix.bodies.filter((b) => ex.withholds(b.exempt)).map((b) => [b.id, b.exempt!]));
      // A line is left out with its own exemption, or with that of the body it reports to.
      const lineExemption = (l: (typeof appendix.lines)[number]) => (ex.withholds(l.exempt) ? l.exempt : withheldBody.get(l.to));
      const bodies = appendix.bodies.filter((b) => !withheldBody.has(b.id));
      const lines = appendix.lines.filter((l) => !withheldBody.has(l.from) && !lineExemption(l));
      const name = new Map(bodies.map((b) => [b.id, ex.text(b.exempt, b.name)]));
      return {
        ...base,
        summaryHtml: appendix.summary !== undefined ? ex.block(appendix.exemptFields?.summary, () => markdownBlock(appendix.summary!, lookup)) : '',
        diagram: frameworkDiagram(
          bodies,
          lines,
          { title: `${base.anchor}-diagram-title`, desc: `${base.anchor}-diagram-desc` },
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
    case 'changes':
      return { ...base, ...changesAppendixView(appendix.change, base.anchor, lookup) };
  }
}

/**
 * "Progress at a glance": each appendix's tracked items by status, as a chart and
 * a table, computed from the data. Appendices whose items carry no status are named.
 */
function progressView(model: ViewModel) {
  const tracked = model.appendices.filter(
    (a): a is Extract<Appendix, { tally: StatusTally }> => 'tally' in a,
  );
  const rows = tracked
    .filter((a) => a.tally.total > 0)
    .map((a) => ({
      anchor: appendixAnchor(a.key),
      label: `Appendix ${a.number}`,
      title: a.title,
      counts: a.tally.counts,
      total: a.tally.total,
      cells: (Object.keys(STATUS_LABELS) as Status[]).map((s) => a.tally.counts[s]),
    }));
  const untracked = tracked
    .filter((a) => a.tally.total === 0)
    .map((a) => ({
      label: `Appendix ${a.number}`,
      title: a.title,
      count: a.kind === 'aspirations' ? a.aspirations.length : a.groups.reduce((n, g) => n + g.items.length, 0),
    }));
  if (rows.length === 0 && untracked.length === 0) return undefined;
  return {
    anchor: 'progress',
    statusLabels: Object.values(STATUS_LABELS),
    rows,
    untracked,
    chart:
      rows.length > 0
        ? progressChart(
            rows.map((r): ProgressRow => ({ label: r.label, counts: r.counts, total: r.total })),
            { title: 'progress-chart-title', desc: 'progress-chart-desc' },
            'Recommendations and actions by status, per appendix',
          )
        : '',
  };
}

/** Options for the view: the stylesheet, who the build is for and where it came from. */
export interface ViewOptions {
  css: string;
  generator: string;
  /** Where the report came from, for the footer: plan version, commit, data hash. */
  provenance?: string;
  /** Printed page of each heading, by anchor (print only). */
  pages?: ReadonlyMap<string, number>;
}

/** The mark on every printed page: "DRAFT", "NOT FOR PUBLICATION", both or none. */
export function pageMark(status: ReportModel['status'], audience: Audience): string {
  return [status === 'draft' ? 'DRAFT' : undefined, audience === 'exempt' ? 'NOT FOR PUBLICATION' : undefined]
    .filter(Boolean)
    .join(' · ');
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
  const pageOf = (anchor: string) => options.pages?.get(anchor);
  /** The page number a contents entry shows (print only), marked for the printer (render/page-number.ts). */
  const pageShown = (anchor: string) => (options.pages?.has(anchor) ? new Handlebars.SafeString(pageNumberHtml(anchor, pageOf(anchor))) : undefined);
  const lookup: AppendixLookup = (key) => {
    const head = heads.get(key);
    return head ? { ...head, page: pageOf(head.anchor) } : undefined;
  };
  const sections = model.sections.map((s) => sectionView(s, [...heads.values()], model, lookup, ex));
  const appendices = model.appendices.map((a) => appendixView(a, heads.get(a.key)!, lookup, ex));
  markFirstUseInView([sections, appendices], model.glossary);
  const progress = progressView(model);
  const meetingDate = {
    iso: isoDay(model.meetingDate),
    long: formatLongDate(model.meetingDate),
    plain: formatPlainDate(model.meetingDate),
  };
  const notForPublication = audience === 'exempt';
  const subject = `Report to the ${model.committee}, ${meetingDate.plain}${notForPublication ? ' (not for publication: contains exempt information)' : ''}`;

  const outline: OutlineEntry[] = [
    { level: 1, text: model.title, anchor: 'top' },
    { level: 2, text: 'Contents', anchor: 'contents-heading' },
    ...(progress ? [{ level: 2, text: 'Progress at a glance', anchor: progress.anchor }] : []),
    ...sections.map((s) => ({ level: 2, text: `${s.number} ${s.title}`, anchor: s.anchor })),
    ...appendices.flatMap((a) => [
      { level: 2, text: `Appendix ${a.number} – ${a.heading}`, anchor: a.anchor },
      ...('groups' in a
        ? a.groups
            .filter((g) => g.title)
            .map((g) => ({ level: 3, text: `${g.number ? `${g.number}. ` : ''}${g.title}`, anchor: g.id }))
        : []),
    ]),
  ];

  return {
    lang: 'en-GB',
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
    meetingDate,
    css: options.css,
    contents: [
      ...(progress ? [{ href: `#${progress.anchor}`, label: 'Progress at a glance', page: pageShown(progress.anchor) }] : []),
      ...sections.map((s) => ({ href: `#${s.anchor}`, label: `${s.number} ${s.title}`, page: pageShown(s.anchor) })),
      ...appendices.map((a) => ({ href: `#${a.anchor}`, label: `Appendix ${a.number} – ${a.title}`, page: pageShown(a.anchor) })),
    ],
    progress,
    sections,
    appendices,
    outline,
    headerText: escapeXml(`${model.council} · ${model.committee} · ${meetingDate.plain}`),
  };
}

export type ReportView = ReturnType<typeof buildView>;
