import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { csi, csiBinary } from './helpers/cli.js';
import type { Run } from './helpers/cli.js';
import { SEED_DATA, tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';

const ROOT = new URL('../', import.meta.url).pathname;
const VERSION = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Runs `node [flags] <package>/bin/csi.js args` in the package folder, with the code cache's log on; never rejects. */
function run(pkg: string, args: string[], env: NodeJS.ProcessEnv = {}, nodeFlags: string[] = []): Promise<Run> {
  return new Promise((resolve) => {
    const options = { encoding: 'utf8' as const, cwd: pkg, env: { ...process.env, NO_COLOR: '1', CSI_CODE_CACHE: 'log', NODE_OPTIONS: '', ...env } };
    execFile('node', [...nodeFlags, join(pkg, 'bin', 'csi.js'), ...args], options, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** The cache log's lines, with the package folder shown as `<pkg>` and the cache folder as `<cache>`. */
function cacheLog(r: Run, pkg: string, cacheDir?: string): string[] {
  return r.stderr
    .split('\n')
    .filter((line) => line.startsWith('csi: code cache: '))
    .map((line) => {
      let shown = line.slice('csi: code cache: '.length).replaceAll(pkg, '<pkg>');
      if (cacheDir) shown = shown.replaceAll(cacheDir, '<cache>');
      return shown.replace(/-[0-9a-f]{32}\.cache/g, '-<key>.cache');
    });
}

/**
 * csi as it would be installed, with only what the bundle needs: bin/, the bundle, its
 * loader and cache, and the shipped folders. No node_modules and none of tsc's dist/cli:
 * whatever runs here can only be the bundle.
 */
async function bundledCopy(): Promise<string> {
  const pkg = await tempDir('csi-bundled-');
  for (const path of ['package.json', 'bin', 'templates', 'themes', 'scaffold', 'schemas', 'data']) {
    await cp(join(ROOT, path), join(pkg, path), { recursive: true });
  }
  await mkdir(join(pkg, 'dist'));
  for (const file of ['csi.cjs', 'csi.cjs.cache', 'load-bundle.cjs']) await cp(join(ROOT, 'dist', file), join(pkg, 'dist', file));
  return pkg;
}

describe('bin/csi.js runs the bundle', () => {
  let pkg: string;
  beforeAll(async () => {
    pkg = await bundledCopy();
  });

  it('from one file and its code cache, with no node_modules and no tsc output beside it', async () => {
    const cache = await tempDir('csi-cache-');
    const version = await run(pkg, ['--version'], { CSI_CACHE_DIR: cache });
    expect(version).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    expect(cacheLog(version, pkg)).toEqual(['<pkg>/dist/csi.cjs: used <pkg>/dist/csi.cjs.cache']);

    const validate = await run(pkg, ['validate', 'data'], { CSI_CACHE_DIR: cache });
    expect(validate).toMatchObject({ code: 0, stdout: 'data is valid: 7 files checked\n' });
    // The cache made when csi was built served: nothing was written to the user's cache.
    expect(await readdir(cache)).toEqual([]);
  });

  it('writes the same HTML as the sources do', async () => {
    const env = { SOURCE_DATE_EPOCH: '1505779200' };
    const [fromBundle, fromSources] = [await tempDir(), await tempDir()];
    const bundled = await run(pkg, ['build-report', SEED_DATA, '--format', 'html', '--out', fromBundle, '-q'], env);
    expect(bundled.code).toBe(0);
    expect((await csi(['build-report', SEED_DATA, '--format', 'html', '--out', fromSources, '-q'], env)).code).toBe(0);
    expect(await readFile(join(fromBundle, 'report.html'), 'utf8')).toBe(await readFile(join(fromSources, 'report.html'), 'utf8'));
  });

  it('runs as well with a corrupt cache, and keeps its own in the user cache folder instead', async () => {
    const copy = await bundledCopy();
    await writeFile(join(copy, 'dist', 'csi.cjs.cache'), 'not a code cache at all');
    const cache = await tempDir('csi-cache-');
    const first = await run(copy, ['--version'], { CSI_CACHE_DIR: cache });
    expect(first).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    expect(cacheLog(first, copy, cache)).toEqual([
      '<pkg>/dist/csi.cjs.cache: not a csi code cache; not used',
      '<pkg>/dist/csi.cjs: no cache',
      'wrote <cache>/code/csi-<key>.cache',
    ]);
    const second = await run(copy, ['validate', 'data'], { CSI_CACHE_DIR: cache });
    expect(second).toMatchObject({ code: 0, stdout: 'data is valid: 7 files checked\n' });
    // Used; and written again, as it now holds validate's code too.
    expect(cacheLog(second, copy, cache)).toEqual(['<pkg>/dist/csi.cjs: used <cache>/code/csi-<key>.cache', 'wrote <cache>/code/csi-<key>.cache']);
    const third = await run(copy, ['validate', 'data'], { CSI_CACHE_DIR: cache });
    expect(cacheLog(third, copy, cache)).toEqual(['<pkg>/dist/csi.cjs: used <cache>/code/csi-<key>.cache']);
  });

  it('runs as well when V8 refuses the cache (the right label on the wrong bytes)', async () => {
    const copy = await bundledCopy();
    const file = join(copy, 'dist', 'csi.cjs.cache');
    const real = await readFile(file);
    const header = real.subarray(0, real.indexOf(10) + 1);
    await writeFile(file, Buffer.concat([header, Buffer.alloc(50_000, 0x5a)]));
    const cache = await tempDir('csi-cache-');
    const refused = await run(copy, ['validate', 'data'], { CSI_CACHE_DIR: cache });
    expect(refused).toMatchObject({ code: 0, stdout: 'data is valid: 7 files checked\n' });
    expect(cacheLog(refused, copy, cache)).toEqual([
      '<pkg>/dist/csi.cjs: refused by V8: <pkg>/dist/csi.cjs.cache',
      'wrote <cache>/code/csi-<key>.cache',
    ]);
    // From then on the user's cache is used, and the build's (which V8 would refuse again) is not.
    expect(cacheLog(await run(copy, ['validate', 'data'], { CSI_CACHE_DIR: cache }), copy, cache)).toEqual([
      '<pkg>/dist/csi.cjs: used <cache>/code/csi-<key>.cache',
    ]);
    // A user cache cut short is refused just the same, and written again.
    const [name] = await readdir(join(cache, 'code'));
    const userCache = join(cache, 'code', name!);
    await writeFile(userCache, (await readFile(userCache)).subarray(0, 5000));
    const r = await run(copy, ['--version'], { CSI_CACHE_DIR: cache });
    expect(r).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    expect(cacheLog(r, copy, cache)).toEqual(['<pkg>/dist/csi.cjs: refused by V8: <cache>/code/csi-<key>.cache', 'wrote <cache>/code/csi-<key>.cache']);
  });

  it('passes over a cache folder it cannot write, in silence', async () => {
    const copy = await bundledCopy();
    await writeFile(join(copy, 'dist', 'csi.cjs.cache'), '');
    const notAFolder = join(await tempDir(), 'file');
    await writeFile(notAFolder, '');
    for (const env of [{ CSI_CACHE_DIR: notAFolder }, { CSI_CACHE_DIR: 'off' }]) {
      const r = await run(copy, ['validate', 'data'], { ...env, CSI_CODE_CACHE: '' });
      expect(r).toEqual({ code: 0, stdout: 'data is valid: 7 files checked\n', stderr: '' });
    }
  });

  it('finds the user cache folder as the other caches of csi do', () => {
    const { userCacheDir } = createRequire(import.meta.url)('../dist/load-bundle.cjs') as { userCacheDir(env: NodeJS.ProcessEnv): string | undefined };
    expect(userCacheDir({ CSI_CACHE_DIR: 'off', XDG_CACHE_HOME: '/x' })).toBeUndefined();
    expect(userCacheDir({ CSI_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c/code');
    expect(userCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/csi/code');
    expect(userCacheDir({ XDG_CACHE_HOME: 'relative' })).toBe(join(homedir(), '.cache', 'csi', 'code'));
  });

  it('without a home folder, keeps its cache in a private folder of the temporary folder, and trusts no other', async () => {
    const copy = await bundledCopy();
    await writeFile(join(copy, 'dist', 'csi.cjs.cache'), '');
    const tmp = await tempDir();
    const env = { HOME: '/', TMPDIR: tmp, XDG_CACHE_HOME: '', CSI_CACHE_DIR: '' };
    const first = await run(copy, ['--version'], env);
    expect(first.code).toBe(0);
    const [folder] = await readdir(tmp);
    expect(folder).toMatch(/^csi-code-cache-\d+$/);
    expect((await stat(join(tmp, folder!))).mode & 0o777).toBe(0o700);
    expect(cacheLog(first, copy, join(tmp, folder!)).slice(1)).toEqual(['<pkg>/dist/csi.cjs: no cache', 'wrote <cache>/csi-<key>.cache']);
    expect(cacheLog(await run(copy, ['--version'], env), copy, join(tmp, folder!))).toEqual([
      '<pkg>/dist/csi.cjs: used <cache>/csi-<key>.cache',
    ]);
    // Opened to others, the folder is no longer trusted: neither read nor written.
    await chmod(join(tmp, folder!), 0o777);
    const opened = await run(copy, ['--version'], env);
    expect(opened).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    expect(cacheLog(opened, copy).slice(1)).toEqual(['<pkg>/dist/csi.cjs: no cache']);
  });

  it('keeps caches made under other V8 flags apart', async () => {
    const cache = await tempDir('csi-cache-');
    const flagged = await run(pkg, ['--version'], { CSI_CACHE_DIR: cache }, ['--stack-size=900']);
    expect(flagged.code).toBe(0);
    expect(cacheLog(flagged, pkg, cache)).toEqual([
      '<pkg>/dist/csi.cjs.cache: made for another bundle, Node or flags; not used',
      '<pkg>/dist/csi.cjs: no cache',
      'wrote <cache>/code/csi-<key>.cache',
    ]);
    const again = await run(pkg, ['--version'], { CSI_CACHE_DIR: cache }, ['--stack-size=900']);
    expect(cacheLog(again, pkg, cache)).toEqual(['<pkg>/dist/csi.cjs: used <cache>/code/csi-<key>.cache']);
    const plain = await run(pkg, ['--version'], { CSI_CACHE_DIR: cache });
    expect(cacheLog(plain, pkg, cache)).toEqual(['<pkg>/dist/csi.cjs: used <pkg>/dist/csi.cjs.cache']);
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

describe('what the bundles hold and load', () => {
  it('keeps puppeteer-core and pdf-lib out of the main bundle', async () => {
    const inputs = JSON.parse(await readFile(join(ROOT, 'dist', 'bundle-inputs.json'), 'utf8')) as Record<string, string[]>;
    expect(inputs['csi.cjs']!.filter((f) => /puppeteer|pdf-lib/.test(f))).toEqual(['pdf-bundle:pdf-lib', 'pdf-bundle:puppeteer-core']);
    expect(inputs['csi-pdf.cjs']!.some((f) => f.startsWith('node_modules/puppeteer-core/'))).toBe(true);
    expect(inputs['csi-pdf.cjs']!.some((f) => f.startsWith('node_modules/pdf-lib/'))).toBe(true);
  });

  it('never loads the PDF bundle to validate or build HTML', async () => {
    const cache = await tempDir('csi-cache-');
    const out = await tempDir();
    for (const args of [['validate', SEED_DATA], ['build-report', SEED_DATA, '--format', 'html', '--out', out]]) {
      const r = await run(ROOT, args, { CSI_CACHE_DIR: cache });
      expect(r.code).toBe(0);
      expect(cacheLog(r, ROOT)).toEqual(['<pkg>dist/csi.cjs: used <pkg>dist/csi.cjs.cache']);
    }
  });
});

describeWithBrowser('the PDF bundle', () => {
  it('is loaded, with its own cache, for a PDF', async () => {
    const r = await run(ROOT, ['build-report', SEED_DATA, '--format', 'pdf', '--out', await tempDir()], { CSI_CACHE_DIR: await tempDir('csi-cache-') });
    expect(r.code).toBe(0);
    expect(cacheLog(r, ROOT)).toEqual(['<pkg>dist/csi.cjs: used <pkg>dist/csi.cjs.cache', '<pkg>dist/csi-pdf.cjs: used <pkg>dist/csi-pdf.cjs.cache']);
  });

  it('prints the same PDF as the sources do, byte for byte', async () => {
    const env = { SOURCE_DATE_EPOCH: '1505779200' };
    const [fromBundle, fromSources] = [await tempDir(), await tempDir()];
    expect((await run(ROOT, ['build-report', SEED_DATA, '--format', 'pdf', '--out', fromBundle, '-q'], env)).code).toBe(0);
    expect((await csi(['build-report', SEED_DATA, '--format', 'pdf', '--out', fromSources, '-q'], env)).code).toBe(0);
    expect((await readFile(join(fromBundle, 'report.pdf'))).equals(await readFile(join(fromSources, 'report.pdf')))).toBe(true);
  });
});
