import { escapeXml as escapeHtml } from '../text/escape.js';
import { csv } from './csv.js';
import { meetingName } from './meetings.js';
import { trendChart } from './trend-chart.js';
import type { PlanStatus, StatusRow, Trend, TrendCounts } from './status.js';
import { statusLabel } from '../data/status.js';
import type { StatusScheme } from '../data/status.js';

// `csi status` and `csi trend` as csv (for spreadsheets), json, markdown, text and (trend) HTML.

const day = (iso: string | undefined) => iso?.slice(0, 10);

/** The columns of a status table, in order, with how each reads a row. */
function columns(scheme: StatusScheme): [string, (r: StatusRow) => string | undefined][] {
  return [
    ['id', (r) => r.id],
    ['number', (r) => r.number],
    ['label', (r) => r.label],
    ['appendix', (r) => r.appendix],
    ['group', (r) => r.group],
    ['status', (r) => statusLabel(scheme.status, r.status)],
    ...scheme.ratings.map((g): [string, (r: StatusRow) => string | undefined] => [g.key, (r) => (r.ratings[g.key] ? statusLabel(g.vocabulary, r.ratings[g.key]!) : undefined)]),
    ['owner', (r) => r.owner],
    ['due', (r) => r.due],
    ['overdue', (r) => (r.overdue ? 'yes' : 'no')],
    ['status_since', (r) => day(r.since?.date)],
    ['since_meeting', (r) => r.since?.meeting],
    ['previous_status', (r) => (r.previous ? statusLabel(scheme.status, r.previous.status) : undefined)],
    ['direction', (r) => r.previous?.direction],
  ];
}

/** Which version the table is of: "at the meeting of 17 May 2016 (abc1234)". */
function heading(status: PlanStatus): string {
  const at = status.meeting ? `at the meeting of ${meetingName(status.meeting)}` : `for the meeting of ${meetingName(status.meetingDate)}`;
  return `${at} (${status.commit.short}, ${day(status.commit.date)})`;
}

/** `csi status` in one of its formats. */
export function formatStatus(status: PlanStatus, rows: readonly StatusRow[], format: 'csv' | 'json' | 'markdown' | 'text'): string {
  const cols = columns(status.statuses);
  if (format === 'csv') return csv([cols.map(([name]) => name), ...rows.map((r) => cols.map(([, get]) => get(r)))]);
  if (format === 'json') {
    const json = {
      commit: status.commit.commit,
      date: status.commit.date,
      meetingDate: status.meetingDate,
      ...(status.meeting ? { meeting: status.meeting } : {}),
      items: rows.map((r) => ({ ...r, statusLabel: statusLabel(status.statuses.status, r.status) })),
    };
    return `${JSON.stringify(json, null, 2)}\n`;
  }
  if (format === 'markdown') {
    const cell = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|');
    return [
      `## Plan ${heading(status)}`,
      '',
      `| ${cols.map(([name]) => name.replace(/_/g, ' ')).join(' | ')} |`,
      `| ${cols.map(() => '---').join(' | ')} |`,
      ...rows.map((r) => `| ${cols.map(([, get]) => cell(get(r))).join(' | ')} |`),
      '',
    ].join('\n');
  }
  const out = [`Plan ${heading(status)}: ${rows.length} item${rows.length === 1 ? '' : 's'}`, ''];
  for (const r of rows) {
    const since = r.since ? `, since ${day(r.since.date)}${r.since.meeting ? ` (meeting of ${meetingName(r.since.meeting)})` : ''}` : '';
    const was = r.previous && r.previous.direction !== 'same' ? `, was ${statusLabel(status.statuses.status, r.previous.status)} (${r.previous.direction ?? 'changed'})` : '';
    out.push(`${r.label} (${r.id})  ${statusLabel(status.statuses.status, r.status)}${since}${was}${r.overdue ? ', overdue' : ''}`);
  }
  return `${out.join('\n')}\n`;
}

/** The trend as rows: one per meeting and scope (overall first, then each appendix). */
function trendRows(trend: Trend): { meeting: string; commit: string; scope: string; heading: string; counts: TrendCounts }[] {
  return trend.points.flatMap((p) => [
    { meeting: p.meeting, commit: p.commit, scope: 'all', heading: 'All appendices', counts: p.overall },
    ...p.appendices.map((a) => ({ meeting: p.meeting, commit: p.commit, scope: a.key, heading: a.heading, counts: a.counts })),
  ]);
}

/** Count columns: each status, then each rating's words ("impact: Green"). */
function countColumns(scheme: StatusScheme): [string, (c: TrendCounts) => number][] {
  return [
    ['total', (c) => c.total],
    ...scheme.status.map((w): [string, (c: TrendCounts) => number] => [w.label, (c) => c.status[w.id] ?? 0]),
    ...scheme.ratings.flatMap((r) => r.vocabulary.map((w): [string, (c: TrendCounts) => number] => [`${r.label}: ${w.label}`, (c) => c.ratings[r.key]?.[w.id] ?? 0])),
  ];
}

/** `csi trend` in one of its formats. */
export function formatTrend(trend: Trend, format: 'csv' | 'json' | 'markdown' | 'html', title = 'Progress at each meeting'): string {
  const cols = countColumns(trend.statuses);
  const rows = trendRows(trend);
  if (format === 'csv') return csv([['meeting', 'commit', 'appendix', ...cols.map(([n]) => n)], ...rows.map((r) => [r.meeting, r.commit.slice(0, 12), r.scope, ...cols.map(([, get]) => get(r.counts))])]);
  if (format === 'json') return `${JSON.stringify({ statuses: trend.statuses.status.map((w) => ({ id: w.id, label: w.label })), points: trend.points }, null, 2)}\n`;
  if (format === 'markdown') {
    return [
      `## ${title}`,
      '',
      `| Meeting | Appendix | ${cols.map(([n]) => n).join(' | ')} |`,
      `| --- | --- | ${cols.map(() => '---:').join(' | ')} |`,
      ...rows.map((r) => `| ${meetingName(r.meeting)} | ${r.heading.replace(/\|/g, '\\|')} | ${cols.map(([, get]) => get(r.counts)).join(' | ')} |`),
      '',
    ].join('\n');
  }
  return trendHtml(trend, title);
}

/**
 * A self-contained page: a stacked bar chart of the overall counts at each meeting
 * (an SVG with a title and description, each bar segment labelled) and the same
 * numbers as a table beside it, for anyone who cannot see the chart.
 */
function trendHtml(trend: Trend, title: string): string {
  const words = trend.statuses.status;
  const description = trend.points.map((p) => `${meetingName(p.meeting)}: ${words.map((w) => `${p.overall.status[w.id] ?? 0} ${w.inText}`).join(', ')}`).join('; ');
  const chart = trendChart(
    trend.points.map((p) => ({ label: meetingName(p.meeting), counts: p.overall.status })),
    words,
    { ids: { title: 'trend-title', desc: 'trend-desc' }, title: `${title}: items by status at each meeting`, description },
  );
  const legend = words.map((w) => `<li><span class="swatch" style="background:${w.colour}"></span>${escapeHtml(w.label)}</li>`).join('');
  const cols = countColumns(trend.statuses);
  const table = [
    `<table><caption>${escapeHtml(title)}: counts by status at each meeting</caption>`,
    `<thead><tr><th scope="col">Meeting</th><th scope="col">Appendix</th>${cols.map(([n]) => `<th scope="col">${escapeHtml(n)}</th>`).join('')}</tr></thead><tbody>`,
    ...trendRows(trend).map((r) => `<tr><th scope="row">${escapeHtml(meetingName(r.meeting))}</th><td>${escapeHtml(r.heading)}</td>${cols.map(([, get]) => `<td>${get(r.counts)}</td>`).join('')}</tr>`),
    '</tbody></table>',
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1a1a1a; }
figure { margin: 1rem 0; overflow-x: auto; }
svg text { font-size: 13px; fill: #1a1a1a; }
svg .seg-count { fill: #fff; font-weight: bold; }
.legend { list-style: none; padding: 0; display: flex; gap: 1rem; }
.swatch { display: inline-block; width: 1em; height: 1em; margin-right: .3em; vertical-align: -.15em; }
table { border-collapse: collapse; margin-top: 1.5rem; }
th, td { border: 1px solid #888; padding: .25rem .5rem; text-align: right; }
th[scope=row], td:nth-child(2), thead th:nth-child(-n+2) { text-align: left; }
caption { text-align: left; font-weight: bold; margin-bottom: .5rem; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<figure>
${chart}
<figcaption><ul class="legend">${legend}</ul></figcaption>
</figure>
${table}
</body>
</html>
`;
}
