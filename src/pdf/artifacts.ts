/**
 * Chromium prints the running header and footer outside any marked content: text
 * that is neither tagged nor an artifact, which fails PDF/UA. This marks every
 * painted object that sits outside marked content as a pagination artifact.
 *
 * It works on one decoded page content stream, token by token, and only ever
 * inserts `/Artifact … BDC` before and `EMC` after a whole text object (BT…ET),
 * a whole painted path, an XObject, a shading or an inline image, so the result
 * nests correctly with q/Q and BT/ET.
 */

const PATH_CONSTRUCTION = new Set(['m', 'l', 'c', 'v', 'y', 'h', 're']);
const PATH_PAINTING = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*']);

/** Byte classes, looked up once per byte: this runs over every byte of every page. */
const OTHER = 0;
const SPACE = 1;
const DELIMITER = 2;
const CLASS = new Uint8Array(256);
for (const b of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CLASS[b] = SPACE;
for (const b of [0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]) CLASS[b] = DELIMITER;

/** Whether a regular token starting with this byte is a number (`+-.0-9`), not an operator. */
const startsNumber = (b: number) => (b >= 0x30 && b <= 0x39) || b === 0x2b || b === 0x2d || b === 0x2e;

/** The operator's name. */
function operatorName(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

export interface Operator {
  name: string;
  /** Offset of this operator's first operand (or of the operator itself). */
  start: number;
  /** Offset just after the operator. */
  end: number;
}

/**
 * Splits a content stream into operators, each with the span of its operands, and
 * calls `visit` for each in order. Operands are skipped without being decoded.
 */
export function forEachOperator(bytes: Uint8Array, visit: (op: Operator) => void): void {
  let i = 0;
  let operandStart = -1;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    const kind = CLASS[b]!;
    if (kind === SPACE) {
      i++;
    } else if (kind === OTHER) {
      const start = i;
      while (i < n && CLASS[bytes[i]!] === OTHER) i++;
      const length = i - start;
      if (startsNumber(b) || (length === 4 && (b === 0x74 || b === 0x6e)) || (length === 5 && b === 0x66)) {
        // a number, or (almost surely) true / null / false: check the rare words exactly
        const word = length >= 4 && !startsNumber(b) ? String.fromCharCode(...bytes.subarray(start, i)) : '';
        if (word === '' || word === 'true' || word === 'null' || word === 'false') {
          if (operandStart < 0) operandStart = start;
          continue;
        }
      }
      const name = operatorName(bytes, start, i);
      visit({ name, start: operandStart < 0 ? start : operandStart, end: i });
      operandStart = -1;
      if (name === 'ID') {
        // Inline image data runs to "EI" after whitespace.
        while (i < n && !(CLASS[bytes[i - 1]!] === SPACE && bytes[i] === 0x45 && bytes[i + 1] === 0x49)) i++;
      }
    } else if (b === 0x25) {
      // % comment to end of line
      while (i < n && bytes[i] !== 0x0a && bytes[i] !== 0x0d) i++;
    } else if (b === 0x28) {
      // (literal string) with nesting and escapes
      if (operandStart < 0) operandStart = i;
      let depth = 0;
      for (; i < n; i++) {
        const c = bytes[i]!;
        if (c === 0x5c) i++;
        else if (c === 0x28) depth++;
        else if (c === 0x29 && --depth === 0) break;
      }
      i++;
    } else if (b === 0x3c && bytes[i + 1] === 0x3c) {
      if (operandStart < 0) operandStart = i;
      i += 2;
    } else if (b === 0x3e && bytes[i + 1] === 0x3e) {
      i += 2;
    } else if (b === 0x3c) {
      // <hex string>: most of a page's bytes are the text it shows, so find its end natively
      if (operandStart < 0) operandStart = i;
      const close = bytes.indexOf(0x3e, i);
      i = close < 0 ? n + 1 : close + 1;
    } else if (b === 0x5b || b === 0x7b) {
      if (operandStart < 0) operandStart = i;
      i++;
    } else if (b === 0x2f) {
      // /Name
      if (operandStart < 0) operandStart = i;
      i++;
      while (i < n && CLASS[bytes[i]!] === OTHER) i++;
    } else {
      i++; // ] } or a stray delimiter such as ')'
    }
  }
}

const ARTIFACT_OPEN = '/Artifact <</Type /Pagination>> BDC\n';
const ARTIFACT_CLOSE = '\nEMC';

/** Text to put into a content stream at an offset of the original. */
export interface Insert {
  at: number;
  text: string;
}

/**
 * Follows a content stream operator by operator (`visit`) and collects where
 * `/Artifact` marked content must open and close around every painted object
 * outside marked content.
 */
export function artifactMarker(): { visit: (op: Operator) => void; inserts: Insert[] } {
  const inserts: Insert[] = [];
  let marked = 0; // depth of marked content
  let unitStart = -1; // start of the current text object or path, when outside marked content
  const visit = (op: Operator) => {
    const { name } = op;
    if (name === 'BDC' || name === 'BMC') {
      marked++;
      return;
    }
    if (name === 'EMC') {
      marked = Math.max(0, marked - 1);
      return;
    }
    if (marked > 0) return;
    if (name === 'BT' || (PATH_CONSTRUCTION.has(name) && unitStart < 0) || name === 'BI') {
      unitStart = op.start;
    } else if (name === 'ET' || PATH_PAINTING.has(name) || name === 'EI') {
      if (unitStart >= 0) inserts.push({ at: unitStart, text: ARTIFACT_OPEN }, { at: op.end, text: ARTIFACT_CLOSE });
      unitStart = -1;
    } else if (name === 'n') {
      unitStart = -1; // a clipping path paints nothing
    } else if (name === 'Do' || name === 'sh') {
      inserts.push({ at: op.start, text: ARTIFACT_OPEN }, { at: op.end, text: ARTIFACT_CLOSE });
    }
    // W and W* (clipping) are part of the current path; other operators change state only.
  };
  return { visit, inserts };
}

/** The stream with each insert's text put in at its offset (inserts in order of offset). */
export function applyInserts(bytes: Uint8Array, inserts: readonly Insert[]): Uint8Array {
  if (inserts.length === 0) return bytes;
  // A page has hundreds of inserts but only a few texts (an artifact's marks, a font's space): encode each once.
  const encoder = new TextEncoder();
  const encoded = new Map<string, Uint8Array>();
  let total = bytes.length;
  for (const { text } of inserts) {
    let bytesOfText = encoded.get(text);
    if (!bytesOfText) encoded.set(text, (bytesOfText = encoder.encode(text)));
    total += bytesOfText.length;
  }
  const out = new Uint8Array(total);
  let from = 0;
  let offset = 0;
  for (const { at, text } of inserts) {
    out.set(bytes.subarray(from, at), offset);
    offset += at - from;
    const bytesOfText = encoded.get(text)!;
    out.set(bytesOfText, offset);
    offset += bytesOfText.length;
    from = at;
  }
  out.set(bytes.subarray(from), offset);
  return out;
}
