#!/usr/bin/env node
/**
 * Writes examples/tracker/action-plan.xlsx: an example of the tracker a council keeps in
 * Excel, made from an example plan's actions, laid out as councils lay theirs out rather
 * than as csi export would: a title above the header, each area a merged row across the
 * sheet, due dates as Excel dates (and "Ongoing"), RAG words in mixed case, a bulleted
 * update, and a hidden column of notes. test/import.test.ts imports it; so does .ci/run.
 *
 *   node scripts/make-example-tracker.mjs [plan-folder] [out-file]
 */
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const plan = process.argv[2] ?? join(ROOT, 'examples', 'westmere');
const out = process.argv[3] ?? join(ROOT, 'examples', 'tracker', 'action-plan.xlsx');

const files = readdirSync(join(plan, 'data')).filter((f) => f.endsWith('.yaml')).map((f) => parse(readFileSync(join(plan, 'data', f), 'utf8')));
const appendix = files.find((f) => f?.kind === 'recommendations');
if (!appendix) throw new Error(`${plan} has no appendix of actions`);
const items = appendix.groups.flatMap((g) => g.items);
// Three areas of the plan's actions, as a tracker groups them (the plan's own groups where it has several).
const areas = appendix.groups.length > 1
  ? appendix.groups.map((g, i) => ({ title: g.title ?? `Area ${i + 1}`, items: g.items }))
  : [0, 1, 2].map((a) => ({ title: ['Help and protection at the front door', 'Quality of practice and management oversight', 'A stable, skilled workforce'][a], items: items.filter((_, i) => i % 3 === a) }));
const mixedCase = (word, i) => [word.toUpperCase(), word.toLowerCase(), word, ` ${word} `][i % 4];

const workbook = new ExcelJS.Workbook();
workbook.created = workbook.modified = new Date(Date.UTC(2000, 0, 1));
const ws = workbook.addWorksheet('Action plan');
ws.columns = [
  { key: 'ref', width: 8 }, { key: 'action', width: 60 }, { key: 'lead', width: 28 }, { key: 'due', width: 14 },
  { key: 'rag', width: 10 }, { key: 'update', width: 50 }, { key: 'notes', width: 30 },
];
ws.getCell('A1').value = 'Improvement plan tracker';
ws.getCell('A1').font = { bold: true, size: 14 };
ws.getRow(3).values = ['Ref', 'Action', 'Lead officer', 'Due date', 'RAG', 'Progress update', 'Notes (internal)'];
ws.getRow(3).font = { bold: true };
ws.getColumn(7).hidden = true;
let row = 4;
let n = 0;
areas.forEach((area, a) => {
  ws.getCell(row, 1).value = `${a + 1}. ${area.title}`;
  ws.mergeCells(row, 1, row, 7);
  ws.getCell(row, 1).font = { bold: true };
  row++;
  area.items.forEach((item, i) => {
    const status = item.status.charAt(0).toUpperCase() + item.status.slice(1);
    const due = item.due
      ? (/^\d{4}-\d{2}-\d{2}$/.test(item.due) ? new Date(`${item.due}T00:00:00Z`) : `${item.due}`)
      : (n % 2 === 0 ? 'Ongoing' : new Date(Date.UTC(2018, 2 + n, 28)));
    const update = n === 1
      ? '• Audit of 40 plans in March\n• Findings to the practice board\n• Re-audit booked for June'
      : (item.progress ?? '');
    ws.getRow(row).values = [`${a + 1}.${i + 1}`, item.text.trim(), item.owner ?? '', due, mixedCase(status, n), update, 'internal note'];
    if (due instanceof Date) ws.getCell(row, 4).numFmt = 'dd/mm/yyyy';
    ws.getRow(row).alignment = { vertical: 'top', wrapText: true };
    row++;
    n++;
  });
});
mkdirSync(dirname(out), { recursive: true });
await workbook.xlsx.writeFile(out);
console.log(`wrote ${out}: ${n} actions in ${areas.length} areas`);
