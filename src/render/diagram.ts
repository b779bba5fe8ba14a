import { escapeXml } from './escape.js';
import type { ReportingLine } from '../model/report.js';

/** A body as the diagram draws it. */
export interface DiagramBody {
  id: string;
  name: string;
}

const WIDTH = 700;
const FONT = 17;
const LINE = 21;
const PAD = 10;
const GAP_X = 12;
const GAP_Y = 120;
/** A rough average glyph width for Liberation Sans / Arial, as a share of the font size. */
const GLYPH = 0.5;

function wrap(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && (line + ' ' + word).length > maxChars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Who reports to whom, in words: the diagram's text alternative. */
export function describeLines(bodies: readonly DiagramBody[], lines: readonly ReportingLine[]): string[] {
  const name = new Map(bodies.map((b) => [b.id, b.name]));
  return lines.map(
    (l) =>
      `${name.get(l.from)} reports to ${name.get(l.to)}: ${l.what} (${l.frequency}${l.session ? `, in ${l.session} session` : ''}).`,
  );
}

/**
 * Lays the bodies out in tiers, those reported to above those reporting, and
 * draws each reporting line as an arrow labelled with how often. Pure; every
 * piece of data text is escaped.
 */
export function frameworkDiagram(
  bodies: readonly DiagramBody[],
  lines: readonly ReportingLine[],
  ids: { title: string; desc: string },
  title: string,
): string {
  const outgoing = new Map(bodies.map((b) => [b.id, lines.filter((l) => l.from === b.id).map((l) => l.to)]));
  const tierOf = new Map<string, number>();
  const tier = (id: string, seen: Set<string> = new Set()): number => {
    const known = tierOf.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0; // validation forbids cycles; never loop forever
    seen.add(id);
    const up = outgoing.get(id) ?? [];
    const t = up.length === 0 ? 0 : 1 + Math.max(...up.map((to) => tier(to, seen)));
    tierOf.set(id, t);
    return t;
  };
  for (const b of bodies) tier(b.id);

  const tiers: DiagramBody[][] = [];
  for (const b of bodies) (tiers[tierOf.get(b.id)!] ??= []).push(b);

  // Place each tier; lower tiers sit under the bodies they report to.
  const centre = new Map<string, number>();
  const boxes = new Map<string, { x: number; y: number; w: number; h: number; text: string[] }>();
  let y = 10;
  for (const [t, row] of tiers.entries()) {
    if (!row) continue;
    if (t > 0) {
      const pull = (b: DiagramBody) => {
        const xs = (outgoing.get(b.id) ?? []).map((to) => centre.get(to) ?? WIDTH / 2);
        return xs.reduce((a, x) => a + x, 0) / Math.max(xs.length, 1);
      };
      row.sort((a, b) => pull(a) - pull(b));
    }
    const w = Math.min(220, (WIDTH - GAP_X * (row.length + 1)) / row.length);
    const maxChars = Math.max(8, Math.floor((w - 2 * PAD) / (FONT * GLYPH)));
    const wrapped = row.map((b) => wrap(b.name, maxChars));
    const h = Math.max(...wrapped.map((l) => l.length)) * LINE + 2 * PAD;
    const used = row.length * w + (row.length - 1) * GAP_X;
    let x = (WIDTH - used) / 2;
    for (const [i, b] of row.entries()) {
      boxes.set(b.id, { x, y, w, h, text: wrapped[i]! });
      centre.set(b.id, x + w / 2);
      x += w + GAP_X;
    }
    y += h + GAP_Y;
  }
  const height = y - GAP_Y + 10;

  // Spread the ends of several lines meeting one box, ordered by where the other
  // end lies, so arrows neither overlap nor cross at the box.
  const otherEnd = (id: string, line: ReportingLine) => centre.get(line.from === id ? line.to : line.from) ?? 0;
  const endX = (id: string, line: ReportingLine) => {
    const box = boxes.get(id)!;
    const meeting = lines.filter((l) => l.from === id || l.to === id).sort((a, b) => otherEnd(id, a) - otherEnd(id, b));
    return box.x + (box.w * (meeting.indexOf(line) + 1)) / (meeting.length + 1);
  };
  const arrows: string[] = [];
  const labels: string[] = [];
  for (const line of lines) {
    const from = boxes.get(line.from);
    const to = boxes.get(line.to);
    if (!from || !to) continue;
    const x1 = endX(line.from, line);
    const y1 = from.y;
    const x2 = endX(line.to, line);
    const y2 = to.y + to.h;
    arrows.push(
      `<line x1="${x1.toFixed(1)}" y1="${y1}" x2="${x2.toFixed(1)}" y2="${(y2 + 6).toFixed(1)}" class="fw-line" marker-end="url(#fw-arrow)"/>`,
    );
    // Labels sit near the reporting body, staggered when one body reports to several.
    const siblings = lines.filter((l) => l.from === line.from);
    const t = 0.2 + (0.55 * siblings.indexOf(line)) / Math.max(siblings.length, 2);
    const lx = x1 + (x2 - x1) * t;
    const ly = y1 + (y2 - y1) * t;
    const label = line.frequency + (line.session ? ` (${line.session})` : '');
    const lw = label.length * 15 * GLYPH + 8;
    labels.push(
      `<g class="fw-label"><rect x="${(lx - lw / 2).toFixed(1)}" y="${(ly - 11).toFixed(1)}" width="${lw.toFixed(1)}" height="20" rx="3"/>` +
        `<text x="${lx.toFixed(1)}" y="${(ly + 5).toFixed(1)}" text-anchor="middle">${escapeXml(label)}</text></g>`,
    );
  }

  const nodes = [...boxes].map(([, box]) => {
    const top = box.y + box.h / 2 - ((box.text.length - 1) * LINE) / 2 + FONT / 3;
    const text = box.text
      .map((l, i) => `<tspan x="${(box.x + box.w / 2).toFixed(1)}" y="${(top + i * LINE).toFixed(1)}">${escapeXml(l)}</tspan>`)
      .join('');
    return (
      `<g class="fw-body"><rect x="${box.x.toFixed(1)}" y="${box.y}" width="${box.w.toFixed(1)}" height="${box.h}" rx="6"/>` +
      `<text text-anchor="middle">${text}</text></g>`
    );
  });

  const description = describeLines(bodies, lines).join(' ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="fw-diagram" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${ids.title} ${ids.desc}">`,
    `<title id="${ids.title}">${escapeXml(title)}</title>`,
    `<desc id="${ids.desc}">${escapeXml(description)}</desc>`,
    `<defs><marker id="fw-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>`,
    ...arrows,
    ...nodes,
    ...labels,
    `</svg>`,
  ].join('\n');
}
