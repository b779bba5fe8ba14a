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
const CLIP = new Set(['W', 'W*']);

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

interface Operator {
  name: string;
  /** Offset of this operator's first operand (or of the operator itself). */
  start: number;
  /** Offset just after the operator. */
  end: number;
}

/** Splits a content stream into operators, each with the span of its operands. */
export function operators(bytes: Uint8Array): Operator[] {
  const ops: Operator[] = [];
  let i = 0;
  let operandStart = -1;
  const n = bytes.length;
  const markOperand = (at: number) => {
    if (operandStart < 0) operandStart = at;
  };
  while (i < n) {
    const b = bytes[i]!;
    if (WHITESPACE.has(b)) {
      i++;
    } else if (b === 0x25) {
      // % comment to end of line
      while (i < n && bytes[i] !== 0x0a && bytes[i] !== 0x0d) i++;
    } else if (b === 0x28) {
      // (literal string) with nesting and escapes
      markOperand(i);
      let depth = 0;
      for (; i < n; i++) {
        const c = bytes[i]!;
        if (c === 0x5c) i++;
        else if (c === 0x28) depth++;
        else if (c === 0x29 && --depth === 0) break;
      }
      i++;
    } else if (b === 0x3c && bytes[i + 1] === 0x3c) {
      markOperand(i);
      i += 2;
    } else if (b === 0x3e && bytes[i + 1] === 0x3e) {
      i += 2;
    } else if (b === 0x3c) {
      // <hex string>
      markOperand(i);
      while (i < n && bytes[i] !== 0x3e) i++;
      i++;
    } else if (b === 0x5b || b === 0x5d || b === 0x7b || b === 0x7d) {
      if (b === 0x5b || b === 0x7b) markOperand(i);
      i++;
    } else if (b === 0x2f) {
      // /Name
      markOperand(i);
      i++;
      while (i < n && !WHITESPACE.has(bytes[i]!) && !DELIMITERS.has(bytes[i]!)) i++;
    } else {
      const start = i;
      while (i < n && !WHITESPACE.has(bytes[i]!) && !DELIMITERS.has(bytes[i]!)) i++;
      if (i === start) {
        i++; // a stray delimiter such as ')'; skip it
        continue;
      }
      const token = String.fromCharCode(...bytes.subarray(start, i));
      if (NUMBER.test(token) || token === 'true' || token === 'false' || token === 'null') {
        markOperand(start);
        continue;
      }
      ops.push({ name: token, start: operandStart < 0 ? start : operandStart, end: i });
      operandStart = -1;
      if (token === 'ID') {
        // Inline image data runs to "EI" after whitespace.
        while (i < n && !(WHITESPACE.has(bytes[i - 1]!) && bytes[i] === 0x45 && bytes[i + 1] === 0x49)) i++;
      }
    }
  }
  return ops;
}

const ARTIFACT_OPEN = '/Artifact <</Type /Pagination>> BDC\n';
const ARTIFACT_CLOSE = '\nEMC';

/**
 * Wraps every painted object outside marked content in `/Artifact` marked content.
 * Returns the new stream and how many objects it wrapped.
 */
export function markUntaggedAsArtifacts(bytes: Uint8Array): { bytes: Uint8Array; wrapped: number } {
  const ops = operators(bytes);
  const inserts: { at: number; text: string }[] = [];
  let marked = 0; // depth of marked content
  let unitStart = -1; // start of the current text object or path, when outside marked content
  for (const op of ops) {
    const { name } = op;
    if (name === 'BDC' || name === 'BMC') {
      marked++;
      continue;
    }
    if (name === 'EMC') {
      marked = Math.max(0, marked - 1);
      continue;
    }
    if (marked > 0) continue;
    if (name === 'BT' || (PATH_CONSTRUCTION.has(name) && unitStart < 0) || name === 'BI') {
      unitStart = op.start;
    } else if (name === 'ET' || PATH_PAINTING.has(name) || name === 'EI') {
      if (unitStart >= 0) inserts.push({ at: unitStart, text: ARTIFACT_OPEN }, { at: op.end, text: ARTIFACT_CLOSE });
      unitStart = -1;
    } else if (name === 'n') {
      unitStart = -1; // a clipping path paints nothing
    } else if (name === 'Do' || name === 'sh') {
      inserts.push({ at: op.start, text: ARTIFACT_OPEN }, { at: op.end, text: ARTIFACT_CLOSE });
    } else if (CLIP.has(name)) {
      // part of the current path
    }
  }
  if (inserts.length === 0) return { bytes, wrapped: 0 };
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const { at, text } of inserts) {
    parts.push(bytes.subarray(from, at), encoder.encode(text));
    from = at;
  }
  parts.push(bytes.subarray(from));
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return { bytes: out, wrapped: inserts.length / 2 };
}
