import { appendFile, cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { csi } from './helpers/cli.js';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../src/data/yaml-source.js';
import { corpusCases, seedWithCase } from './helpers/corpus.js';
import { SEED_DATA, tempDir } from './helpers/data.js';

/**
 * The error corpus: test/fixtures/invalid/<ERROR_CODE>/<case>/ holds the data
 * files that differ from the seed data, and expected.json says what csi must
 * report and where. Each case is one mistake an officer (or an attacker) makes.
 * A case may hold a csi.config.yaml: csi is then run with it (CSI_CONFIG).
 */
interface Expected {
  description: string;
  code: string;
  file: string;
  line: number;
  column: number;
  /** Text the message or its hint contains. */
  says?: string;
  /** How many problems in all, when the mistake should be reported once. */
  count?: number;
  /** Seed files the case deletes. */
  remove?: string[];
  /** A file the test pads with comments past the size cap (too big to commit). */
  padPastCap?: string;
}

const CORPUS = new URL('./fixtures/invalid/', import.meta.url).pathname;
const CONFIG = 'csi.config.yaml';

/** A message with a verb in it, and not starting with a quoted name run into the next words. */
const SENTENCE = /^(?!"[^"]*" (?:an?|the) )(?=.*\b(?:is|are|has|holds|needs|refers|must|cannot|can|should|comes|goes|go|expand|would|does|appears|need|starts|stops)\b)/;

/** The seed data with the case's files laid over it (its csi.config.yaml is passed to csi instead). */
async function dataSetFor(dir: string, expected: Expected): Promise<string> {
  const data = await seedWithCase(dir, { remove: expected.remove ?? [], skip: [CONFIG] });
  if (expected.padPastCap) {
    const path = join(data, expected.padPastCap);
    const line = `# ${'padding '.repeat(12)}\n`;
    await appendFile(path, line.repeat(Math.ceil((MAX_FILE_BYTES + 1 - (await stat(path)).size) / line.length)));
  }
  return data;
}

const cases = await corpusCases<Expected>(CORPUS);

describe('the error corpus', () => {
  it('has a case for at least 30 error codes and hazards', () => {
    expect(new Set(cases.map((c) => c.expected.code)).size).toBeGreaterThanOrEqual(30);
    for (const { name, expected } of cases) expect(name.split('/')[0]).toBe(expected.code);
  });

  it.each(cases)('$name: $expected.description', async ({ dir, expected }) => {
    const data = await dataSetFor(dir, expected);
    const env = (await readdir(dir)).includes(CONFIG) ? { CSI_CONFIG: join(dir, CONFIG) } : {};

    const json = await csi(['validate', data, '--json'], env);
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout) as { valid: boolean; errors: { code: string; file: string; line: number; column: number; message: string; hint?: string }[] };
    expect(result.valid).toBe(false);
    const found = result.errors.find(
      (e) => e.code === expected.code && e.file === expected.file && e.line === expected.line && e.column === expected.column,
    );
    expect(found, `no ${expected.code} at ${expected.file}:${expected.line}:${expected.column} in\n${JSON.stringify(result.errors, null, 2)}`).toBeDefined();
    if (expected.says) expect(`${found?.message} ${found?.hint ?? ''}`).toContain(expected.says);
    if (expected.count !== undefined) expect(result.errors).toHaveLength(expected.count);
    // Every message reads as a sentence: it says what is wrong, with a verb, not a label ("unknown key", "\"id\" an id uses").
    for (const e of result.errors) expect(e.message, e.code).toMatch(SENTENCE);

    // build-report refuses the same data with the same code and the same problems, and writes nothing.
    // (For members: a public build names a problem inside exempt information without its details,
    // test/exempt-routes.test.ts.)
    const out = join(data, 'out');
    const build = await csi(['build-report', data, '--format', 'html', '--out', out, '--json', '--audience', 'exempt'], env);
    expect(build.code).toBe(json.code);
    expect((JSON.parse(build.stdout) as { errors: unknown[] }).errors).toEqual(result.errors);
    await expect(stat(out)).rejects.toThrow();

    // The same problem for a person: positioned, and never a stack trace.
    // From inside the data folder, as an officer would run it: paths print relative to it.
    const text = await csi(['validate', data], env, data);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(new RegExp(`(^|\\n)${expected.file.replace(/[.]/g, '\\.')}:${expected.line}:${expected.column}  `));
    expect(text.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('validate and build-report agree', () => {
  it('on a report.yaml for another council than csi.config.yaml names, pointing into report.yaml', async () => {
    const project = await tempDir('csi-corpus-');
    await cp(SEED_DATA, join(project, 'data'), { recursive: true });
    await writeFile(join(project, 'csi.config.yaml'), 'council: Sefton Metropolitan Borough Council\n');
    const report = await readFile(join(project, 'data/report.yaml'), 'utf8');
    await writeFile(join(project, 'data/report.yaml'), report.replace(/^council: .*$/m, 'council: Sefton Council'));
    const line = report.split('\n').findIndex((l) => l.startsWith('council:')) + 1;

    const validate = await csi(['validate', '--json'], {}, project);
    const build = await csi(['build-report', '--format', 'html', '--json'], {}, project);
    expect(validate.code).toBe(1);
    expect(build.code).toBe(1);
    const errors = (JSON.parse(validate.stdout) as { errors: unknown[] }).errors;
    expect(errors).toEqual([
      {
        // The range is the value: column 10 up to just after "Sefton Council".
        file: 'report.yaml', line, column: 10, endLine: line, endColumn: 10 + 'Sefton Council'.length, path: 'council', code: 'BRANDING_MISMATCH',
        message: 'the council "Sefton Council" is not the one csi.config.yaml names ("Sefton Metropolitan Borough Council")',
        hint: 'write council: Sefton Metropolitan Borough Council here, or change council in csi.config.yaml',
      },
    ]);
    expect((JSON.parse(build.stdout) as { errors: unknown[] }).errors).toEqual(errors);

    // And as text, with the line quoted under the message.
    const text = await csi(['validate'], {}, project);
    expect(text.stderr).toContain(`data/report.yaml:${line}:10  the council "Sefton Council" is not the one csi.config.yaml names`);
    expect(text.stderr).toContain(`  ${line} | council: Sefton Council\n`);
  });

  it('on a theme build-report cannot load', async () => {
    const project = await tempDir('csi-corpus-');
    await cp(SEED_DATA, join(project, 'data'), { recursive: true });
    await mkdir(join(project, 'ours'));
    await writeFile(join(project, 'ours/reprot.css'), 'h1 { color: black }\n');
    const validate = await csi(['validate', '--theme', 'ours'], {}, project);
    const build = await csi(['build-report', '--format', 'html', '--theme', 'ours'], {}, project);
    expect(validate.code).toBe(2);
    expect(validate).toEqual({ ...build, stdout: '' });
    expect(validate.stderr).toContain('does not override anything (did you mean report.css?)');
  });

  it('on a mistake in csi.config.yaml', async () => {
    const project = await tempDir('csi-corpus-');
    await cp(SEED_DATA, join(project, 'data'), { recursive: true });
    await writeFile(join(project, 'csi.config.yaml'), 'colours:\n  accent: "#ffcc00"\n');
    const validate = await csi(['validate', '--json'], {}, project);
    const build = await csi(['build-report', '--format', 'html', '--json'], {}, project);
    expect([validate.code, build.code]).toEqual([1, 1]);
    const errors = (JSON.parse(validate.stdout) as { errors: { code: string; file: string }[] }).errors;
    expect(errors.map((e) => `${e.code} ${e.file}`)).toEqual(['LOW_CONTRAST csi.config.yaml']);
    expect((JSON.parse(build.stdout) as { errors: unknown[] }).errors).toEqual(errors);
  });
});
