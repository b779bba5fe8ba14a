import { readFile, rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReport } from '../src/pipeline.js';
import { csi } from './helpers/cli.js';
import { seedCopy, tempDir } from './helpers/data.js';

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The seed with one more paragraph in its first section, written as given. */
async function withParagraph(text: string, edit: (report: string) => string = (r) => r): Promise<string> {
  const dir = await seedCopy('report.yaml', (report) =>
    edit(report).replace(/(        Improvement Plan\.\n)/, `$1      - ${JSON.stringify(text)}\n`),
  );
  made.push(dir);
  return dir;
}

async function html(dataDir: string, audience: 'public' | 'exempt' = 'public'): Promise<string> {
  const outDir = await tempDir();
  made.push(outDir);
  const result = await buildReport({ dataDir, outDir, formats: ['html'], audience });
  return readFile(result.outputs[0]!.path, 'utf8');
}

describe('live references in text', () => {
  it('prints a numbered paragraph and counts from the data, and no template syntax from the data', async () => {
    const dir = await withParagraph(
      'As paragraph [[paragraph:background/2]] says, all [[count:recommendations-2012]] of 2012 are complete ([[count:recommendations-2012/complete]]); [[count:all]] in all. {{title}} {{{css}}}',
    );
    const page = await html(dir);
    expect(page).toContain('As paragraph <a href="#para-2.2">2.2</a> says, all 40 of 2012 are complete (40); 63 in all. {{title}} {{{css}}}');
  });

  it('never counts what is exempt in a public build: the notice is printed instead', async () => {
    const dir = await withParagraph('The local actions number [[count:local-actions-2012]]; all items [[count:all]].');
    const rec = `${dir}/recommendations-2012.yaml`;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(rec, (await readFile(rec, 'utf8')).replace(/(  - id: local-actions-2012\n)/, '$1    exempt: { paragraph: 3 }\n'));
    const pub = await html(dir);
    expect(pub).toMatch(/The local actions number \(Exempt information, paragraph 3 of Schedule 12A\); all items (\d+)\./);
    const exempt = await html(dir, 'exempt');
    const all = Number(/all items (\d+)\./.exec(exempt)![1]);
    const shown = Number(/all items (\d+)\./.exec(pub)![1]);
    expect(all).toBe(63);
    expect(shown).toBeLessThan(all);
  });

  it('refuses a reference to nothing, positioned, with the fix', async () => {
    const dir = await withParagraph('See [[paragraph:backgrond/2]], [[paragraph:background/99]], [[count:recs-2012]] and [[count:all/done]].');
    const run = await csi(['validate', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('report.yaml:41:14  [[paragraph:backgrond/2]] refers to no section "backgrond"');
    expect(run.stderr).toContain('hint: did you mean [[paragraph:background/2]]?');
    expect(run.stderr).toContain('[[paragraph:background/99]] refers to no paragraph 99 of section "background"');
    expect(run.stderr).toContain('[[count:recs-2012]] refers to nothing csi can count ("recs-2012")');
    expect(run.stderr).toContain('[[count:all/done]] refers to no status "done"');
  });
});
