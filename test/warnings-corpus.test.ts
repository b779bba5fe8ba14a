import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csi, csiBinary } from './helpers/cli.js';
import { corpusCases, seedWithCase } from './helpers/corpus.js';
import { SEED_DATA } from './helpers/data.js';

/**
 * The warnings corpus: test/fixtures/warnings/<CODE>/<case>/ holds the data files that
 * differ from the seed data, and expected.json says which warning csi must give and
 * where. Each case is a mistake that would otherwise lose data, or print it wrongly,
 * without a word: the data still builds, so it is a warning (exit 0), not an error,
 * unless --strict.
 */
interface Expected {
  description: string;
  code: string;
  file: string;
  line: number;
  column: number;
  /** Text the message or its hint contains. */
  says: string;
  /** How many warnings in all. */
  count: number;
}

interface Problem {
  code: string;
  file: string;
  line: number;
  column: number;
  message: string;
  hint?: string;
}

const CORPUS = new URL('./fixtures/warnings/', import.meta.url).pathname;

const cases = await corpusCases<Expected>(CORPUS);

describe('the warnings corpus', () => {
  it('has a case for every warning the issue names', () => {
    expect(new Set(cases.map((c) => c.expected.code))).toEqual(new Set(['COMMENT_IN_TEXT', 'INVISIBLE_CHARACTER', 'CURLY_QUOTES', 'WORD_BULLET', 'OWN_NUMBER']));
    for (const { name, expected } of cases) expect(name.split('/')[0]).toBe(expected.code);
  });

  it('leaves the seed without a warning', async () => {
    const run = await csi(['validate', SEED_DATA, '--json']);
    expect(JSON.parse(run.stdout)).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it.each(cases)('$name: $expected.description', async ({ dir, expected }) => {
    const data = await seedWithCase(dir);

    // The real binary: valid, exit 0, and the warning positioned in --json.
    const json = await csiBinary(['validate', data, '--json']);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as { valid: boolean; errors: Problem[]; warnings: Problem[] };
    expect(result.valid).toBe(true);
    expect(result.errors).toEqual([]);
    const found = result.warnings.find(
      (w) => w.code === expected.code && w.file === expected.file && w.line === expected.line && w.column === expected.column,
    );
    expect(found, `no ${expected.code} at ${expected.file}:${expected.line}:${expected.column} in\n${JSON.stringify(result.warnings, null, 2)}`).toBeDefined();
    expect(`${found?.message} ${found?.hint ?? ''}`).toContain(expected.says);
    expect(found?.hint).toBeTruthy();
    expect(result.warnings).toHaveLength(expected.count);

    // As text: positioned, marked as a warning, with the line quoted; still valid.
    const text = await csi(['validate', data], {}, data);
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(new RegExp(`(^|\\n)${expected.file.replace(/[.]/g, '\\.')}:${expected.line}:${expected.column}  warning: `));
    expect(text.stdout).toMatch(/ is valid: 7 files checked, with \d+ warnings?\n$/);

    // --strict refuses it, with the same warning.
    const strict = await csi(['validate', data, '--json', '--strict']);
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout)).toEqual({ valid: false, errors: [], warnings: result.warnings });

    // build-report builds, printing the same warnings, and lists them in --json; --strict writes nothing.
    const out = join(data, 'out');
    const build = await csi(['build-report', data, '--format', 'html', '--out', out, '--json']);
    expect(build.code).toBe(0);
    expect((JSON.parse(build.stdout) as { warnings: Problem[] }).warnings).toEqual(result.warnings);
    const strictOut = join(data, 'strict-out');
    const strictBuild = await csi(['build-report', data, '--format', 'html', '--out', strictOut, '--strict']);
    expect(strictBuild.code).toBe(1);
    expect(strictBuild.stderr).toContain('warning: ');
    expect(strictBuild.stderr).toMatch(/csi: \d+ warnings? \(--strict\) in .*; nothing was written\n$/);
    await expect(stat(strictOut)).rejects.toThrow();
  });
});
