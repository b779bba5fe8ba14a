import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { csi as runCsi } from './helpers/cli.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { problemsFromIssues } from '../src/data/problems.js';
import { readYamlSource } from '../src/data/yaml-source.js';
import { SEED_DATA, seedCopy } from './helpers/data.js';

/** Runs csi in-process, capturing what it prints. */
/** csi in-process, with its options named. */
const csi = (args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; tty?: boolean } = {}) =>
  runCsi(args, options.env, options.cwd, options.tty);

/** 1-based number of the first line holding `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('csi validate', () => {
  it('says the seed data is valid, exit 0', async () => {
    const { code, stdout, stderr } = await csi(['validate', SEED_DATA]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/ is valid: 7 files checked\n$/);
  });

  it('prints {"valid": true, "errors": [], "warnings": []} with --json', async () => {
    const { code, stdout } = await csi(['validate', SEED_DATA, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it('prints each problem as file:line:column, the source line with a caret under the fault, and the hint', async () => {
    const data = await seedCopy('recommendations-2014.yaml', (t) => t.replace('        status: complete', '        statsu: complete'));
    const text = await readFile(join(data, 'recommendations-2014.yaml'), 'utf8');
    const line = lineOf(text, 'statsu');
    const { code, stdout, stderr } = await csi(['validate', data], { cwd: join(data, '..') });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const shown = relative(join(data, '..'), data);
    expect(stderr).toBe(
      `${shown}/recommendations-2014.yaml:${line}:9  the key "statsu" is not one csi knows\n` +
        `  ${line} |         statsu: complete\n` +
        `  ${' '.repeat(String(line).length)} |         ^\n` +
        '    hint: did you mean "status"?\n' +
        `csi: 1 problem in ${shown}\n`,
    );
  });

  it('reports every problem in every file in one run, across the schema and the cross-file checks', async () => {
    const data = await seedCopy('chronology.yaml', (t) => t.replace('date: 2012-06', 'date: 2012-02-30'));
    const report = join(data, 'report.yaml');
    await writeFile(report, (await readFile(report, 'utf8')).replace('status: final', 'status: published').replace('[[appendix:framework]]', '[[appendix:frame]]'));
    const { code, stdout } = await csi(['validate', data, '--json']);
    expect(code).toBe(1);
    const { valid, errors } = JSON.parse(stdout);
    expect(valid).toBe(false);
    expect(errors.map((e: { file: string; code: string }) => [e.file, e.code])).toEqual([
      ['chronology.yaml', 'INVALID_DATE'],
      ['report.yaml', 'NOT_ALLOWED'],
      ['report.yaml', 'UNKNOWN_REFERENCE'],
    ]);
    for (const e of errors) {
      expect(Object.keys(e).sort()).toEqual(expect.arrayContaining(['code', 'column', 'file', 'line', 'message', 'path']));
    }
  });

  it('prints nothing on stderr with --json, so the output can be piped', async () => {
    const data = await seedCopy('glossary.yaml', (t) => t.replace('terms:', 'term:'));
    const { code, stdout, stderr } = await csi(['validate', data, '--json']);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout).errors[0]).toMatchObject({ file: 'glossary.yaml', code: 'UNKNOWN_KEY', hint: 'did you mean "terms"?' });
  });

  it('colours only for a terminal, and never with NO_COLOR or --no-color', async () => {
    const data = await seedCopy('glossary.yaml', (t) => t.replace('terms:', 'term:'));
    expect((await csi(['validate', data], { tty: true })).stderr).toContain('\u001b[');
    expect((await csi(['validate', data], { tty: true, env: { NO_COLOR: '1' } })).stderr).not.toContain('\u001b[');
    expect((await csi(['--no-color', 'validate', data], { tty: true })).stderr).not.toContain('\u001b[');
    expect((await csi(['validate', data])).stderr).not.toContain('\u001b[');
  });

  it('shows control characters from a hostile file as U+FFFD, never raw', async () => {
    const data = await seedCopy('glossary.yaml', (t) => t.replace('terms:', 'red\u001b[31m: x\nterms:'));
    const { code, stderr } = await csi(['validate', data]);
    expect(code).toBe(1);
    expect(stderr).not.toContain('\u001b');
    expect(stderr).toContain('the key "red\ufffd[31m" is not one csi knows');
    expect(stderr).toContain('| red\ufffd[31m: x\n');
  });

  it('exits 2 for a data directory that does not exist, or an unknown option', async () => {
    const missing = await csi(['validate', '/nonexistent/data']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^csi: data directory "\/nonexistent\/data" cannot be read/);
    expect((await csi(['validate', '--stricter'])).code).toBe(2);
  });

  it('has help with examples and the exit codes', async () => {
    const { code, stdout } = await csi(['validate', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Examples:');
    expect(stdout).toContain('0 the data is valid, 1 it has problems (or warnings, with --strict), 2 wrong usage');
  });
});

describe('csi build-report runs the same validation', () => {
  it('reports the same problems, with the source line, and writes nothing', async () => {
    const data = await seedCopy('chronology.yaml', (t) => t.replace('date: 2012-06', 'date: 2012-02-30'));
    const validate = await csi(['validate', data]);
    const build = await csi(['build-report', data, '--out', join(data, 'out'), '--format', 'html']);
    expect(build.code).toBe(1);
    const problems = (stderr: string) => stderr.split('\n').filter((l) => !l.startsWith('csi:')).join('\n');
    expect(problems(build.stderr)).toBe(problems(validate.stderr));
    expect(build.stderr).toMatch(/nothing was written\n$/);
  });
});

describe('a value that may be written two ways (text, or a mapping)', () => {
  // As an exempt field is: `owner: Jo` or `owner: { text: Jo, exempt: { paragraph: 3 } }`.
  const Owner = z.strictObject({
    owner: z.union([z.string(), z.strictObject({ text: z.string(), exempt: z.strictObject({ paragraph: z.number() }) })]),
  });
  const check = (yaml: string) => {
    const { source } = readYamlSource('x.yaml', new TextEncoder().encode(yaml));
    const result = Owner.safeParse(source!.value);
    return result.success ? [] : problemsFromIssues(source!, Owner, result.error.issues).map((p) => ({
      code: p.code, at: `${p.position?.line}:${p.position?.column}`, message: p.message, hint: p.hint,
    }));
  };

  it('reports a mistake inside the mapping form at its key, with "did you mean"', () => {
    expect(check('owner:\n  text: Jo\n  exemt: { paragraph: 3 }\n')).toEqual([
      { code: 'UNKNOWN_KEY', at: '3:3', message: 'the key "exemt" is not one csi knows', hint: 'did you mean "exempt"?' },
    ]);
  });

  it('says both forms when the value is neither', () => {
    expect(check('owner: 42\n')).toEqual([
      { code: 'WRONG_TYPE', at: '1:8', message: '"owner" should be text or a mapping of keys to values, not the number 42', hint: 'quote it: "42"' },
    ]);
  });

  it('calls a value left empty after its colon empty', () => {
    expect(check('owner:\n')).toMatchObject([{ code: 'EMPTY_TEXT', message: '"owner" is empty' }]);
  });
});
