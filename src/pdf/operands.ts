/**
 * Reads the operands of one operator of a content stream, from the span
 * `forEachOperator` (artifacts.ts) gives it. spaces.ts reads the operands
 * of every Tf, Tm, Td, Tj, TJ and BDC: hundreds of thousands on a long report, so
 * this builds no string or array it does not return.
 */

export type Operand = number | string | Uint8Array | Operand[] | undefined;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;
const isDelimiter = (b: number) =>
  b === 0x2f || b === 0x3c || b === 0x3e || b === 0x5b || b === 0x5d || b === 0x28 || b === 0x29 || b === 0x25 || b === 0x7b || b === 0x7d;
const isRegular = (b: number) => !isSpace(b) && !isDelimiter(b);

/** Where a reader is in the stream; each reader moves it past what it read. */
interface Cursor {
  at: number;
}

/** The bytes as Latin-1 text: a loop, since spreading a subarray into `fromCharCode` copies it into arguments first. */
function text(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** A dictionary: only its /MCID matters, kept as the string "<<MCID>>". */
function dictionary(bytes: Uint8Array, cursor: Cursor, end: number): string {
  let depth = 0;
  const from = cursor.at;
  let i = from;
  for (; i < end; i++) {
    if (bytes[i] === 0x3c && bytes[i + 1] === 0x3c) (depth++, i++);
    else if (bytes[i] === 0x3e && bytes[i + 1] === 0x3e && (i++, --depth === 0)) break;
  }
  cursor.at = i + 1;
  return /\/MCID\b/.test(text(bytes, from, cursor.at)) ? '<<MCID>>' : '<<>>';
}

/**
 * A <hex string>, as bytes; what is not a hex digit is skipped, and an odd last digit
 * is followed by 0.
 */
function hexString(bytes: Uint8Array, cursor: Cursor, end: number): Uint8Array {
  let close = cursor.at + 1;
  while (close < end && bytes[close] !== 0x3e) close++;
  const out = new Uint8Array((close - cursor.at) >> 1);
  let length = 0;
  let high = -1;
  for (let i = cursor.at + 1; i < close; i++) {
    const c = bytes[i]!;
    const nibble = c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
    if (isSpace(c) || nibble < 0 || nibble > 15) continue;
    if (high < 0) high = nibble;
    else (out[length++] = (high << 4) | nibble), (high = -1);
  }
  if (high >= 0) out[length++] = high << 4;
  cursor.at = close + 1;
  return out.subarray(0, length);
}

/** What follows a backslash in a literal string, for the escapes that are one letter. */
const ESCAPES: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12 };

/** A (literal string), as bytes: nested parentheses, escapes, octal codes and escaped line ends. */
function literalString(bytes: Uint8Array, cursor: Cursor, end: number): Uint8Array {
  const out: number[] = [];
  let depth = 1;
  let i = cursor.at + 1;
  for (; i < end; i++) {
    const c = bytes[i]!;
    if (c === 0x5c) {
      const n = bytes[++i]!;
      if (n >= 0x30 && n <= 0x37) {
        let octal = '';
        while (octal.length < 3 && bytes[i]! >= 0x30 && bytes[i]! <= 0x37) octal += String.fromCharCode(bytes[i++]!);
        i--;
        out.push(parseInt(octal, 8) & 0xff);
      } else if (n === 0x0a || n === 0x0d) {
        if (n === 0x0d && bytes[i + 1] === 0x0a) i++;
      } else out.push(ESCAPES[n] ?? n);
    } else if (c === 0x28) (depth++, out.push(c));
    else if (c === 0x29) {
      if (--depth === 0) break;
      out.push(c);
    } else out.push(c);
  }
  cursor.at = i + 1;
  return Uint8Array.from(out);
}

/**
 * A number written as plain decimal (`-12`, `.5`, `841.91998`), or undefined for any
 * other token. With at most 15 digits the digits and the power of ten are exact
 * doubles, so one division rounds as `Number` does: the same value, with no string.
 */
function plainNumber(bytes: Uint8Array, cursor: Cursor, end: number): number | undefined {
  let i = cursor.at;
  const sign = bytes[i];
  if (sign === 0x2d || sign === 0x2b) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 1;
  let dot = false;
  for (; i < end; i++) {
    const c = bytes[i]!;
    if (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      if (dot) scale *= 10;
    } else if (c === 0x2e && !dot) dot = true;
    else break;
  }
  if (digits === 0 || digits > 15 || (i < end && isRegular(bytes[i]!))) return undefined;
  cursor.at = i;
  const value = mantissa / scale;
  return sign === 0x2d ? -value : value;
}

/** A name (as "/Name"), a number, or any other word (`true`, a stray delimiter) as its text. */
function word(bytes: Uint8Array, cursor: Cursor, end: number): number | string {
  const from = cursor.at;
  if (bytes[from] !== 0x2f) {
    const n = plainNumber(bytes, cursor, end);
    if (n !== undefined) return n;
  }
  let i = from + 1;
  // A stray delimiter (`}`, `)`) is a word of its own.
  if (bytes[from] === 0x2f || isRegular(bytes[from]!)) while (i < end && isRegular(bytes[i]!)) i++;
  cursor.at = i;
  const s = text(bytes, from, i);
  if (bytes[from] === 0x2f) return s;
  const n = Number(s);
  return Number.isNaN(n) ? s : n;
}

/** Reads the operands of one operator: numbers, names (as "/Name"), strings (as bytes) and arrays. */
export function readOperands(bytes: Uint8Array, start: number, end: number): Operand[] {
  const stack: Operand[][] = [[]];
  const cursor: Cursor = { at: start };
  while (cursor.at < end) {
    const b = bytes[cursor.at]!;
    const top = stack[stack.length - 1]!;
    if (b === 0x3c && bytes[cursor.at + 1] === 0x3c) top.push(dictionary(bytes, cursor, end));
    else if (b === 0x3c) top.push(hexString(bytes, cursor, end));
    else if (b === 0x28) top.push(literalString(bytes, cursor, end));
    else if (b === 0x5b) (stack.push([]), cursor.at++);
    else if (b === 0x5d) {
      const array = stack.pop()!;
      stack[stack.length - 1]!.push(array);
      cursor.at++;
    } else if (isSpace(b)) cursor.at++;
    else top.push(word(bytes, cursor, end));
  }
  return stack[0]!;
}

/** The string a Tj (or ' or ") shows: its last operand, as `readOperands` reads it. */
export function readShownString(bytes: Uint8Array, start: number, end: number): Operand {
  return readOperands(bytes, start, end).at(-1);
}
