/**
 * Chromium draws no glyph where a line of text wraps at a space: the space is
 * dropped at the end of the line, so the words of the tagged text, which a screen
 * reader reads, run together ("Children'sSocial Care"). This puts a space glyph at
 * the end of every line of tagged text that does not end in one, in the line's own
 * marked content, where it draws nothing and moves nothing on the page.
 *
 * A line that ends in a hyphen or a slash broke inside a word ("multi-" / "agency",
 * a URL after its slashes) and keeps no space. Like `artifacts.ts` it works on
 * one decoded page content stream, token by token, and only inserts operators.
 */
import type { Insert, Operator } from './artifacts.js';
import { readOperands, readShownString } from './operands.js';

/** What the page's content needs to know of one of its fonts, by resource name. */
export interface PageFont {
  /** 1 for simple fonts, 2 for Identity-H composite fonts (all Chromium prints). */
  bytesPerCode: 1 | 2;
  /** Character code → the text it stands for, from the font's ToUnicode map. */
  toUnicode: Map<number, string>;
  /** The code that draws a space, if the font has one. */
  space?: number;
  /** Advance width of a code, in thousandths of the font size. */
  width: (code: number) => number;
}

/** After these, a line broke inside a word (or the space is there already). */
const NO_SPACE_AFTER = /[\s\-\u2010\u00ad/\u200b]$/u;
/** Before these, the next line starts with a space already. */
const NO_SPACE_BEFORE = /^\s/u;

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
/** m × n, as PDF composes transformations. */
const times = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];

/** What a shown string draws: its first and last characters, and how far it advances (thousandths of the font size). */
interface Shown {
  first: string;
  last: string;
  advance: number;
}

function measure(font: PageFont | undefined, strings: readonly Uint8Array[]): Shown {
  const shown: Shown = { first: '', last: '', advance: 0 };
  if (!font) return shown;
  for (const string of strings) {
    for (let i = 0; i + font.bytesPerCode <= string.length; i += font.bytesPerCode) {
      const code = font.bytesPerCode === 2 ? (string[i]! << 8) | string[i + 1]! : string[i]!;
      const text = font.toUnicode.get(code) ?? '\ufffd';
      if (shown.first === '') shown.first = text;
      shown.last = text;
      shown.advance += font.width(code);
    }
  }
  return shown;
}

const hexCode = (code: number, bytes: 1 | 2) => `<${code.toString(16).padStart(bytes * 2, '0')}>`;

interface Line {
  /** Where a space goes: just after the line's last text-showing operator. */
  at: number;
  y: number;
  /** Where the last glyph ends. */
  endX: number;
  size: number;
  last: string;
  font: string;
  fontSize: number;
}

/** Where text is drawn and in which font: the graphics and text state of a content stream, as far as line ends need it. */
function textState(bytes: Uint8Array) {
  const ctmStack: Matrix[] = [];
  let leading = 0;
  let tlm: Matrix = IDENTITY;
  const state = { ctm: IDENTITY as Matrix, tm: IDENTITY as Matrix, font: '', fontSize: 0 };
  const operands = (op: Operator, name: string) => readOperands(bytes, op.start, op.end - name.length);
  const nextLine = () => (state.tm = tlm = times([1, 0, 0, 1, 0, -leading], tlm));
  /** Follows one operator that saves, restores or moves the state, or sets the font. */
  const visit = (op: Operator) => {
    const { name } = op;
    switch (name) {
      case 'q':
        ctmStack.push(state.ctm);
        break;
      case 'Q':
        state.ctm = ctmStack.pop() ?? IDENTITY;
        break;
      case 'cm': {
        const m = operands(op, name) as number[];
        if (m.length === 6) state.ctm = times(m as Matrix, state.ctm);
        break;
      }
      case 'BT':
        state.tm = tlm = IDENTITY;
        break;
      case 'Tf': {
        const [f, size] = operands(op, name);
        if (typeof f === 'string') state.font = f;
        if (typeof size === 'number') state.fontSize = size;
        break;
      }
      case 'TL':
        leading = Number(operands(op, name)[0]) || 0;
        break;
      case 'Tm': {
        const m = operands(op, name) as number[];
        if (m.length === 6) state.tm = tlm = m as Matrix;
        break;
      }
      case 'Td':
      case 'TD': {
        const [tx, ty] = operands(op, name) as number[];
        if (name === 'TD') leading = -(ty ?? 0);
        state.tm = tlm = times([1, 0, 0, 1, tx ?? 0, ty ?? 0], tlm);
        break;
      }
      case 'T*':
      case "'":
      case '"':
        nextLine();
        break;
    }
  };
  return { state, visit };
}

/** Marked content: whether what is drawn now is tagged (inside marked content with an MCID) and in no artifact. */
function markedContent(bytes: Uint8Array) {
  const marks: ('tagged' | 'artifact' | 'other')[] = [];
  let tagged = 0;
  let artifacts = 0;
  return {
    visit(op: Operator) {
      if (op.name === 'BDC' || op.name === 'BMC') {
        const [tag, properties] = readOperands(bytes, op.start, op.end - 3);
        const mark = tag === '/Artifact' ? 'artifact' : properties === '<<MCID>>' ? 'tagged' : 'other';
        marks.push(mark);
        if (mark === 'tagged') tagged++;
        if (mark === 'artifact') artifacts++;
      } else if (op.name === 'EMC') {
        const mark = marks.pop();
        if (mark === 'tagged') tagged--;
        if (mark === 'artifact') artifacts--;
      }
    },
    inTags: () => tagged > 0 && artifacts === 0,
  };
}

/**
 * Inserts a space glyph at the end of every line of tagged text that does not end
 * in a space, a hyphen or a slash. Lines are told apart by their baseline on the
 * page, and pieces of one line by a gap wider than a space (a contents entry and
 * its page number, the cells of a table row); text in artifacts or outside marked
 * content is left alone. A visitor of the stream's operators (`visit`, in order), so
 * one pass over a page can do this and other work; `finish` gives the inserts.
 */
export function lineEndSpacer(bytes: Uint8Array, fonts: ReadonlyMap<string, PageFont>): { visit: (op: Operator) => void; finish: () => Insert[] } {
  const spaceFont = [...fonts].find(([, f]) => f.space !== undefined);
  const inserts: Insert[] = [];
  const text = textState(bytes);
  const marked = markedContent(bytes);
  let pending: Line | undefined;

  const endLine = (next?: string) => {
    if (!pending) return;
    const line = pending;
    pending = undefined;
    if (line.last === '' || NO_SPACE_AFTER.test(line.last) || (next !== undefined && NO_SPACE_BEFORE.test(next))) return;
    const own = fonts.get(line.font);
    if (own?.space !== undefined) {
      inserts.push({ at: line.at, text: `\n${hexCode(own.space, own.bytesPerCode)} Tj` });
    } else if (spaceFont) {
      const [name, other] = spaceFont;
      inserts.push({
        at: line.at,
        text: `\n${name} ${line.fontSize} Tf ${hexCode(other.space!, other.bytesPerCode)} Tj ${line.font} ${line.fontSize} Tf`,
      });
    }
  };

  const show = (op: { end: number }, strings: Uint8Array[]) => {
    const { ctm, tm, font, fontSize } = text.state;
    const shown = measure(fonts.get(font), strings);
    if (shown.last === '') return;
    const trm = times(tm, ctm);
    const [x, y] = [trm[4], trm[5]];
    const size = Math.abs(fontSize) * Math.hypot(trm[2], trm[3]);
    const endX = x + (shown.advance / 1000) * Math.abs(fontSize) * Math.hypot(trm[0], trm[1]);
    if (pending) {
      const em = Math.min(size, pending.size);
      const newLine = Math.abs(y - pending.y) > 0.5 * em;
      const gap = x - pending.endX;
      if (newLine || gap > 0.2 * em || gap < -em) endLine(shown.first);
    }
    pending = { at: op.end, y, endX, size, last: shown.last, font, fontSize };
  };

  const visit = (op: Operator) => {
    text.visit(op);
    marked.visit(op);
    if (!marked.inTags()) return;
    if (op.name === 'Tj' || op.name === "'" || op.name === '"') {
      const string = readShownString(bytes, op.start, op.end - op.name.length);
      if (string instanceof Uint8Array) show(op, [string]);
    } else if (op.name === 'TJ') {
      const array = readOperands(bytes, op.start, op.end - 2)[0];
      if (Array.isArray(array)) show(op, array.filter((s): s is Uint8Array => s instanceof Uint8Array));
    }
  };
  return {
    visit,
    finish: () => {
      endLine();
      return inserts;
    },
  };
}

/** Parses a ToUnicode CMap (its bfchar and bfrange sections) into code → text. */
export function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string) => {
    const units = hex.match(/.{1,4}/g)?.map((h) => parseInt(h.padEnd(4, '0'), 16)) ?? [];
    return String.fromCharCode(...units);
  };
  for (const section of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, src, dst] of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>/g)) map.set(parseInt(src!, 16), utf16(dst!));
  }
  for (const section of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, dst, list] of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(?:<([0-9a-fA-F]+)>|\[([^\]]*)\])/g)) {
      const first = parseInt(lo!, 16);
      const last = parseInt(hi!, 16);
      if (last - first > 0xffff) continue;
      if (dst !== undefined) {
        const base = utf16(dst);
        const lastUnit = base.charCodeAt(base.length - 1);
        for (let c = first; c <= last; c++) map.set(c, base.slice(0, -1) + String.fromCharCode(lastUnit + (c - first)));
      } else {
        const items = [...list!.matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => utf16(m[1]!));
        items.forEach((text, k) => map.set(first + k, text));
      }
    }
  }
  return map;
}
