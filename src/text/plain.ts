import { Lexer } from 'marked';
import type { Token, Tokens } from 'marked';
import { replaceReferences } from './references.js';
import type { ReferenceLookup } from './references.js';

// Data text as the reader reads it, for a diff: Markdown's marks gone, references as the
// report prints them. A change of wording is then shown in the words people see
// ("See Appendix 2"), not in the source ("**See [[appendix:chronology]]**").

/** What references find, as text/markdown.ts's AppendixLookup but for the number only. */
export type PlainLookup = ReferenceLookup<{ number: number }, { number: string }>;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** `&amp;`, `&#39;` and the like as the characters they stand for. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The words of inline tokens: emphasis, links and code as their text; HTML tags dropped. */
function inlineText(tokens: readonly Token[]): string {
  return tokens
    .map((t) => {
      if (t.type === 'html') return '';
      if (t.type === 'br') return ' ';
      if ('tokens' in t && Array.isArray(t.tokens) && t.tokens.length > 0) return inlineText(t.tokens);
      return 'text' in t && typeof t.text === 'string' ? t.text : '';
    })
    .join('');
}

/** Block tokens as lines: paragraphs apart by a blank line, list items each on a line with its marker. */
function blockText(tokens: readonly Token[]): string[] {
  const blocks: string[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case 'space':
      case 'hr':
      case 'html':
        break;
      case 'list': {
        const list = t as Tokens.List;
        const start = Number(list.start || 1);
        blocks.push(list.items.map((item, i) => `${list.ordered ? `${start + i}.` : '-'} ${blockText(item.tokens).join(' ')}`).join('\n'));
        break;
      }
      case 'table': {
        const table = t as Tokens.Table;
        blocks.push([table.header, ...table.rows].map((row) => row.map((c) => inlineText(c.tokens)).join(' | ')).join('\n'));
        break;
      }
      case 'blockquote':
      case 'list_item':
        blocks.push(...blockText((t as Tokens.Blockquote).tokens));
        break;
      default:
        if ('tokens' in t && Array.isArray(t.tokens)) blocks.push(inlineText(t.tokens));
        else if ('text' in t && typeof t.text === 'string') blocks.push(t.text);
    }
  }
  return blocks.map((b) => decodeEntities(b).replace(/[ \t]+/g, ' ').trim()).filter((b) => b !== '');
}

/**
 * References as the report prints them, without links: `[[appendix:KEY]]` → "Appendix 2",
 * `[[paragraph:SECTION/N]]` → "2.3", `[[count:WHAT]]` → the number. One that finds
 * nothing is kept as written, as the report keeps it.
 */
export function referencesAsText(text: string, lookup: PlainLookup): string {
  return replaceReferences(text, lookup, { appendix: (a) => `Appendix ${a.number}`, paragraph: (p) => p.number });
}

/** Markdown data text as plain text, references resolved: what a reader of the report reads. Pure. */
export function markdownAsText(text: string, lookup: PlainLookup): string {
  const resolved = referencesAsText(text, lookup);
  // Most text has no marks at all; skip the lexer for it.
  if (!/[*_`[\]<>&#|\\~!]|^\s*(?:[-+]|\d+[.)])\s/m.test(resolved)) return resolved;
  return blockText(new Lexer({ gfm: true, breaks: false }).lex(resolved)).join('\n\n');
}
