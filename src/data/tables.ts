import { CsiError } from '../errors.js';
import { sortProblems } from './dataset.js';
import type { DataSetResult } from './dataset.js';
import { TABLE_DELIMITER } from './warnings.js';

/*
 * TEMPORARY, while csi cannot print Markdown tables: a table in any text would come out
 * as a run of words, so it is an error. The check asks the renderer whether a table
 * prints, and stops firing by itself once one does. Delete this file, its one call in
 * data/read.ts and test/fixtures/invalid/MARKDOWN_TABLE/ when tables print; the warning
 * for a table that YAML folds into one line (data/warnings.ts) stays.
 */

/** Where each Markdown table starts in a file's text: a row holding "|" with a delimiter row under it. */
function tablesIn(text: string): { line: number; column: number; excerpt: string }[] {
  const lines = text.split('\n');
  const found = [];
  for (let i = 1; i < lines.length; i++) {
    const header = lines[i - 1]!.replace(/\r$/, '');
    if (!TABLE_DELIMITER.test(lines[i]!.replace(/\r$/, '')) || !header.includes('|') || /^\s*#/.test(header)) continue;
    found.push({ line: i, column: header.length - header.trimStart().length + 1, excerpt: header });
  }
  return found;
}

/** The result, with every Markdown table an error while tables do not print. */
export async function refuseUnprintedTables(files: ReadonlyMap<string, Uint8Array>, result: DataSetResult): Promise<DataSetResult> {
  const tables = [...files].flatMap(([file, bytes]) =>
    bytes.includes(0x7c) ? tablesIn(new TextDecoder().decode(bytes)).map((t) => ({ file, ...t })) : []);
  if (tables.length === 0) return result;
  const { markdownBlock } = await import('../render/markdown.js');
  if (markdownBlock('| a |\n|---|\n| b |', () => undefined).includes('<table')) return result;
  const refused = tables.map(({ file, line, column, excerpt }) =>
    new CsiError('csi cannot print Markdown tables yet: this table would come out as a run of words', {
      code: 'MARKDOWN_TABLE',
      position: { file, line, column },
      excerpt,
      hint: 'write the rows as a list, or as paragraphs',
    }));
  const lines = new Set(refused.map((p) => `${p.position!.file}:${p.position!.line}`));
  const warnings = result.warnings.filter((w) => !lines.has(`${w.position?.file}:${w.position?.line}`));
  return { ok: false, problems: sortProblems([...(result.ok ? [] : result.problems), ...refused]), warnings };
}
