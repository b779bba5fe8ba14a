import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csi } from './helpers/cli.js';
import { SEED_DATA, seedCopy, tempDir } from './helpers/data.js';

describe('csi build-report', () => {
  it('writes the HTML report and says where', async () => {
    const out = await tempDir();
    const { code, stdout, stderr } = await csi(['build-report', SEED_DATA, '--out', out, '--format', 'html']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^wrote .*report\.html \(html, \d+ bytes\)\n$/);
    expect(await readdir(out)).toEqual(['report.html']);
  });

  it('describes what it wrote as one JSON object with --json', async () => {
    const out = await tempDir();
    const { code, stdout } = await csi(['build-report', SEED_DATA, '--out', out, '--format', 'html', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ ok: true, outputs: [{ format: 'html', path: join(out, 'report.html') }] });
    expect(result.outputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('exits 1 on invalid data, naming file, line and column, and writes nothing', async () => {
    const data = await seedCopy('glossary.yaml', (t) => t.replace('terms:', 'terms:\n  - { term: OSC, meaning: x }\nterm:'));
    const out = await tempDir();
    await writeFile(join(out, 'report.html'), 'previous good report');
    const { code, stderr, stdout } = await csi(['build-report', data, '--out', out], {}, data);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const line = (await readFile(join(data, 'glossary.yaml'), 'utf8')).split('\n').indexOf('terms:') + 2;
    expect(stderr).toContain(`glossary.yaml:${line}:5  the required key "definition" is missing\n`);
    expect(stderr).toContain(
      `glossary.yaml:${line}:18  the key "meaning" is not one csi knows\n  ${line} |   - { term: OSC, meaning: x }\n    |                  ^\n    hint: allowed keys here: term, definition\n`,
    );
    expect(stderr).toContain(`glossary.yaml:${line + 1}:1  the key "term" is not one csi knows\n  ${line + 1} | term:\n    | ^\n    hint: did you mean "terms"?\n`);
    expect(stderr).toMatch(/nothing was written\n$/);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await readFile(join(out, 'report.html'), 'utf8')).toBe('previous good report');
    expect(await readdir(out)).toEqual(['report.html']);
  });

  it('prints the problems as JSON too with --json', async () => {
    const data = await seedCopy('report.yaml', (t) => t.replace('status: final', 'status: 3'));
    const line = (await readFile(join(data, 'report.yaml'), 'utf8')).split('\n').indexOf('status: 3') + 1;
    const { code, stdout } = await csi(['build-report', data, '--json', '--out', await tempDir()]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: false,
      exitCode: 1,
      errors: [{ file: 'report.yaml', line, column: 9, path: 'status', code: 'NOT_ALLOWED' }],
    });
  });

  it('exits 3 with a one-line fix when there is no browser, and still writes the HTML', async () => {
    const out = await tempDir();
    await writeFile(join(out, 'report.html'), 'previous report');
    const { code, stderr } = await csi(['build-report', SEED_DATA, '--out', out], { CSI_CHROME: '/nonexistent/chrome' });
    expect(code).toBe(3);
    expect(stderr).toBe('csi: the browser "/nonexistent/chrome" does not exist or cannot be run (check the CSI_CHROME path)\n');
    // Without a browser the officer still gets the web version; the PDF is not touched.
    expect(await readdir(out)).toEqual(['report.html']);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('exits 3 when the output cannot be written, leaving no temporary files', async () => {
    const parent = await tempDir();
    const blocked = join(parent, 'out');
    await writeFile(blocked, 'a file where the folder should be');
    const { code, stderr } = await csi(['build-report', SEED_DATA, '--out', blocked, '--format', 'html']);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^csi: cannot write .*report\.html \(E[A-Z]+\) \(choose another folder with --out, or check its permissions\)\n$/);
    expect(await readdir(parent)).toEqual(['out']);
  });

  it('exits 2 for a data directory that does not exist', async () => {
    const { code, stderr } = await csi(['build-report', '/nonexistent/data', '--format', 'html']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^csi: data directory "\/nonexistent\/data" cannot be read/);
  });
});

describe('usage', () => {
  it('exits 2 for an unknown option or command, suggesting the closest command', async () => {
    expect((await csi(['build-report', '--colour'])).code).toBe(2);
    const unknown = await csi(['build-reprt']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('(Did you mean build-report?)');
    expect((await csi(['build-report', '--format', 'docx'])).code).toBe(2);
  });

  it('prints help and version, exit 0', async () => {
    const help = await csi(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('build-report');
    const commandHelp = await csi(['build-report', '--help']);
    expect(commandHelp.stdout).toContain('Examples:');
    const version = await csi(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('shows help and exits 2 when given no command', async () => {
    const { code, stderr } = await csi([]);
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: csi');
  });
});

