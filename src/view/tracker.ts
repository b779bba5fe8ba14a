import type { Recommendation, TrackerColumn } from '../model/report.js';
import type { StatusScheme } from '../data/status.js';
import { escapeXml } from '../text/escape.js';
import { dueText, OVERDUE_MARK, statusCell } from './statuses.js';

// A council's tracker table: the columns its appendix chooses, in its words, one
// field a cell. Each cell carries its column's label, so on a phone a row reads as
// a card ("Lead: …") while the table stays a table for screen readers.

/** One cell of a tracker row, as the template prints it. */
export interface TrackerCell {
  html: string;
  className: string;
  /** The column's heading, shown before the value when a row reads as a card. */
  label: string;
  /** The number or reference column heads its row (`<th scope="row">`). */
  rowHeader?: boolean;
  /** Columns spanned (a withheld item's notice). */
  span?: number;
}

/** How the text fields of an item render, with any exemption of their own. */
export interface CellRenderers {
  /** Markdown of the item's text, with any notice. */
  text: () => string;
  /** A plain field (reference, owner), escaped, with any notice. */
  plain: (field: 'reference' | 'owner', value: string) => string;
  /** A Markdown field that may hold a list (measure, progress), with any notice. */
  block: (field: 'measure' | 'progress', value: string) => string;
}

/** The class of a column's cells: `col-due`, `col-rating-impact`. */
const columnClass = (show: string) => `col-${show.replace('.', '-')}`;

/** The header row's cells. */
export function trackerHeaders(columns: readonly TrackerColumn[]): { label: string; className: string }[] {
  return columns.map((c) => ({ label: c.label, className: columnClass(c.show) }));
}

/** A status or rating cell: shaded in its colour, its word in it. */
function shadedCell(scheme: StatusScheme, show: string, item: Recommendation): { html: string; className: string } {
  const key = show.startsWith('ratings.') ? show.slice('ratings.'.length) : undefined;
  const vocabulary = key === undefined ? scheme.status : scheme.ratings.find((r) => r.key === key)?.vocabulary ?? [];
  const cell = statusCell(vocabulary, key === undefined ? item.status : item.ratings?.[key], key);
  return cell ? { html: escapeXml(cell.label), className: `${columnClass(show)} shade ${cell.className}` } : { html: '', className: columnClass(show) };
}

/** The arrow and word for each way an item can have moved; the word, not the arrow or a colour, says it. */
const TRAVEL: Record<string, { arrow: string; word: string }> = {
  better: { arrow: '↑', word: 'Better' },
  same: { arrow: '→', word: 'Same' },
  worse: { arrow: '↓', word: 'Worse' },
};

/** "Better (was At risk)", "Same", "New since 19 September 2017": which way an item moved since the last meeting. */
function travelCell(item: Recommendation, scheme: StatusScheme): string {
  const p = item.previous;
  if (!p) return 'No earlier meeting';
  if (p.status === undefined) return 'New';
  const way = p.direction ? TRAVEL[p.direction] : undefined;
  if (!way) return '';
  const was = p.direction === 'same' ? '' : ` <span class="travel-was">(was ${escapeXml(statusCell(scheme.status, p.status)?.label ?? p.status)})</span>`;
  return `<span class="travel travel-${p.direction}"><span aria-hidden="true">${way.arrow}</span> ${way.word}</span>${was}`;
}

/** One item's row: a cell for each column. */
export function trackerRow(item: Recommendation, columns: readonly TrackerColumn[], scheme: StatusScheme, render: CellRenderers): TrackerCell[] {
  return columns.map((c): TrackerCell => {
    const base = { label: c.label, className: columnClass(c.show) };
    switch (c.show) {
      case 'number':
        return { ...base, html: escapeXml(item.number), rowHeader: true };
      case 'reference':
        return { ...base, html: item.reference === undefined ? '' : escapeXml(render.plain('reference', item.reference)) };
      case 'text':
        return { ...base, html: render.text() };
      case 'owner':
        return { ...base, html: item.owner === undefined ? '' : escapeXml(render.plain('owner', item.owner)) };
      case 'due': {
        const due = dueText(item, 'long');
        const html = [due === undefined ? '' : escapeXml(due), item.overdue ? OVERDUE_MARK : ''].filter(Boolean).join('<br>');
        return { ...base, html };
      }
      case 'measure':
        return { ...base, html: item.measure === undefined ? '' : render.block('measure', item.measure) };
      case 'progress':
        return { ...base, html: item.progress === undefined ? '' : render.block('progress', item.progress) };
      case 'previous': {
        const cell = item.previous?.status === undefined ? undefined : statusCell(scheme.status, item.previous.status);
        if (!cell) return { ...base, html: item.previous ? 'New' : 'No earlier meeting' };
        return { ...base, html: escapeXml(cell.label), className: `${base.className} shade ${cell.className}` };
      }
      case 'direction':
        return { ...base, html: travelCell(item, scheme) };
      default:
        return { ...base, ...shadedCell(scheme, c.show, item) };
    }
  });
}

/**
 * A row standing in for what a public build leaves out: the item's number where
 * the table has a number column first, and the notice across the rest.
 */
export function withheldRow(number: string, columns: readonly TrackerColumn[], notice: string): TrackerCell[] {
  const first = columns[0];
  if (first?.show === 'number' && columns.length > 1) {
    return [
      { label: first.label, className: columnClass('number'), html: escapeXml(number), rowHeader: true },
      { label: '', className: 'col-notice', html: notice, span: columns.length - 1 },
    ];
  }
  return [{ label: '', className: 'col-notice', html: notice, span: columns.length }];
}
