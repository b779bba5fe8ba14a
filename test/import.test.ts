import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { csi } from './helpers/cli.js';
import { tempDir } from './helpers/temp.js';

const ROOT = new URL('../', import.meta.url).pathname;
const EXAMPLE_TRACKER = join(ROOT, 'examples', 'tracker', 'action-plan.xlsx');

/** A copy of a plan folder (data and config) in a fresh temporary folder. */
async function planCopy(from: 'seed' | 'westmere' | 'eastmoor', config = ''): Promise<string> {
  const dir = await tempDir('csi-import-');
  if (from === 'seed') await cp(join(ROOT, 'data'), join(dir, 'data'), { recursive: true });
  else {
    const example = join(ROOT, 'examples', from);
    await cp(example, dir, { recursive: true, filter: (source) => !source.startsWith(join(example, 'out')) });
    const text = await readFile(join(example, 'csi.config.yaml'), 'utf8');
    await writeFile(join(dir, 'csi.config.yaml'), `${text}${config}`);
  }
  return dir;
}

/** Every file of a data folder, by name. */
async function files(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).sort();
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n), 'utf8')] as const)));
}

describe('csi export, then csi import: the plan is unchanged', () => {
  for (const plan of ['seed', 'westmere', 'eastmoor'] as const) {
    it(`${plan}: exported to xlsx and imported back, every data file is byte for byte the same`, async () => {
      const dir = await planCopy(plan);
      const before = await files(join(dir, 'data'));
      const exported = await csi(['export', '--out', 'tracker.xlsx'], {}, dir);
      expect(exported.code, exported.stderr).toBe(0);
      const imported = await csi(['import', 'tracker.xlsx'], {}, dir);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toMatch(/no change/);
      expect(await files(join(dir, 'data'))).toEqual(before);
    });
  }

  it('a CSV of one appendix comes back the same too', async () => {
    const dir = await planCopy('westmere');
    const before = await files(join(dir, 'data'));
    expect((await csi(['export', '--format', 'csv', '--appendix', 'ofsted-2016', '--out', 'tracker.csv'], {}, dir)).code).toBe(0);
    const csv = await readFile(join(dir, 'tracker.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('Ref,Action,Lead,Due,Status,Impact,Measure,Update,csi group,csi id');
    const imported = await csi(['import', 'tracker.csv'], {}, dir);
    expect(imported.code, imported.stderr).toBe(0);
    expect(await files(join(dir, 'data'))).toEqual(before);
  });
});

describe('csi export and exempt information', () => {
  it('leaves an exempt action out of the public tracker, and keeps it, with its paragraph, for members', async () => {
    const dir = await planCopy('westmere');
    const file = join(dir, 'data', 'ofsted-2016.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('      - id: ofsted-2016-r5\n', '      - id: ofsted-2016-r5\n        exempt: { paragraph: 1 }\n'));
    const run = await csi(['export', '--format', 'csv', '--appendix', 'ofsted-2016', '--out', 'public.csv'], {}, dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('public.csv: 7 actions in 1 sheet\n');
    const open = await readFile(join(dir, 'public.csv'), 'utf8');
    expect(open).not.toMatch(/ofsted-2016-r5|agency social workers|Exempt/);
    const members = await csi(['export', '--format', 'csv', '--appendix', 'ofsted-2016', '--out', 'members.csv', '--audience', 'exempt'], {}, dir);
    expect(members.code, members.stderr).toBe(0);
    const all = await readFile(join(dir, 'members.csv'), 'utf8');
    expect(all.split('\n')[0]).toContain('Exempt paragraph');
    expect(all).toMatch(/agency social workers.*,1,ofsted-2016-recommendations,ofsted-2016-r5/);
  });
});

describe('csi import of a changed tracker', () => {
  it('puts in exactly what changed in the sheet, keeps the YAML comments, and reports what the sheet lacks', async () => {
    const dir = await planCopy('westmere');
    const original = join(dir, 'original');
    await cp(join(dir, 'data'), original, { recursive: true });
    expect((await csi(['export', '--out', 'tracker.xlsx'], {}, dir)).code).toBe(0);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(dir, 'tracker.xlsx'));
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(2).values as unknown[]).map(String);
    const col = (name: string) => header.indexOf(name);
    const rowOf = (id: string) => {
      for (let r = 3; r <= sheet.rowCount; r++) if (sheet.getRow(r).getCell(col('csi id')).value === id) return sheet.getRow(r);
      throw new Error(id);
    };
    rowOf('ofsted-2016-r2').getCell(col('Status')).value = 'blue';
    rowOf('ofsted-2016-r5').getCell(col('Update')).value = '• 11 offers made\n• 5 agency staff made permanent';
    const last = sheet.getRow(sheet.rowCount + 1);
    last.getCell(col('Ref')).value = '9';
    last.getCell(col('Action')).value = 'Publish a sufficiency strategy for children in care.';
    last.getCell(col('Status')).value = 'GREEN';
    last.getCell(col('csi group')).value = 'ofsted-2016-recommendations';
    last.getCell(col('csi id')).value = 'ofsted-2016-r9';
    sheet.spliceRows(rowOf('ofsted-2016-r8').number, 1);
    await workbook.xlsx.writeFile(join(dir, 'tracker.xlsx'));

    const imported = await csi(['import', 'tracker.xlsx'], {}, dir);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('ofsted-2016-r2: status');
    expect(imported.stdout).toContain('ofsted-2016-r5: progress');
    expect(imported.stdout).toContain('ofsted-2016-r9: added');
    expect(imported.stdout).toContain('not in the sheet, left as they are: ofsted-2016-r8');

    const text = await readFile(join(dir, 'data', 'ofsted-2016.yaml'), 'utf8');
    expect(text).toContain("# Ofsted's own numbering (1 to 8) is kept");
    expect(text).toContain('- 11 offers made\n');
    expect(text).toContain('id: ofsted-2016-r8'); // never deleted

    const diff = await csi(['diff', original, join(dir, 'data'), '--format', 'json'], {}, dir);
    expect(diff.code, diff.stderr).toBe(0);
    const changes = JSON.parse(diff.stdout) as { counts: Record<string, number>; added: { id: string }[]; removed: unknown[]; changed: { id: string }[] };
    expect(changes.added.map((a) => a.id)).toEqual(['ofsted-2016-r9']);
    expect(changes.removed).toEqual([]);
    expect(changes.changed.map((c) => c.id).sort()).toEqual(['ofsted-2016-r2', 'ofsted-2016-r5']);
  });
});

describe('the example tracker (examples/tracker, made by scripts/make-example-tracker.mjs)', () => {
  it('imports into a plan as a new appendix, areas from merged rows, with its warnings positioned by sheet and cell', async () => {
    const dir = await planCopy('westmere', 'due_words: [Ongoing]\n');
    const imported = await csi(['import', EXAMPLE_TRACKER], {}, dir);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/action-plan\.xlsx:3:7 {2}warning: Action plan: hidden column G was not imported/);
    expect(imported.stdout).toMatch(/data\/action-plan\.yaml: written, 8 actions in 3 areas/);
    const text = await readFile(join(dir, 'data', 'action-plan.yaml'), 'utf8');
    // The area's own number is its reference, not part of its title (which csi would number again).
    expect(text).toContain('reference: "1"\n    title: Help and protection at the front door');
    expect(text).toMatch(/due: Ongoing/);
    expect(text).toContain('- Audit of 40 plans in March');
    expect(await readFile(join(dir, 'data', 'report.yaml'), 'utf8')).toMatch(/appendices:[\s\S]*- action-plan\n/);
    expect(await readFile(join(dir, 'tracker-mapping.yaml'), 'utf8')).toMatch(/Action plan:\n {4}appendix: action-plan\n {4}title: Improvement plan tracker\n {4}header_row: 3/);
    const valid = await csi(['validate'], {}, dir);
    expect(valid.code, valid.stderr).toBe(0);
  });
});

/** Runs an import that must fail and checks nothing was written. */
async function refused(tracker: (dir: string) => Promise<string>) {
  const dir = await planCopy('seed');
  const before = await files(join(dir, 'data'));
  const run = await csi(['import', await tracker(dir)], {}, dir);
  expect(await files(join(dir, 'data'))).toEqual(before);
  expect((await readdir(dir)).includes('tracker-mapping.yaml')).toBe(false);
  return run;
}

async function sheetFile(dir: string, rows: unknown[][], edit?: (ws: ExcelJS.Worksheet) => void): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet('Tracker');
  for (const row of rows) ws.addRow(row);
  edit?.(ws);
  const path = join(dir, 'tracker.xlsx');
  await workbook.xlsx.writeFile(path);
  return path;
}

describe('csi import refuses bad input with a clear message, and writes nothing', () => {
  it('a file that is not a workbook', async () => {
    const run = await refused(async (dir) => {
      await writeFile(join(dir, 'notes.xlsx'), 'just some text\n');
      return join(dir, 'notes.xlsx');
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('this file is not an Excel workbook (.xlsx) or a CSV file');
  });

  it('a password-protected workbook (an encrypted OLE file)', async () => {
    const run = await refused(async (dir) => {
      await writeFile(join(dir, 'locked.xlsx'), Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]));
      return join(dir, 'locked.xlsx');
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('this workbook is password-protected, or an old .xls file');
  });

  it('a damaged workbook', async () => {
    const run = await refused(async (dir) => {
      await writeFile(join(dir, 'broken.xlsx'), Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]));
      return join(dir, 'broken.xlsx');
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('this workbook is damaged');
  });

  it('no header row', async () => {
    const run = await refused((dir) => sheetFile(dir, [['Some notes'], ['more notes', 'and more']]));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Tracker: no header row found');
  });

  it('two columns headed for one field', async () => {
    const run = await refused((dir) => sheetFile(dir, [['Ref', 'Action', 'Status', 'Update', 'Progress'], ['1', 'Do it', 'Complete', 'a', 'b']]));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/tracker\.xlsx:1:5 {2}Tracker: columns D and E are both headed as the action's progress/);
  });

  it('an unknown status, named by sheet and cell with "did you mean"', async () => {
    const run = await refused((dir) => sheetFile(dir, [['Ref', 'Action', 'Status'], ['1', 'Do it', 'Compleet']]));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/tracker\.xlsx:2:3 {2}Tracker!C2: the status "Compleet" is not one of the plan's words/);
    expect(run.stderr).toContain('did you mean "Complete"?');
  });

  it('a formula whose value the file does not hold', async () => {
    const run = await refused((dir) =>
      sheetFile(dir, [['Ref', 'Action', 'Status'], ['1', 'Do it', 'Complete']], (ws) => {
        ws.getCell('B2').value = { formula: 'CONCAT("a","b")' } as ExcelJS.CellFormulaValue;
      }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Tracker!B2: this cell's formula has no value saved with it");
  });

  it('a sheet of 100,000 rows, refused before it is read whole', async () => {
    const run = await refused(async (dir) => {
      const path = join(dir, 'huge.csv');
      await writeFile(path, `Ref,Action,Status\n${Array.from({ length: 100_000 }, (_, i) => `${i},Action ${i},Complete`).join('\n')}\n`);
      return path;
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('this file has 100,001 rows; a tracker csi imports has at most 5,000');
    const xlsx = await refused((dir) => sheetFile(dir, Array.from({ length: 6000 }, (_, i) => [String(i), `Action ${i}`, 'Complete'])));
    expect(xlsx.code).toBe(1);
    expect(xlsx.stderr).toContain('a sheet of this workbook has 6,000 rows');
  });

  it('into a plan that checks only once the tracker is in: its text already refers to the new appendix', async () => {
    const dir = await planCopy('seed');
    const report = join(dir, 'data', 'report.yaml');
    await writeFile(report, (await readFile(report, 'utf8')).replace('appendices:\n', 'appendices:\n  - tracker\n'));
    expect((await csi(['validate'], {}, dir)).code).toBe(1);
    const path = await sheetFile(dir, [['Ref', 'Action', 'Status'], ['1', 'Do it', 'Complete']]);
    const run = await csi(['import', path], {}, dir);
    expect(run.code, run.stderr).toBe(0);
    expect((await csi(['validate'], {}, dir)).code).toBe(0);
  });

  it('a status of a Red/Amber/Green tracker, in a plan on csi\'s own words: the hint names statuses: rag', async () => {
    const run = await refused((dir) => sheetFile(dir, [['Ref', 'Action', 'Status'], ['1', 'Do it', 'AMBER']]));
    expect(run.stderr).toContain('set statuses: rag in csi.config.yaml');
  });

  it('hidden rows are imported with a warning naming them', async () => {
    const dir = await planCopy('seed');
    const path = await sheetFile(dir, [['Ref', 'Action', 'Status'], ['1', 'Do it', 'Complete'], ['2', 'Do more', 'on track']], (ws) => {
      ws.getRow(3).hidden = true;
    });
    const run = await csi(['import', path], {}, dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/tracker\.xlsx:3:1 {2}warning: Tracker: hidden row 3 was imported like the others/);
    expect(run.stdout).toContain('data/tracker.yaml: written, 2 actions in 1 area');
  });
});
