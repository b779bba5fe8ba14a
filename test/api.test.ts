import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport, diff, validate } from '../src/index.js';
import { SEED_DATA, seedCopy, tempDir } from './helpers/data.js';

describe('the programmatic API', () => {
  it('validate() returns every problem with its position, or none', async () => {
    expect(await validate(SEED_DATA)).toEqual({ valid: true, problems: [] });
    const data = await seedCopy('glossary.yaml', (t) => t.replace('terms:', 'terms:\n  - { term: OSC }\nterm:'));
    const { valid, problems } = await validate(data);
    expect(valid).toBe(false);
    const lines = (await readFile(join(data, 'glossary.yaml'), 'utf8')).split('\n');
    const terms = lines.indexOf('terms:') + 1;
    expect(problems.map((p) => [p.code, p.position])).toEqual([
      ['MISSING_KEY', { file: 'glossary.yaml', line: terms + 1, column: 5 }],
      ['UNKNOWN_KEY', { file: 'glossary.yaml', line: terms + 2, column: 1 }],
    ]);
  });

  it('buildReport() takes a theme and branding as the CLI does', async () => {
    const out = await tempDir();
    const result = await buildReport({
      dataDir: SEED_DATA,
      outDir: out,
      formats: ['html'],
      theme: 'themes/example',
      branding: { council: 'Barnsley Metropolitan Borough Council', colours: { accent: '#7a1f5c' } },
    });
    expect(result.outputs).toMatchObject([{ format: 'html', path: join(out, 'report.html') }]);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('--accent: #7a1f5c;');
    expect(html).toContain('.status {\n  display: inline-block;');
  });
});

describe('diff() from the API', () => {
  it('lists what changed between two data folders, by id', async () => {
    const before = await seedCopy();
    const after = await seedCopy('aspirations-2017.yaml', (t) => t.replace(/^( +)- id: aspiration-2017-37\n(?:\1 .*\n)*/m, ''));
    const change = await diff(before, after);
    expect(change.entries.map((e) => [e.change, e.id])).toEqual([['removed', 'aspiration-2017-37']]);
  });
});
