import { escapeXml } from '../text/escape.js';
import type { ReportingLine } from '../model/report.js';

/** A body as the diagram draws it. */
export interface DiagramBody {
  id: string;
  name: string;
}

/** Drawing units: the diagram is at least this wide, so its text stays 12 px or more in a 32rem column. */
const MIN_WIDTH = 600;
const FONT = 16;
const LINE = 20;
const PAD = 10;
const GAP_X = 14;
const LABEL_FONT = 15;
const LABEL_HEIGHT = 20;
/** Vertical room for one row of labels between two tiers. */
const LABEL_ROW = 24;
/** Width of the slot a line passing through a tier takes in it. */
const PASSAGE = 20;
/** A rough average glyph width for Liberation Sans / Arial, as a share of the font size. */
const GLYPH = 0.52;

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface BoxLayout extends Rect {
  id: string;
  text: string[];
}

export interface LineLayout {
  line: ReportingLine;
  /** From the reporting body's top edge to the bottom edge of the body reported to, through any tiers between. */
  points: { x: number; y: number }[];
  label: Rect & { text: string };
}

export interface FrameworkLayout {
  width: number;
  height: number;
  boxes: BoxLayout[];
  lines: LineLayout[];
  /** Bodies no reporting line joins, drawn apart under a heading that says so. */
  unconnected: { heading: { x: number; y: number; text: string }; boxes: BoxLayout[] } | undefined;
}

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

const labelText = (l: ReportingLine) => l.frequency + (l.session ? ` (${l.session})` : '');
const UNCONNECTED_HEADING = 'No reporting line recorded for:';

/** Who reports to whom, in words: the diagram's text alternative. */
export function describeLines(bodies: readonly DiagramBody[], lines: readonly ReportingLine[]): string[] {
  const name = new Map(bodies.map((b) => [b.id, b.name]));
  const joined = new Set(lines.flatMap((l) => [l.from, l.to]));
  const alone = bodies.filter((b) => !joined.has(b.id));
  return [
    ...lines.map(
      (l) => `${name.get(l.from)} reports to ${name.get(l.to)}: ${l.what} (${l.frequency}${l.session ? `, in ${l.session} session` : ''}).`,
    ),
    ...(alone.length > 0 ? [`${UNCONNECTED_HEADING} ${alone.map((b) => b.name).join(', ')}.`] : []),
  ];
}

/** Whether segments ab and cd cross at a point inside both (touching ends do not count). */
function segmentsCross(a: { x: number; y: number }, b: { x: number; y: number }, c: { x: number; y: number }, d: { x: number; y: number }): boolean {
  const side = (p: { x: number; y: number }, q: { x: number; y: number }, r: { x: number; y: number }) =>
    (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
  const d1 = side(c, d, a);
  const d2 = side(c, d, b);
  const d3 = side(a, b, c);
  const d4 = side(a, b, d);
  return ((d1 > 1e-6 && d2 < -1e-6) || (d1 < -1e-6 && d2 > 1e-6)) && ((d3 > 1e-6 && d4 < -1e-6) || (d3 < -1e-6 && d4 > 1e-6));
}

/** How many times two drawn lines cross each other. */
export function countCrossings(lines: readonly { points: readonly { x: number; y: number }[] }[]): number {
  let crossings = 0;
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const p = lines[i]!.points;
      const q = lines[j]!.points;
      for (let a = 0; a + 1 < p.length; a++) for (let b = 0; b + 1 < q.length; b++) if (segmentsCross(p[a]!, p[a + 1]!, q[b]!, q[b + 1]!)) crossings++;
    }
  }
  return crossings;
}

/** One slot in a tier: a body, or a line passing through on its way up. */
type Slot = { kind: 'body'; id: string } | { kind: 'passage'; line: number };

/** Orders of a tier to try: every one for a small tier, else the one sorted by where its lines go. */
function* orders<T>(items: readonly T[], score: (item: T) => number): Generator<T[]> {
  const sorted = [...items].sort((a, b) => score(a) - score(b));
  yield sorted;
  if (items.length > 6) return;
  const permute = function* (rest: T[], done: T[]): Generator<T[]> {
    if (rest.length === 0) yield done;
    for (let i = 0; i < rest.length; i++) yield* permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...done, rest[i]!]);
  };
  yield* permute([...items], []);
}

/**
 * Lays the framework out: bodies in tiers, those reported to above those
 * reporting; a line that skips a tier passes through a slot of its own there.
 * Each tier's order is chosen to cross as few lines as possible (every order is
 * tried for a small tier), and a body is moved a tier down when that uncrosses
 * lines. Labels sit on their own line, each in a row of its own between two
 * tiers, so no label covers another or a body. Pure.
 */
export function layoutFramework(bodies: readonly DiagramBody[], allLines: readonly ReportingLine[]): FrameworkLayout {
  const known = new Set(bodies.map((b) => b.id));
  const lines = allLines.filter((l) => known.has(l.from) && known.has(l.to) && l.from !== l.to);
  const joined = new Set(lines.flatMap((l) => [l.from, l.to]));
  const connected = bodies.filter((b) => joined.has(b.id));
  const alone = bodies.filter((b) => !joined.has(b.id));

  // Tiers: 0 for a body that reports to no one, else one below the lowest body it reports to.
  const baseTier = new Map<string, number>();
  const tierOf = (id: string, seen = new Set<string>()): number => {
    const known = baseTier.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0; // validation forbids cycles; never loop forever
    seen.add(id);
    const up = lines.filter((l) => l.from === id).map((l) => l.to);
    const t = up.length === 0 ? 0 : 1 + Math.max(...up.map((to) => tierOf(to, new Set(seen))));
    baseTier.set(id, t);
    return t;
  };
  for (const b of connected) tierOf(b.id);

  const build = (tiers: Map<string, number>) => arrange(connected, lines, tiers);
  let best = build(baseTier);
  // Moving a body down a tier (below all it reports to, still above all that report to it) can uncross lines.
  for (let round = 0; round < connected.length && best.crossings > 0; round++) {
    let improved = false;
    for (const b of connected) {
      const tiers = new Map(best.tiers);
      const below = lines.filter((l) => l.to === b.id).map((l) => tiers.get(l.from)!);
      const next = tiers.get(b.id)! + 1;
      if (below.some((t) => t <= next)) continue;
      if (lines.every((l) => l.from !== b.id)) continue; // a body nothing is above stays at the top
      tiers.set(b.id, next);
      const tried = build(tiers);
      if (tried.crossings < best.crossings) {
        best = tried;
        improved = true;
      }
    }
    if (!improved) break;
  }
  return place(best, lines, new Map(bodies.map((b) => [b.id, b.name])), alone);
}

interface Arrangement {
  tiers: Map<string, number>;
  rows: Slot[][];
  crossings: number;
}

/** Chooses each tier's order; counts crossings with lines drawn between slot centres. */
function arrange(bodies: readonly DiagramBody[], lines: readonly ReportingLine[], tiers: Map<string, number>): Arrangement {
  if (bodies.length === 0) return { tiers, rows: [], crossings: 0 };
  const depth = Math.max(0, ...[...tiers.values()]) + 1;
  const rows: Slot[][] = Array.from({ length: depth }, () => []);
  for (const b of bodies) rows[tiers.get(b.id)!]!.push({ kind: 'body', id: b.id });
  lines.forEach((l, i) => {
    for (let t = tiers.get(l.to)! + 1; t < tiers.get(l.from)!; t++) rows[t]!.push({ kind: 'passage', line: i });
  });
  // Where each slot sits, as a share of the row: enough to count crossings.
  const position = new Map<string, number>();
  const key = (s: Slot) => (s.kind === 'body' ? s.id : `line:${s.line}`);
  const place = (t: number, row: Slot[]) => row.forEach((s, i) => position.set(`${t}:${key(s)}`, (i + 0.5) / row.length));
  // The slot of line i in tier t: its passage there, or its end body.
  const slotOf = (i: number, t: number) => {
    const l = lines[i]!;
    if (tiers.get(l.to) === t) return `${t}:${l.to}`;
    if (tiers.get(l.from) === t) return `${t}:${l.from}`;
    return `${t}:line:${i}`;
  };
  /** Segments of every line between tier t-1 (above) and tier t. */
  const segments = (t: number) =>
    lines.flatMap((l, i) => (tiers.get(l.to)! <= t - 1 && tiers.get(l.from)! >= t ? [[slotOf(i, t - 1), slotOf(i, t)] as const] : []));
  const crossingsBetween = (t: number) => {
    const segs = segments(t).map(([up, down]) => [position.get(up)!, position.get(down)!] as const);
    let n = 0;
    for (let a = 0; a < segs.length; a++)
      for (let b = a + 1; b < segs.length; b++) if ((segs[a]![0] - segs[b]![0]) * (segs[a]![1] - segs[b]![1]) < 0) n++;
    return n;
  };
  place(0, rows[0]!);
  for (let t = 1; t < depth; t++) {
    // Where a slot's lines go in the tier above: its pull.
    const pull = (s: Slot) => {
      const ups = lines.flatMap((l, i) =>
        (s.kind === 'body' ? l.from === s.id || l.to === s.id : s.line === i) && tiers.get(l.to)! <= t - 1 && tiers.get(l.from)! >= t
          ? [position.get(slotOf(i, t - 1))!]
          : [],
      );
      return ups.length === 0 ? 0.5 : ups.reduce((a, x) => a + x, 0) / ups.length;
    };
    let bestOrder = rows[t]!;
    let fewest = Infinity;
    for (const order of orders(rows[t]!, pull)) {
      place(t, order);
      const n = crossingsBetween(t);
      if (n < fewest) [fewest, bestOrder] = [n, order];
      if (n === 0) break;
    }
    rows[t] = bestOrder;
    place(t, bestOrder);
  }
  let crossings = 0;
  for (let t = 1; t < depth; t++) crossings += crossingsBetween(t);
  return { tiers, rows, crossings };
}

/** Sizes and places the boxes, lines and labels of an arrangement. */
function place(arrangement: Arrangement, lines: readonly ReportingLine[], names: ReadonlyMap<string, string>, alone: readonly DiagramBody[]): FrameworkLayout {
  const { rows, tiers } = arrangement;
  const sized = rows.map((row) => {
    const bodies = row.filter((s): s is Extract<Slot, { kind: 'body' }> => s.kind === 'body');
    return { row, ...fit(bodies.length, row.length - bodies.length, bodies.map((b) => names.get(b.id) ?? b.id)) };
  });
  const rowWidth = (r: (typeof sized)[number]) =>
    r.row.reduce((sum, s) => sum + (s.kind === 'body' ? r.w : PASSAGE), 0) + GAP_X * Math.max(0, r.row.length - 1);
  const aloneFit = fit(alone.length, 0, alone.map((b) => b.name));
  const width = Math.max(MIN_WIDTH, ...sized.map((r) => rowWidth(r) + 2 * GAP_X), aloneFit.w + 2 * GAP_X);

  // Labels go in the gap just above the tier of the body that reports.
  const labelsAbove = (t: number) => lines.filter((l) => tiers.get(l.from) === t).length;
  const top: number[] = [];
  const bottom: number[] = [];
  const centre = new Map<string, number>(); // "tier:slot" → x
  const key = (s: Slot) => (s.kind === 'body' ? s.id : `line:${s.line}`);
  const boxes: BoxLayout[] = [];
  let y = 10;
  sized.forEach((r, t) => {
    if (t > 0) y += Math.max(64, labelsAbove(t) * LABEL_ROW + 36);
    top[t] = y;
    bottom[t] = y + r.h;
    let x = (width - rowWidth(r)) / 2;
    let b = 0;
    for (const slot of r.row) {
      const w = slot.kind === 'body' ? r.w : PASSAGE;
      centre.set(`${t}:${key(slot)}`, x + w / 2);
      if (slot.kind === 'body') boxes.push({ id: slot.id, x, y, w, h: r.h, text: r.wrapped[b++]! });
      x += w + GAP_X;
    }
    y += r.h;
  });
  const boxOf = new Map(boxes.map((b) => [b.id, b]));

  // The x of line i's slot in tier t (a passage, or the centre of its end body).
  const slotX = (i: number, t: number) => {
    const l = lines[i]!;
    const id = tiers.get(l.to) === t ? l.to : tiers.get(l.from) === t ? l.from : `line:${i}`;
    return centre.get(`${t}:${id}`)!;
  };
  // Ends spread along a box's edge, in the order of where each line goes next, so lines neither meet nor cross there.
  const port = (id: string, i: number, edge: 'top' | 'bottom') => {
    const b = boxOf.get(id)!;
    const t = tiers.get(id)!;
    const meeting = lines
      .map((l, j) => ({ l, j }))
      .filter(({ l }) => (edge === 'top' ? l.from === id : l.to === id))
      .sort((a, c) => slotX(a.j, edge === 'top' ? t - 1 : t + 1) - slotX(c.j, edge === 'top' ? t - 1 : t + 1) || a.j - c.j);
    const k = meeting.findIndex((m) => m.j === i);
    return b.x + (b.w * (k + 1)) / (meeting.length + 1);
  };

  const placed: LineLayout[] = lines.map((line, i) => {
    const from = tiers.get(line.from)!;
    const to = tiers.get(line.to)!;
    const points = [{ x: port(line.from, i, 'top'), y: top[from]! }];
    for (let t = from - 1; t > to; t--) {
      const x = slotX(i, t);
      points.push({ x, y: bottom[t]! }, { x, y: top[t]! });
    }
    points.push({ x: port(line.to, i, 'bottom'), y: bottom[to]! });
    return { line, points, label: { x: 0, y: 0, w: 0, h: LABEL_HEIGHT, text: labelText(line) } };
  });
  placeLabels(placed, tiers, bottom, width);
  if (alone.length === 0) return { width, height: y + 10, boxes, lines: placed, unconnected: undefined };
  const apart = placeUnconnected(alone, aloneFit, width, boxes.length > 0 ? y + 40 : y);
  return { width, height: apart.bottom + 10, boxes, lines: placed, unconnected: apart.unconnected };
}

/** Boxes for `count` bodies in a row with `passages` lines passing through: one width and height for all, each text wrapped to fit. */
function fit(count: number, passages: number, texts: string[]) {
  const share = (MIN_WIDTH - GAP_X * (count + passages + 1) - passages * PASSAGE) / Math.max(count, 1);
  let w = Math.min(190, Math.max(110, share));
  const longestWord = Math.max(0, ...texts.flatMap((t) => t.split(/\s+/)).map((word) => word.length));
  w = Math.max(w, longestWord * FONT * GLYPH + 2 * PAD);
  const maxChars = Math.max(1, Math.floor((w - 2 * PAD) / (FONT * GLYPH)));
  const wrapped = texts.map((t) => wrap(t, maxChars));
  const h = Math.max(1, ...wrapped.map((l) => l.length)) * LINE + 2 * PAD;
  return { w, h, wrapped };
}

/** Each label on its own line, in a row of its own in the gap above the reporting body (sets each line's `label`). */
function placeLabels(placed: LineLayout[], tiers: ReadonlyMap<string, number>, bottom: readonly number[], width: number): void {
  for (let t = 1; t < bottom.length; t++) {
    const here = placed.filter((p) => tiers.get(p.line.from) === t).sort((a, b) => a.points[0]!.x - b.points[0]!.x);
    here.forEach((p, r) => {
      const [a, b] = [p.points[0]!, p.points[1]!];
      const cy = bottom[t - 1]! + 22 + r * LABEL_ROW + LABEL_HEIGHT / 2;
      const cx = a.x + ((b.x - a.x) * (cy - a.y)) / (b.y - a.y);
      const w = p.label.text.length * LABEL_FONT * GLYPH + 10;
      p.label.w = w;
      p.label.x = Math.min(Math.max(2, cx - w / 2), width - w - 2);
      p.label.y = cy - LABEL_HEIGHT / 2;
    });
  }
}

/** Bodies no line joins, under their heading from `y` down, as many to a row as fit; and where they end. */
function placeUnconnected(alone: readonly DiagramBody[], size: ReturnType<typeof fit>, width: number, y: number) {
  const heading = { x: GAP_X, y: y + FONT, text: UNCONNECTED_HEADING };
  y += FONT + 12;
  const perRow = Math.max(1, Math.floor((width - GAP_X) / (size.w + GAP_X)));
  const apart: BoxLayout[] = [];
  alone.forEach((b, i) => {
    const column = i % perRow;
    if (i > 0 && column === 0) y += size.h + GAP_X;
    apart.push({ id: b.id, x: GAP_X + column * (size.w + GAP_X), y, w: size.w, h: size.h, text: size.wrapped[i]! });
  });
  return { unconnected: { heading, boxes: apart }, bottom: y + size.h };
}

/**
 * The SVG: boxes for bodies, an arrow for each reporting line with its frequency
 * on it, and bodies no line joins set apart under a heading. Every piece of data
 * text is escaped.
 */
export function frameworkDiagram(
  bodies: readonly DiagramBody[],
  lines: readonly ReportingLine[],
  ids: { title: string; desc: string },
  title: string,
): string {
  const layout = layoutFramework(bodies, lines);
  const box = (b: BoxLayout, extra = '') => {
    const top = b.y + b.h / 2 - ((b.text.length - 1) * LINE) / 2 + FONT / 3;
    const text = b.text
      .map((l, i) => `<tspan x="${(b.x + b.w / 2).toFixed(1)}" y="${(top + i * LINE).toFixed(1)}">${escapeXml(l)}</tspan>`)
      .join('');
    return (
      `<g class="fw-body${extra}"><rect x="${b.x.toFixed(1)}" y="${b.y.toFixed(1)}" width="${b.w.toFixed(1)}" height="${b.h.toFixed(1)}" rx="6"/>` +
      `<text text-anchor="middle">${text}</text></g>`
    );
  };
  const arrows = layout.lines.map((l) => {
    const points = l.points.map((p, i) => (i === l.points.length - 1 ? { x: p.x, y: p.y + 6 } : p));
    return `<polyline points="${points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')}" class="fw-line" marker-end="url(#fw-arrow)"/>`;
  });
  const labels = layout.lines.map(
    ({ label }) =>
      `<g class="fw-label"><rect x="${label.x.toFixed(1)}" y="${label.y.toFixed(1)}" width="${label.w.toFixed(1)}" height="${label.h}" rx="3"/>` +
      `<text x="${(label.x + label.w / 2).toFixed(1)}" y="${(label.y + 15).toFixed(1)}" text-anchor="middle">${escapeXml(label.text)}</text></g>`,
  );
  const apart = layout.unconnected
    ? [
        `<text x="${layout.unconnected.heading.x}" y="${layout.unconnected.heading.y}" class="fw-apart">${escapeXml(layout.unconnected.heading.text)}</text>`,
        ...layout.unconnected.boxes.map((b) => box(b, ' fw-alone')),
      ]
    : [];
  const description = describeLines(bodies, lines).join(' ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="fw-diagram" viewBox="0 0 ${layout.width.toFixed(0)} ${layout.height.toFixed(0)}" role="img" aria-labelledby="${ids.title} ${ids.desc}">`,
    `<title id="${ids.title}">${escapeXml(title)}</title>`,
    `<desc id="${ids.desc}">${escapeXml(description)}</desc>`,
    `<defs><marker id="fw-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>`,
    ...arrows,
    ...layout.boxes.map((b) => box(b)),
    ...labels,
    ...apart,
    `</svg>`,
  ].join('\n');
}
