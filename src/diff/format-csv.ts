import { summaryChanges } from './compare.js';
import type { ItemChange } from './compare.js';
import { csv } from './csv.js';
import type { FieldValue } from './items.js';
import type { PlanChange } from './plan-change.js';

// `csi diff --format csv`: one row per field that changed (one per item added,
// removed or only moved), for a spreadsheet. Values are as in --format json.

const value = (v: FieldValue | null | undefined) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join('\n') : v);

/** What the row counts as: "regressed" for a status that went backwards, else the change. */
function rowChange(entry: ItemChange, statusesOf: PlanChange['statuses']): string {
  return summaryChanges(entry, statusesOf).some((p) => p.change === 'regressed') ? 'regressed' : entry.movedFrom && entry.fields.length === 0 ? 'moved' : entry.change;
}

/** The changes as CSV: id, kind, noun, label, appendix, group, change, field, from, to, moved_from, exempt. */
export function formatCsv(change: PlanChange): string {
  const rows: (string | number | undefined)[][] = [['id', 'kind', 'noun', 'label', 'appendix', 'group', 'change', 'field', 'from', 'to', 'moved_from', 'exempt_paragraph']];
  for (const e of change.entries) {
    const common = [e.id, e.kind, e.noun, e.place.label, e.place.collection, e.place.group];
    const moved = e.movedFrom ? `${e.movedFrom.label}, ${e.movedFrom.where}` : undefined;
    const exempt = e.exempt?.paragraph;
    if (e.change !== 'changed' || e.fields.length === 0) {
      rows.push([...common, rowChange(e, change.statuses), '', '', '', moved, exempt]);
      continue;
    }
    for (const f of e.fields) rows.push([...common, f.field === 'status' ? rowChange(e, change.statuses) : e.movedFrom ? 'moved' : 'changed', f.field, value(f.from), value(f.to), moved, exempt]);
  }
  return csv(rows);
}
