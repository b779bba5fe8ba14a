import { access, mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SCHEMAS } from '../src/scaffold.js';
import { readDataDir } from '../src/data/read.js';
import { parseDataSet } from '../src/data/dataset.js';
import { csi } from './helpers/cli.js';
import { tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';
import { pdfinfo } from './helpers/pdf.js';

const DATA_FILES = ['aspirations.yaml', 'chronology.yaml', 'framework.yaml', 'glossary.yaml', 'recommendations.yaml', 'report.yaml'];

describe('csi init', () => {
  it('makes a data set that builds straight away, in an empty folder', async () => {
    const dir = await tempDir('csi-init-');
    const init = await csi(['init'], {}, dir);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('created csi.config.yaml\n');
    expect(init.stdout).toContain('created data/report.yaml\n');
    expect(init.stderr).toBe('next: npx --no-install csi build-report   (or npx --no-install csi preview, to see the report change as you edit)\n');
    expect((await readdir(dir)).sort()).toEqual(['.github', '.gitignore', 'csi.config.yaml', 'data', 'schemas']);
    expect((await readdir(join(dir, 'data'))).sort()).toEqual(DATA_FILES);
    expect((await readdir(join(dir, 'schemas'))).sort()).toEqual((await readdir(SCHEMAS)).sort());

    const parsed = parseDataSet(await readDataDir(join(dir, 'data')));
    expect(parsed.ok ? [] : parsed.problems.map((p) => p.message)).toEqual([]);
    const build = await csi(['build-report', '--format', 'html'], {}, dir);
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    const html = await readFile(join(dir, 'out/report.html'), 'utf8');
    expect(html).toContain('Example Borough Council');
    for (const n of [1, 2, 3, 4]) expect(html).toContain(`Appendix ${n} – `);
  });

  it('explains every file with comments and points editors at the plan\'s own copy of csi\'s schemas', async () => {
    const dir = await tempDir('csi-init-');
    await csi(['init', 'plan'], {}, dir);
    // The plan moves (or is committed and cloned elsewhere): its schema lines still resolve.
    const moved = join(dir, 'moved');
    await rename(join(dir, 'plan'), moved);
    for (const file of ['csi.config.yaml', ...DATA_FILES.map((f) => `data/${f}`)]) {
      const lines = (await readFile(join(moved, file), 'utf8')).split('\n');
      const schema = lines[0]?.match(/^# yaml-language-server: \$schema=(.+\.schema\.json)$/)?.[1];
      expect(schema, file).toBeDefined();
      const target = resolve(moved, file, '..', schema!);
      expect(target.startsWith(join(moved, 'schemas') + '/'), file).toBe(true);
      await access(target);
      expect(await readFile(target, 'utf8'), file).toBe(await readFile(join(SCHEMAS, target.split('/').at(-1)!), 'utf8'));
      expect(lines.filter((l) => l.trim().startsWith('#')).length, file).toBeGreaterThan(1);
    }
  });

  it('gives the plan csi\'s own CI workflow, which runs csi only from the plan\'s own dependencies', async () => {
    const dir = await tempDir('csi-init-');
    await csi(['init'], {}, dir);
    const text = await readFile(join(dir, '.github/workflows/report.yml'), 'utf8');
    const ours = parse(await readFile(new URL('../.github/workflows/report.yml', import.meta.url), 'utf8')) as Record<string, unknown>;
    const plan = parse(text) as Record<string, unknown>;
    for (const key of ['name', 'on', 'permissions', 'jobs']) expect(plan[key], key).toEqual(ours[key]);
    expect(text).not.toMatch(/npx csi|\.ci\/run/);
  });

  it('fills in the council and committee it is given, quoting them where YAML needs it', async () => {
    const dir = await tempDir('csi-init-');
    const council = 'Barnsley Metropolitan Borough Council';
    const committee = 'Scrutiny: Children & Young People';
    expect((await csi(['init', 'plan', '--council', council, '--committee', committee], {}, dir)).code).toBe(0);
    expect((await csi(['build-report', '--format', 'html'], {}, join(dir, 'plan'))).code).toBe(0);
    const html = await readFile(join(dir, 'plan/out/report.html'), 'utf8');
    expect(html).toContain('<p class="cover-council">Barnsley Metropolitan Borough Council</p>');
    expect(html).toContain('Report to the Scrutiny: Children &amp; Young People,');
    // The committee is a body of the framework too; nothing of the scaffold's own names is left.
    expect(html).toMatch(/<span class="body-name">Scrutiny: Children &amp; Young People<\/span>/);
    expect(html).not.toMatch(/Example Borough Council|Example Scrutiny Committee/);
  });

  it('speaks of "the committee", with nothing of one council, its committee or its programme', async () => {
    const dir = await tempDir('csi-init-');
    expect((await csi(['init', '--committee', 'Children and Families Scrutiny Panel'], {}, dir)).code).toBe(0);
    for (const file of ['csi.config.yaml', ...DATA_FILES.map((f) => `data/${f}`)]) {
      const text = await readFile(join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/Barnsley|Continuous Service|Overview and Scrutiny|Scrutiny Officer|Executive Director/i);
      expect(text, file).not.toMatch(/\bCSI\b|\bOSC\b/);
    }
    expect(await readFile(join(dir, 'data/report.yaml'), 'utf8')).toContain('updates the committee on progress');
  });

  it('never overwrites a file unless told to with --force, and then writes them all', async () => {
    const dir = await tempDir('csi-init-');
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data/report.yaml'), 'my own report\n');
    const refused = await csi(['init'], {}, dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `csi: ${dir} already has data/report.yaml; nothing was written (run csi init in an empty folder, or add --force to replace those files)\n`,
    );
    expect(await readdir(dir)).toEqual(['data']);
    expect(await readFile(join(dir, 'data/report.yaml'), 'utf8')).toBe('my own report\n');

    const forced = await csi(['init', '--force'], {}, dir);
    expect(forced.code).toBe(0);
    expect(await readFile(join(dir, 'data/report.yaml'), 'utf8')).toContain('sections:');
  });
});

describeWithBrowser('csi init, printed', () => {
  it('builds the PDF too', async () => {
    const dir = await tempDir('csi-init-');
    await csi(['init'], {}, dir);
    const { code, stderr } = await csi(['build-report', '--format', 'pdf'], {}, dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(pdfinfo(join(dir, 'out/report.pdf'))).toMatchObject({ Tagged: 'yes', Title: "Progress on the Children's Services Improvement Plan" });
  });
});

describe('csi init writes nothing through a link, nothing at all when it cannot write everything (issue 27.8)', () => {
  it('--force refuses a data file that is a link to a file outside the plan, and leaves that file alone', async () => {
    const dir = await tempDir('csi-init-');
    expect((await csi(['init', 'plan'], {}, dir)).code).toBe(0);
    await writeFile(join(dir, 'victim.yaml'), 'original\n');
    await rm(join(dir, 'plan/data/glossary.yaml'));
    await symlink('../../victim.yaml', join(dir, 'plan/data/glossary.yaml'));
    const { code, stderr } = await csi(['init', 'plan', '--force'], {}, dir);
    expect(code).toBe(3);
    expect(stderr).toMatch(/plan\/data\/glossary\.yaml is a symbolic link: csi does not write through links; nothing was written/);
    expect(await readFile(join(dir, 'victim.yaml'), 'utf8')).toBe('original\n');
  });

  it('refuses a folder on the way that is a link (csi schema too)', async () => {
    const dir = await tempDir('csi-init-');
    await mkdir(join(dir, 'elsewhere'));
    await symlink('elsewhere', join(dir, 'schemas'));
    expect((await csi(['init'], {}, dir)).code).toBe(3);
    expect((await csi(['schema'], {}, dir)).code).toBe(3);
    expect([await readdir(join(dir, 'elsewhere')), (await readdir(dir)).sort()]).toEqual([[], ['elsewhere', 'schemas']]);
  });

  it('where data is a file: exit 3 and nothing written at all', async () => {
    const dir = await tempDir('csi-init-');
    await writeFile(join(dir, 'data'), 'not a folder\n');
    const { code, stderr } = await csi(['init'], {}, dir);
    expect(code).toBe(3);
    expect(stderr).toMatch(/data is a file, where a folder must be; nothing was written/);
    expect(await readdir(dir)).toEqual(['data']);
  });

  it('quotes a council name with a line break: no key of its own, and the plan still validates', async () => {
    const dir = await tempDir('csi-init-');
    expect((await csi(['init', '--council', 'Evil\nstatuses: rag'], {}, dir)).code).toBe(0);
    const config = parse(await readFile(join(dir, 'csi.config.yaml'), 'utf8')) as Record<string, unknown>;
    // The scaffold's own statuses stay; the name is one value.
    expect([config.council, config.statuses]).toEqual(['Evil\nstatuses: rag', 'progress']);
    expect((await csi(['validate'], {}, dir)).code).toBe(0);
  });
});
