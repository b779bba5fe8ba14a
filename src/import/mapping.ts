import { readFile } from 'node:fs/promises';
import { Document } from 'yaml';
import { z } from 'zod';
import { problemsFromIssues } from '../data/problems.js';
import { readYamlSource } from '../data/yaml-source.js';
import { ID_PATTERN } from '../data/schema.js';
import { CsiError, InvalidDataError } from '../errors.js';
import { TRACKER_FIELDS } from './columns.js';
import type { ColumnField, ColumnMapping } from './columns.js';
import { columnLetter } from './workbook.js';

// The mapping file: how csi import reads a council's tracker (which row is the header,
// which column holds which field, which appendix each sheet fills). csi writes it on the
// first import from the sheet's own headings; the council edits and keeps it, and each
// later import reads it, so a renamed heading never changes what is imported.

/** The mapping file csi import reads and writes, in the plan's folder, unless --mapping names another. */
export const MAPPING_FILE = 'tracker-mapping.yaml';

const Letter = z.string().regex(/^[A-Z]{1,3}$/, 'a column is named by its letter, e.g. "F"');

const SheetMapping = z.strictObject({
  appendix: z.string().regex(ID_PATTERN, 'an appendix key uses lower-case letters, digits and hyphens'),
  title: z.string().min(1).optional(),
  header_row: z.int().positive(),
  columns: z.record(z.string(), Letter),
});

const MappingFile = z.strictObject({
  sheets: z.record(z.string(), SheetMapping),
  quarters: z.enum(['calendar', 'financial']).optional(),
  statuses: z.record(z.string(), z.string()).optional(),
});

export interface SheetPlan {
  appendix: string;
  title?: string | undefined;
  mapping: ColumnMapping;
}

export interface Mapping {
  sheets: Map<string, SheetPlan>;
  quarters: 'calendar' | 'financial';
  statuses: Record<string, string>;
}

function columnNumber(letters: string): number {
  return [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
}

/** Reads a mapping file; every problem in it at once, positioned (exit 1). */
export async function readMapping(path: string, ratingKeys: readonly string[]): Promise<Mapping> {
  const bytes = await readFile(path);
  const name = path.split(/[\\/]/).pop()!;
  const read = readYamlSource(name, bytes);
  if (!read.source) throw new InvalidDataError(read.problems, '.');
  const parsed = MappingFile.safeParse(read.source.value);
  if (!parsed.success) throw new InvalidDataError(problemsFromIssues(read.source, MappingFile, parsed.error.issues), '.');
  const known = [...TRACKER_FIELDS, ...ratingKeys];
  const problems: CsiError[] = [];
  const sheets = new Map<string, SheetPlan>();
  for (const [sheet, m] of Object.entries(parsed.data.sheets)) {
    const columns = new Map<ColumnField, number>();
    const used = new Map<number, string>();
    for (const [field, letter] of Object.entries(m.columns)) {
      const position = { file: name, line: 1, column: 1 };
      if (!known.includes(field)) {
        problems.push(new CsiError(`"${field}" is not a field csi import fills`, { code: 'UNKNOWN_KEY', position, path: `sheets.${sheet}.columns.${field}`, hint: `use one of: ${known.join(', ')}` }));
        continue;
      }
      const c = columnNumber(letter);
      const other = used.get(c);
      if (other) {
        problems.push(new CsiError(`column ${letter} is mapped to both "${other}" and "${field}"`, { code: 'MAPPING_CLASH', position, path: `sheets.${sheet}.columns.${field}`, hint: 'map each column to one field' }));
      }
      used.set(c, field);
      columns.set((ratingKeys.includes(field) ? `rating:${field}` : field) as ColumnField, c);
    }
    if (!columns.has('text')) {
      problems.push(new CsiError(`sheet "${sheet}" maps no column to "text", the action itself`, { code: 'MISSING_KEY', position: { file: name, line: 1, column: 1 }, path: `sheets.${sheet}.columns`, hint: 'add e.g. "text: C"' }));
    }
    sheets.set(sheet, { appendix: m.appendix, title: m.title, mapping: { headerRow: m.header_row, columns } });
  }
  if (problems.length > 0) throw new InvalidDataError(problems, '.');
  return { sheets, quarters: parsed.data.quarters ?? 'calendar', statuses: parsed.data.statuses ?? {} };
}

/** The mapping file's text for what csi found, with a comment on how to change it. */
export function mappingText(mapping: Mapping): string {
  const doc = new Document({
    sheets: Object.fromEntries(
      [...mapping.sheets].map(([sheet, plan]) => [
        sheet,
        {
          appendix: plan.appendix,
          ...(plan.title ? { title: plan.title } : {}),
          header_row: plan.mapping.headerRow,
          columns: Object.fromEntries([...plan.mapping.columns].map(([field, c]) => [field.replace(/^rating:/, ''), columnLetter(c)])),
        },
      ]),
    ),
    quarters: mapping.quarters,
    statuses: mapping.statuses,
  });
  return `# How csi import reads the council's tracker: for each sheet, the appendix it fills,
# the row that holds the column headings, and the column (letter) of each field.
# Fields: ${TRACKER_FIELDS.join(', ')}, and each rating's key.
# quarters: calendar (Q1 is January-March) or financial (Q1 is April-June).
# statuses: the tracker's own words for a status, e.g. "Completed": complete.
# csi wrote this from the sheet's headings; edit it and import again.
${doc.toString()}`;
}
