import { formatLongDate, formatPlainDate, formatPlanDate, isoDay } from '../data/dates.js';
import type { Status } from '../data/schema.js';
import type { Appendix, ReportModel, Section, StatusTally } from '../model/report.js';
import { chronologyTimeline, progressChart } from './charts.js';
import type { ProgressRow } from './charts.js';
import { escapeXml, frameworkDiagram } from './diagram.js';
import { markFirstUseInView } from './abbreviations.js';
import { markdownBlock, markdownInline } from './markdown.js';
import type { AppendixLookup } from './markdown.js';
import { changesAppendixView } from '../diff/appendix.js';

export const STATUS_LABELS: Record<Status, string> = {
  complete: 'Complete',
  'on-track': 'On track',
  'at-risk': 'At risk',
  'not-started': 'Not started',
};

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
export function describeTally(t: StatusTally, noun: string): string {
  const parts = (Object.keys(t.counts) as Status[])
    .filter((s) => t.counts[s] > 0)
    .map((s) => `${t.counts[s]} ${STATUS_LABELS[s].toLowerCase()}`);
  if (t.total === 0) return '';
  if (parts.length === 1 && t.counts.complete === t.total) return `All ${t.total} ${noun} are complete.`;
  return `Of ${t.total} ${noun}: ${parts.join(', ')}.`;
}

/** A long URL that wraps only after its slashes, never inside a word. */
export function breakableUrl(url: string): string {
  return url
    .split(/(?<=\/)/)
    .map((part) => `<span class="nowrap">${escapeXml(part)}</span>`)
    .join('<wbr>');
}

function sectionView(section: Section, model: ReportModel, lookup: AppendixLookup) {
  const base = {
    id: section.id,
    anchor: sectionAnchor(section.id),
    number: `${section.number}.0`,
    title: section.title,
    paragraphs: section.numberedParagraphs.map((p) => ({ number: p.number, html: markdownBlock(p.text, lookup) })),
  };
  switch (section.kind) {
    case 'narrative':
      return {
        ...base,
        witnesses: section.witnesses?.map((w) => [w.name, w.role, w.organisation].filter(Boolean).join(', ')),
      };
    case 'appendices':
      return {
        ...base,
        appendixList: model.appendices.map((a) => ({ number: a.number, title: a.title, href: `#${appendixAnchor(a.key)}` })),
      };
    case 'links':
      return {
        ...base,
        links: section.links.map((l) => ({ title: l.title, url: l.url, urlHtml: breakableUrl(l.url) })),
      };
    case 'glossary':
      return { ...base, glossary: model.glossary };
    case 'contacts':
      return {
        ...base,
        contacts: section.contacts.map((c) => ({
          text: [c.name, c.role].join(', '),
          phone: c.phone,
          email: c.email,
        })),
      };
  }
}

function statusView(status: Status | undefined) {
  return status ? { status, statusLabel: STATUS_LABELS[status] } : {};
}

function appendixView(appendix: Appendix, lookup: AppendixLookup) {
  const base = {
    key: appendix.key,
    anchor: appendixAnchor(appendix.key),
    number: appendix.number,
    title: appendix.title,
    heading: appendix.heading,
    partial: `appendix-${appendix.kind}`,
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
          events: d.entries.map((e) => ({ id: e.id, html: markdownInline(e.event, lookup) })),
          single: d.entries.length === 1,
        })),
      };
    case 'recommendations':
      return {
        ...base,
        summary: describeTally(appendix.tally, 'recommendations and actions'),
        groups: appendix.groups.map((g) => ({
          id: g.id,
          number: appendix.groups.length > 1 ? g.number : undefined,
          title: g.title,
          caption: g.title ?? appendix.heading,
          summary: appendix.groups.length > 1 ? describeTally(g.tally, 'in this group') : '',
          items: g.items.map((item) => ({
            id: item.id,
            number: item.number,
            html: markdownInline(item.text, lookup),
            reference: item.reference,
            owner: item.owner,
            ...statusView(item.status),
          })),
        })),
      };
    case 'aspirations': {
      const hasStatus = appendix.tally.total > 0;
      return {
        ...base,
        summary: hasStatus ? describeTally(appendix.tally, 'aspirations with a status') : '',
        hasStatus,
        aspirations: appendix.aspirations.map((a) => ({
          id: a.id,
          number: a.number,
          html: markdownInline(a.text, lookup),
          ...statusView(a.status),
        })),
      };
    }
    case 'framework': {
      const name = new Map(appendix.bodies.map((b) => [b.id, b.name]));
      return {
        ...base,
        summaryHtml: appendix.summary ? markdownBlock(appendix.summary, lookup) : '',
        diagram: frameworkDiagram(
          appendix.bodies,
          appendix.lines,
          { title: `${base.anchor}-diagram-title`, desc: `${base.anchor}-diagram-desc` },
          `${appendix.heading}: reporting lines`,
        ),
        bodies: appendix.bodies.map((b) => ({
          id: b.id,
          name: b.name,
          chair: b.chair,
          meets: [b.meets, b.session ? `in ${b.session} session` : undefined].filter(Boolean).join(', '),
          roleHtml: markdownInline(b.role, lookup),
          reportsTo: appendix.lines
            .filter((l) => l.from === b.id)
            .map((l) => ({
              body: name.get(l.to),
              what: l.what,
              frequency: l.frequency + (l.session ? `, in ${l.session} session` : ''),
            })),
        })),
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
function progressView(model: ReportModel) {
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

/** Everything the templates need, with Markdown already turned into sanitised HTML. Pure. */
export function buildView(
  model: ReportModel,
  options: {
    css: string;
    generator: string;
    /** Printed page of each heading, by anchor (print only). */
    pages?: ReadonlyMap<string, number>;
  },
) {
  const pageOf = (anchor: string) => options.pages?.get(anchor);
  const byKey = new Map(model.appendices.map((a) => [a.key, a]));
  const lookup: AppendixLookup = (key) => {
    const a = byKey.get(key);
    return a ? { number: a.number, anchor: appendixAnchor(a.key), page: pageOf(appendixAnchor(a.key)) } : undefined;
  };
  const sections = model.sections.map((s) => sectionView(s, model, lookup));
  const appendices = model.appendices.map((a) => appendixView(a, lookup));
  markFirstUseInView([sections, appendices], model.glossary);
  const progress = progressView(model);
  const meetingDate = {
    iso: isoDay(model.meetingDate),
    long: formatLongDate(model.meetingDate),
    plain: formatPlainDate(model.meetingDate),
  };
  const subject = `Report to the ${model.committee}, ${meetingDate.plain}`;

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
    meetingDate,
    css: options.css,
    contents: [
      ...(progress ? [{ href: `#${progress.anchor}`, label: 'Progress at a glance', page: pageOf(progress.anchor) }] : []),
      ...sections.map((s) => ({ href: `#${s.anchor}`, label: `${s.number} ${s.title}`, page: pageOf(s.anchor) })),
      ...appendices.map((a) => ({ href: `#${a.anchor}`, label: `Appendix ${a.number} – ${a.title}`, page: pageOf(a.anchor) })),
    ],
    progress,
    sections,
    appendices,
    outline,
    headerText: escapeXml(`${model.council} · ${model.committee} · ${meetingDate.plain}`),
  };
}

export type ReportView = ReturnType<typeof buildView>;
