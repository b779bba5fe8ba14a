import { CsiError } from '../errors.js';
import type { Rating } from '../data/status.js';
import { columnLetter } from './workbook.js';
import type { Cell, Sheet } from './workbook.js';

// Which column of a tracker holds which of csi's fields: found from the header row's
// names, or read from a mapping file the council keeps beside its tracker.

/** The fields a tracker's columns can fill, in the order a tracker usually has them. */
export const TRACKER_FIELDS = ['id', 'group-id', 'reference', 'area', 'text', 'owner', 'due', 'status', 'measure', 'progress', 'source', 'exempt'] as const;
export type TrackerField = (typeof TRACKER_FIELDS)[number];

/** A column's field: one of csi's, or a rating the council names (`rating:impact`). */
export type ColumnField = TrackerField | `rating:${string}`;

/** Header names each field goes by in councils' trackers, folded (lower case, no punctuation). */
const NAMES: Record<TrackerField, string[]> = {
  id: ['csi id'],
  'group-id': ['csi group'],
  reference: ['ref', 'reference', 'ref no', 'no', 'number', 'action ref', 'action no', 'action number', 'item', 'afi ref'],
  area: ['area', 'area for improvement', 'areas for improvement', 'afi', 'theme', 'priority', 'priority area', 'workstream', 'recommendation', 'group', 'improvement area'],
  text: ['action', 'actions', 'action text', 'description', 'what we will do', 'action required', 'actions required', 'task'],
  owner: ['lead', 'owner', 'lead officer', 'responsible officer', 'responsible', 'accountable officer', 'action owner', 'who'],
  due: ['due', 'due date', 'deadline', 'target date', 'by when', 'timescale', 'timescales', 'completion date', 'date due'],
  status: ['rag', 'status', 'rag status', 'rag rating', 'progress rating', 'delivery rag', 'rating'],
  measure: ['measure', 'success measure', 'measure of success', 'measures of success', 'how we will know', 'outcome', 'success criteria', 'evidence'],
  progress: ['update', 'progress', 'progress update', 'latest update', 'commentary', 'comments', 'progress to date', 'narrative'],
  source: ['source', 'inspection reference', 'source reference', 'para', 'paragraph'],
  exempt: ['exempt', 'exempt paragraph', 'schedule 12a'],
};

const fold = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** What a header cell names: a field, a rating's label, or nothing csi knows. */
export function fieldNamed(header: string, ratings: readonly Rating[]): ColumnField | undefined {
  const name = fold(header);
  if (name === '') return undefined;
  const rating = ratings.find((r) => fold(r.label) === name || fold(r.key) === name || `${fold(r.label)} rag` === name);
  if (rating) return `rating:${rating.key}`;
  return TRACKER_FIELDS.find((f) => NAMES[f].includes(name));
}

/** Where a sheet's header row is and which column holds which field. */
export interface ColumnMapping {
  headerRow: number;
  /** Column number (1-based) of each field the sheet has. */
  columns: Map<ColumnField, number>;
}

const text = (cell: Cell | undefined) => (typeof cell?.value === 'string' ? cell.value.trim() : '');

/**
 * The header row: the first of a sheet's first 30 rows that names the action's text
 * and at least one other field. Two columns named for one field are a problem: the
 * council says which one in its mapping file.
 */
export function findColumns(sheet: Sheet, ratings: readonly Rating[], file: string): ColumnMapping {
  for (const [r, row] of sheet.rows.slice(0, 30).entries()) {
    const found = new Map<ColumnField, number[]>();
    for (const [c, cell] of row.entries()) {
      const field = fieldNamed(text(cell), ratings);
      if (field) found.set(field, [...(found.get(field) ?? []), c + 1]);
    }
    if (!found.has('text') || found.size < 2) continue;
    for (const [field, columns] of found) {
      if (columns.length > 1) {
        const letters = columns.map(columnLetter).join(' and ');
        throw new CsiError(`${sheet.name}: columns ${letters} are both headed as the action's ${fieldLabel(field)}`, {
          code: 'MAPPING_CLASH',
          position: { file, line: r + 1, column: columns[1]! },
          path: `${sheet.name}!${columnLetter(columns[1]!)}${r + 1}`,
          hint: `say which column is which in the mapping file (--mapping), e.g. "${fieldKey(field)}: ${columnLetter(columns[0]!)}"`,
        });
      }
    }
    return { headerRow: r + 1, columns: new Map([...found].map(([f, [c]]) => [f, c!])) };
  }
  throw new CsiError(`${sheet.name}: no header row found: none of the first 30 rows names an "Action" column and another csi knows`, {
    code: 'NO_HEADER_ROW',
    position: { file, line: 1, column: 1 },
    path: sheet.name,
    hint: `head the columns with names such as ${['Ref', 'Action', 'Lead', 'Due', 'RAG', 'Update'].join(', ')}, or write a mapping file (csi import --help)`,
  });
}

/** The field as a mapping file names it: `status`, `impact`. */
export function fieldKey(field: ColumnField): string {
  return field.startsWith('rating:') ? field.slice('rating:'.length) : field;
}

function fieldLabel(field: ColumnField): string {
  return field.startsWith('rating:') ? `"${field.slice('rating:'.length)}" rating` : field === 'text' ? 'text' : field;
}
