/**
 * Loads csi's one-file bundles (dist/csi.cjs, dist/csi-pdf.cjs; see scripts/bundle.mjs)
 * through a V8 code cache, so a run starts from compiled code rather than compiling
 * hundreds of modules afresh. Node 22 has a compile cache of its own; Node 20 has not.
 *
 * A cache is only ever a shortcut: when it is missing, stale, for another Node, made
 * under other V8 flags or refused by V8, the bundle compiles as it would without one, and
 * a cache that cannot be read or written is passed over in silence.
 *
 * Where caches are:
 * - beside the bundle (`dist/csi.cjs.cache`), made when csi is built by a warm-up run
 *   (scripts/bundle.mjs); never written at run time;
 * - in the user's cache folder (see userCacheDir: `~/.cache/csi/code` as a rule), written
 *   after a run that had no usable cache, or that used one made by runs of other commands.
 *
 * Each cache starts with a line naming what it is for: the bundle's sha256, Node and V8
 * versions, the architecture and the flags node was started with (V8 refuses a cache
 * made under other flags). V8 checks its own versions and flags again, and the length of
 * the source; the hash is what makes an edited bundle of the same length safe.
 *
 * `CSI_CODE_CACHE=off` loads the bundles without any cache; `CSI_CODE_CACHE=log` says on
 * stderr which bundle was loaded with which cache, and what was written.
 *
 * This file is CommonJS (tsc writes dist/load-bundle.cjs): bin/csi.js imports it, and the
 * main bundle requires it to load the PDF bundle, so both get the same instance.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { Script } from 'node:vm';

/** First bytes of every cache file; the version changes if the layout does. */
const MAGIC = 'csi-code-cache/1';
/** A cache file in the user's folder not written for this long is removed when another is written. */
const STALE_MS = 30 * 24 * 60 * 60 * 1000;

type Where = 'build' | 'user';

interface Candidate {
  where: Where;
  file: string;
  data: Buffer;
  covers: string[];
}

/** A loaded bundle: what its code exports, and what is known about its cache. */
export interface Bundle {
  file: string;
  exports: Record<string, unknown>;
  /** Which cache was offered to V8, if any. */
  cache: Where | 'none';
  /** V8 refused the cache offered (it compiled the bundle afresh). */
  rejected: boolean;
  /** The cache key: bundle hash, Node and V8 versions, architecture, flags. */
  key: string;
  /** Commands whose functions the cache offered holds (as far as csi knows). */
  covers: string[];
  script: Script | undefined;
}

const loaded = new Map<string, Bundle>();

function mode(): 'on' | 'off' | 'log' {
  const value = (process.env.CSI_CODE_CACHE ?? '').toLowerCase();
  return value === 'off' || value === '0' || value === 'false' ? 'off' : value === 'log' ? 'log' : 'on';
}

function log(message: string): void {
  if (mode() === 'log') process.stderr.write(`csi: code cache: ${message}\n`);
}

/** The flags V8 was started with, as far as a script can see them. */
function flags(): string {
  return [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join('\0');
}

function keyFor(source: Buffer, withFlags: string): string {
  const bundleHash = createHash('sha256').update(source).digest('hex');
  return createHash('sha256')
    .update(JSON.stringify([bundleHash, process.version, process.versions.v8, process.arch, process.platform, withFlags]))
    .digest('hex')
    .slice(0, 32);
}

/**
 * The folder for code caches in the user's cache: `code` under CSI_CACHE_DIR, else under
 * `csi` in XDG_CACHE_HOME or ~/.cache (the folder other caches of csi use too);
 * undefined with `CSI_CACHE_DIR=off`. Without a home folder, a folder of the user's own
 * in the temporary folder.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CSI_CACHE_DIR === 'off') return undefined;
  if (env.CSI_CACHE_DIR) return join(resolve(env.CSI_CACHE_DIR), 'code');
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'csi', 'code');
  let home = '';
  try {
    home = homedir();
  } catch {
    // no home folder (some service accounts): fall through to the temporary folder
  }
  if (home && isAbsolute(home) && home !== '/') return join(home, '.cache', 'csi', 'code');
  // Shared with other users: only a folder that is ours alone, not a link, will do (see trusted).
  if (typeof process.getuid !== 'function') return undefined;
  return join(tmpdir(), `csi-code-cache-${process.getuid()}`);
}

/** True when `dir` is safe to read caches from: in the temporary folder, only a private folder of our own. */
function trusted(dir: string): boolean {
  if (typeof process.getuid !== 'function' || !dir.startsWith(join(tmpdir(), 'csi-code-cache-'))) return true;
  try {
    const stat = lstatSync(dir);
    return stat.isDirectory() && stat.uid === process.getuid() && (stat.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

function userCacheFile(bundleFile: string, key: string): string | undefined {
  const dir = userCacheDir();
  return dir && join(dir, `${basename(bundleFile).replace(/\.c?js$/, '')}-${key}.cache`);
}

/** The cache in `file` if it is one, for this key; undefined otherwise (missing, unreadable, another key). */
function readCache(file: string, where: Where, key: string): Candidate | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
    if (where === 'user' && !trusted(dirname(file))) return undefined;
  } catch {
    return undefined;
  }
  const end = bytes.subarray(0, 4096).indexOf(10);
  const [magic, fileKey, covers = ''] = bytes.subarray(0, Math.max(end, 0)).toString('latin1').split(' ');
  if (magic !== MAGIC) {
    log(`${file}: not a csi code cache; not used`);
    return undefined;
  }
  if (fileKey !== key) {
    log(`${file}: made for another bundle, Node or flags; not used`);
    return undefined;
  }
  return { where, file, data: bytes.subarray(end + 1), covers: covers ? covers.split(',') : [] };
}

/**
 * Loads a bundle, with the best cache there is; undefined when the bundle is not there
 * (csi compiled by tsc alone). With `sourceMaps` (csi --debug) the bundle is loaded by
 * node's own loader instead, without a cache, so that stack traces point into src/.
 */
export function loadBundle(file: string, options: { sourceMaps?: boolean } = {}): Bundle | undefined {
  const known = loaded.get(file);
  if (known) return known;
  let source: Buffer;
  try {
    source = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const bundle: Bundle = { file, exports: {}, cache: 'none', rejected: false, key: '', covers: [], script: undefined };
  if (options.sourceMaps) {
    process.setSourceMapsEnabled(true);
    bundle.exports = createRequire(file)(file) as Record<string, unknown>;
    loaded.set(file, bundle);
    return bundle;
  }
  let candidate: Candidate | undefined;
  if (mode() !== 'off') {
    bundle.key = keyFor(source, flags());
    // The user's cache first: there is one for this key only if the build's was missing or
    // refused (which a same-numbered Node built differently can do: it would be refused again).
    const user = userCacheFile(file, bundle.key);
    candidate = user === undefined ? undefined : readCache(user, 'user', bundle.key);
    candidate ??= readCache(`${file}.cache`, 'build', bundle.key);
  }
  // scripts/bundle.mjs makes the bundle ASCII, which latin1 reads exactly and quicker than UTF-8.
  const text = source.toString(isAscii(source) ? 'latin1' : 'utf8');
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${text}\n})`;
  const script = new Script(wrapped, { filename: file, ...(candidate ? { cachedData: candidate.data } : {}) });
  bundle.script = script;
  if (candidate) {
    bundle.cache = candidate.where;
    bundle.covers = candidate.covers;
    bundle.rejected = script.cachedDataRejected === true;
  }
  log(`${file}: ${candidate ? `${bundle.rejected ? 'refused by V8:' : 'used'} ${candidate.file}` : 'no cache'}`);
  const module = { exports: {} as Record<string, unknown> };
  // Registered before it runs, so a bundle that loads another while starting finds itself.
  loaded.set(file, bundle);
  (script.runInThisContext() as (...args: unknown[]) => void).call(
    module.exports,
    module.exports,
    createRequire(file),
    module,
    file,
    dirname(file),
  );
  bundle.exports = module.exports;
  return bundle;
}

/** Writes `data` to `file` whole or not at all; false if it could not. */
function writeWhole(file: string, data: Buffer[], mode: number): boolean {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (!trusted(dirname(file))) return false;
    writeFileSync(temporary, Buffer.concat(data), { mode, flag: 'wx' });
    renameSync(temporary, file);
    return true;
  } catch (error) {
    log(`could not write ${file}: ${(error as Error).message}`);
    try {
      unlinkSync(temporary);
    } catch {
      // nothing was written
    }
    return false;
  }
}

/** Removes the user's code caches not written for a month (old versions of csi or Node). */
function pruneOld(dir: string, keep: string): void {
  try {
    for (const name of readdirSync(dir)) {
      if (!/^[a-z-]+-[0-9a-f]{32}\.cache$/.test(name) || join(dir, name) === keep) continue;
      const path = join(dir, name);
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) unlinkSync(path);
    }
  } catch {
    // a cache folder that cannot be tidied is no reason to fail
  }
}

/**
 * After a run: saves the compiled code of every bundle loaded, where it is worth it.
 *
 * `command` names what ran (`build-report`, `validate`, …): a cache made by other
 * commands is written again so that it holds this command's functions too. With
 * `to: 'build'` (the warm-up when csi is built) each cache is written beside its bundle,
 * for runs started without flags; `only` limits it to those bundles.
 */
export function saveCodeCaches(command: string | string[], options: { to?: 'build'; only?: string[] } = {}): void {
  if (mode() === 'off') return;
  const commands = (Array.isArray(command) ? command : [command]).filter((c) => /^[a-z][a-z-]{0,30}$/.test(c));
  for (const bundle of loaded.values()) {
    const script = bundle.script;
    if (!script || (options.only && !options.only.includes(bundle.file))) continue;
    // A cache holds what the commands run with it compiled (a refused one, nothing); sixteen
    // names are plenty (typos stop counting).
    const before = bundle.rejected ? [] : bundle.covers;
    const added = commands.filter((c) => !before.includes(c));
    const covers = [...before, ...(before.length + added.length <= 16 ? added : [])].sort();
    let file: string | undefined;
    let key = bundle.key;
    if (options.to === 'build') {
      file = `${bundle.file}.cache`;
      key = keyFor(readFileSync(bundle.file), '');
    } else {
      const useful = bundle.cache === 'none' || bundle.rejected || (bundle.cache === 'user' && covers.length > bundle.covers.length);
      if (!useful) continue;
      file = userCacheFile(bundle.file, key);
    }
    if (!file) continue;
    const header = Buffer.from(`${MAGIC} ${key} ${covers.join(',')}\n`, 'latin1');
    // Beside the bundle, for everyone who runs it; in the user's folder, for the user alone.
    if (writeWhole(file, [header, script.createCachedData()], options.to === 'build' ? 0o644 : 0o600)) {
      log(`wrote ${file}`);
      if (options.to !== 'build') pruneOld(dirname(file), file);
    }
  }
}

/** What a bundle exports; for the main bundle, `require('puppeteer-core')` and `require('pdf-lib')` come here. */
export function pdfDependency(name: 'puppeteer-core' | 'pdf-lib'): unknown {
  const bundle = loadBundle(join(__dirname, 'csi-pdf.cjs'), { sourceMaps: process.sourceMapsEnabled });
  if (!bundle) return createRequire(__filename)(name);
  return bundle.exports[name];
}
