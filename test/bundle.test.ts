import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { csi, csiBinary } from './helpers/cli.js';
import type { Run } from './helpers/cli.js';
import { SEED_DATA, tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';

const ROOT = new URL('../', import.meta.url).pathname;
const VERSION = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Runs `node <package>/bin/csi.js args` in the package folder; never rejects. */
function run(pkg: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const options = { encoding: 'utf8' as const, cwd: pkg, env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '', ...env } };
    execFile('node', [join(pkg, 'bin', 'csi.js'), ...args], options, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * csi as it would be installed, with only what the bundles need: bin/, `bundles` from
 * dist/, and the shipped folders. No node_modules and none of tsc's dist/cli: whatever
 * runs here can only be the bundles.
 */
async function bundledCopy(bundles: string[]): Promise<string> {
  const pkg = await tempDir('csi-bundled-');
  for (const path of ['package.json', 'bin', 'templates', 'themes', 'scaffold', 'schemas', 'data']) {
    await cp(join(ROOT, path), join(pkg, path), { recursive: true });
  }
  await mkdir(join(pkg, 'dist'));
  for (const file of bundles) await cp(join(ROOT, 'dist', file), join(pkg, 'dist', file));
  return pkg;
}

describe('bin/csi.js runs the bundle', () => {
  let pkg: string;
  beforeAll(async () => {
    // Without the PDF bundles: validating and building HTML must never need them.
    pkg = await bundledCopy(['csi.cjs']);
  });

  it('from one file, with no node_modules and no tsc output beside it', async () => {
    expect(await run(pkg, ['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect(await run(pkg, ['validate', 'data'])).toMatchObject({ code: 0, stdout: 'data is valid: 7 files checked\n' });
  });

  it('writes the same HTML as the sources do, without loading the PDF bundles', async () => {
    const env = { SOURCE_DATE_EPOCH: '1505779200' };
    const [fromBundle, fromSources] = [await tempDir(), await tempDir()];
    const bundled = await run(pkg, ['build-report', SEED_DATA, '--format', 'html', '--out', fromBundle, '-q'], env);
    expect(bundled).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await csi(['build-report', SEED_DATA, '--format', 'html', '--out', fromSources, '-q'], env)).code).toBe(0);
    expect(await readFile(join(fromBundle, 'report.html'), 'utf8')).toBe(await readFile(join(fromSources, 'report.html'), 'utf8'));
  });

  it('shows stacks from the sources with --debug, and one line without', async () => {
    const out = join(await tempDir(), 'file');
    await writeFile(out, '');
    const plain = await csiBinary(['build-report', SEED_DATA, '--format', 'html', '--out', out]);
    expect(plain.code).toBe(3);
    expect(plain.stderr).toMatch(/^csi: cannot write [^\n]*\n$/);
    const debug = await csiBinary(['--debug', 'build-report', SEED_DATA, '--format', 'html', '--out', out]);
    expect(debug.code).toBe(3);
    expect(debug.stderr).toMatch(/\n {4}at [^\n]*src\/output\.ts:\d+:\d+\)\n/);
  });

  it('runs from tsc output when there is no bundle', async () => {
    const copy = await tempDir('csi-unbundled-');
    for (const path of ['package.json', 'bin', 'dist']) await cp(join(ROOT, path), join(copy, path), { recursive: true });
    await rm(join(copy, 'dist', 'csi.cjs'));
    await symlink(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    const r = await run(copy, ['--version']);
    expect(r).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
});

describe('what the bundles hold', () => {
  it('keeps puppeteer-core, pdf-lib and the workbook libraries out of the main bundle, each in a bundle of its own', async () => {
    const inputs = JSON.parse(await readFile(join(ROOT, 'dist', 'bundle-inputs.json'), 'utf8')) as Record<string, string[]>;
    expect(Object.keys(inputs).sort()).toEqual(['csi-exceljs.cjs', 'csi-jszip.cjs', 'csi-pdf-lib.cjs', 'csi-puppeteer-core.cjs', 'csi.cjs']);
    expect(inputs['csi.cjs']!.filter((f) => /puppeteer|pdf-lib|exceljs|jszip/.test(f))).toEqual([]);
    expect(inputs['csi-puppeteer-core.cjs']!.some((f) => f.startsWith('node_modules/puppeteer-core/'))).toBe(true);
    expect(inputs['csi-puppeteer-core.cjs']!.some((f) => f.startsWith('node_modules/pdf-lib/'))).toBe(false);
    expect(inputs['csi-pdf-lib.cjs']!.some((f) => f.startsWith('node_modules/pdf-lib/'))).toBe(true);
  });
});

describeWithBrowser('the PDF bundles', () => {
  it('prints the same PDF as the sources do, byte for byte', async () => {
    const pkg = await bundledCopy(['csi.cjs', 'csi-puppeteer-core.cjs', 'csi-pdf-lib.cjs']);
    const env = { SOURCE_DATE_EPOCH: '1505779200' };
    const [fromBundle, fromSources] = [await tempDir(), await tempDir()];
    expect((await run(pkg, ['build-report', SEED_DATA, '--format', 'pdf', '--out', fromBundle, '-q'], env)).code).toBe(0);
    expect((await csi(['build-report', SEED_DATA, '--format', 'pdf', '--out', fromSources, '-q'], env)).code).toBe(0);
    expect((await readFile(join(fromBundle, 'report.pdf'))).equals(await readFile(join(fromSources, 'report.pdf')))).toBe(true);
  });
});
