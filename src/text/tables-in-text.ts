import { Lexer } from 'marked';
import type { Token, Tokens } from 'marked';

/**
 * A paragraph reading "Table: …" directly above a table is its caption (the
 * convention Pandoc uses), so every table in the report can say what it shows.
 */
export const TABLE_CAPTION = /^Table:\s*(\S[\s\S]*)$/;

/** A GitHub-flavoured Markdown table in a text, with its caption when it has one. */
export interface TableInText {
  table: Tokens.Table;
  caption?: string | undefined;
  /** The "Table: …" paragraph, which becomes the caption rather than text. */
  captionParagraph?: Tokens.Paragraph | Tokens.Text | undefined;
}

/** The lists of tokens a table may sit in: the text itself, list items, quotes. */
function* tokenLists(tokens: Token[]): Generator<Token[]> {
  yield tokens;
  for (const token of tokens) {
    if (token.type === 'list') for (const item of (token as Tokens.List).items) yield* tokenLists(item.tokens);
    else if (token.type === 'blockquote') yield* tokenLists((token as Tokens.Blockquote).tokens);
  }
}

/** Every table in a text's tokens, with the caption paragraph above it (blank lines between are allowed). */
export function tablesIn(tokens: Token[]): TableInText[] {
  const found: TableInText[] = [];
  for (const list of tokenLists(tokens)) {
    list.forEach((token, i) => {
      if (token.type !== 'table') return;
      let j = i - 1;
      while (j >= 0 && list[j]!.type === 'space') j--;
      const above = list[j];
      // In a list item, a paragraph comes as a block of text.
      const paragraph = above?.type === 'paragraph' || above?.type === 'text' ? (above as Tokens.Paragraph | Tokens.Text) : undefined;
      const match = paragraph ? TABLE_CAPTION.exec(paragraph.text) : null;
      found.push({
        table: token as Tokens.Table,
        caption: match ? match[1]!.replace(/\s+/g, ' ').trim() : undefined,
        captionParagraph: match ? paragraph : undefined,
      });
    });
  }
  return found;
}

/** Cells in one row as written: split at each pipe that no backslash escapes, as marked does. */
function cellsWritten(line: string): number {
  const row = line.trim().replace(/^\|/, '').replace(/(?<!\\)((?:\\\\)*)\|$/, '$1');
  let cells = 1;
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\') i++;
    else if (row[i] === '|') cells++;
  }
  return cells;
}

/**
 * What is wrong with the tables in a Markdown text, in words for its author. In a
 * field printed as one line or one table cell (`inline`), a table cannot go at all;
 * elsewhere each table needs a caption, and no row may have more cells than its
 * header (marked would drop them without a word).
 */
export function tableProblems(text: string, where: 'block' | 'inline'): string[] {
  // Every table has a delimiter row, so a text without a pipe has none: most texts stop here.
  if (!text.includes('|') || !text.includes('-')) return [];
  const tables = tablesIn(new Lexer({ gfm: true }).lex(text));
  if (tables.length === 0) return [];
  if (where === 'inline') {
    return ['a table cannot go in this text, which prints on one line or in one table cell: put it in a paragraph of a section'];
  }
  const problems: string[] = [];
  for (const [n, { table, caption }] of tables.entries()) {
    const which = tables.length > 1 ? `table ${n + 1} in this text` : 'the table in this text';
    if (caption === undefined) {
      problems.push(`${which} has no caption: write "Table: " and what it shows on the line above it`);
    }
    const columns = table.header.length;
    const lines = table.raw.replace(/\n+$/, '').split('\n').slice(2);
    lines.forEach((line, r) => {
      const cells = cellsWritten(line);
      if (cells > columns) {
        problems.push(`row ${r + 1} of ${which} has ${cells} cells but its header has ${columns}: the extra cells would be lost`);
      }
    });
  }
  return problems;
}
