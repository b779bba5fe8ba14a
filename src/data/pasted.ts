/**
 * Characters that come into the data with text pasted from Word or a web page:
 * bullets, and characters that look like a space or like nothing at all (named as
 * Unicode names them, so a message can say which one is there).
 */

/** Bullets that Word and web pages paste at the start of a list item, instead of YAML's or Markdown's "- ". */
export const WORD_BULLET = /^[•◦▪▫●○■□‣⁃∙·➢➤►❖\uf0a7\uf0b7\uf076\uf0d8](?=[ \t\u00a0]|$)/;

const NAMES: Record<number, string> = {
  0x00a0: 'NO-BREAK SPACE',
  0x00ad: 'SOFT HYPHEN',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x2000: 'EN QUAD',
  0x2001: 'EM QUAD',
  0x2002: 'EN SPACE',
  0x2003: 'EM SPACE',
  0x2004: 'THREE-PER-EM SPACE',
  0x2005: 'FOUR-PER-EM SPACE',
  0x2006: 'SIX-PER-EM SPACE',
  0x2007: 'FIGURE SPACE',
  0x2008: 'PUNCTUATION SPACE',
  0x2009: 'THIN SPACE',
  0x200a: 'HAIR SPACE',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202f: 'NARROW NO-BREAK SPACE',
  0x205f: 'MEDIUM MATHEMATICAL SPACE',
  0x2060: 'WORD JOINER',
  0x3000: 'IDEOGRAPHIC SPACE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

const CLASS = `[${Object.keys(NAMES).map((c) => `\\u${Number(c).toString(16).padStart(4, '0')}`).join('')}]`;

/** Any one of them (global: use with replace or matchAll). */
export const INVISIBLE = new RegExp(CLASS, 'g');
const ANY_INVISIBLE = new RegExp(CLASS);

/** True if `text` holds any of them: one quick test before looking closer. */
export function hasInvisible(text: string): boolean {
  return ANY_INVISIBLE.test(text);
}

/** Those that have no width at all: out of place anywhere in a value, not only at its ends. */
const ZERO_WIDTH = new Set([0x00ad, 0x180e, 0x200b, 0x2060, 0xfeff]);

/** True for the characters above. */
export function isInvisible(char: string): boolean {
  return NAMES[char.charCodeAt(0)] !== undefined;
}

/** True for an invisible character with no width, which has no place anywhere in a value. */
export function isZeroWidth(char: string): boolean {
  return ZERO_WIDTH.has(char.charCodeAt(0));
}

/** "a NO-BREAK SPACE (U+00A0)". */
export function nameOf(char: string): string {
  const code = char.charCodeAt(0);
  const name = NAMES[code] ?? 'invisible character';
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** The first invisible character in `text` and its index, if any. */
export function firstInvisible(text: string): { char: string; index: number } | undefined {
  const match = ANY_INVISIBLE.exec(text);
  return match ? { char: match[0], index: match.index } : undefined;
}
