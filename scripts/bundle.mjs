#!/usr/bin/env node
/**
 * Bundles the CLI for a quick start (run by `npm run build`, `prepare` and `npm test`, after tsc):
 *
 *   dist/csi.cjs        the CLI, everything but puppeteer-core and pdf-lib, in one CommonJS file
 *   dist/csi-pdf.cjs    puppeteer-core and pdf-lib, loaded only when a PDF is wanted
 *   dist/*.cjs.map      their source maps (used by `csi --debug` only)
 *   dist/templates.precompiled.cjs  the built-in templates, precompiled (precompile-templates.mjs)
 *   dist/bundle-inputs.json  the files each bundle holds
 *   dist/*.cjs.cache    V8 code caches, made by a warm-up run of each: the seed plan's HTML
 *                       (and validation, and a diff) for csi.cjs, its PDF for csi-pdf.cjs (when a browser
 *                       is installed; otherwise the first PDF run makes one in the user's cache)
 *
 * bin/csi.js loads them through src/load-bundle.cts. On Node 20, which has no compile cache,
 * loading a few hundred modules was most of a short run; one file from compiled code is not.
 * tsc's dist/ stays as it was: it is the library API (dist/index.js).
 *
 *   node scripts/bundle.mjs               bundle, then warm up
 *   node scripts/bundle.mjs --no-warm-up  bundle only (no caches; runs make their own)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const MAIN = join(DIST, 'csi.cjs');
const PDF = join(DIST, 'csi-pdf.cjs');
/** What the PDF bundle holds; the main bundle asks dist/load-bundle.cjs for them. */
const PDF_DEPENDENCIES = ['puppeteer-core', 'pdf-lib'];

const [mode] = process.argv.slice(2);
if (mode === '--warm-up-html' || mode === '--warm-up-pdf') await warmUp(mode);
else await bundle(mode !== '--no-warm-up');

async function bundle(warm) {
  const { build } = await import('esbuild');
  const started = performance.now();
  const { precompileTemplates } = await import('./precompile-templates.mjs');
  precompileTemplates();
  for (const file of [MAIN, PDF]) rmSync(`${file}.cache`, { force: true });

  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // ASCII only (esbuild escapes the rest), so the loader can read the file as latin1.
    charset: 'ascii',
    // No comments or indentation: a smaller file to read and hash. Names are kept, for stacks.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'external',
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    // import.meta.url (src/paths.ts) is the bundle's own URL.
    define: { 'import.meta.url': '__csi_import_meta_url' },
    banner: { js: 'var __csi_import_meta_url=require("node:url").pathToFileURL(__filename).href;' },
  };

  const main = await build({
    ...common,
    entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')],
    outfile: MAIN,
    plugins: [
      {
        name: 'pdf-bundle',
        setup(b) {
          const names = new RegExp(`^(${PDF_DEPENDENCIES.join('|')})$`);
          b.onResolve({ filter: names }, (args) => ({ path: args.path, namespace: 'pdf-bundle' }));
          b.onLoad({ filter: /.*/, namespace: 'pdf-bundle' }, (args) => ({
            contents: `module.exports = require('./load-bundle.cjs').pdfDependency(${JSON.stringify(args.path)});`,
            loader: 'js',
          }));
          b.onResolve({ filter: /^\.\/load-bundle\.cjs$/ }, () => ({ path: './load-bundle.cjs', external: true }));
        },
      },
    ],
  });

  const pdf = await build({
    ...common,
    stdin: {
      contents: `module.exports = {${PDF_DEPENDENCIES.map((name) => `get ${JSON.stringify(name)}() { return require(${JSON.stringify(name)}); }`).join(', ')}};`,
      resolveDir: ROOT,
      sourcefile: 'csi-pdf-entry.cjs',
      loader: 'js',
    },
    outfile: PDF,
  });

  for (const [file, result] of [[MAIN, main], [PDF, pdf]]) check(file, result.metafile);
  // What each bundle holds, for the tests (test/bundle.test.ts) and the curious.
  const inputs = (result) => Object.keys(result.metafile.inputs).sort();
  writeFileSync(join(DIST, 'bundle-inputs.json'), `${JSON.stringify({ 'csi.cjs': inputs(main), 'csi-pdf.cjs': inputs(pdf) }, null, 1)}\n`);
  const size = (file) => `${relative(ROOT, file)} ${(readFileSync(file).length / 1024 / 1024).toFixed(1)} MiB`;
  console.log(`bundled ${size(MAIN)}, ${size(PDF)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  if (!warm) return;
  for (const step of ['--warm-up-html', '--warm-up-pdf']) {
    const env = { ...process.env };
    // The build caches are for runs started without flags; and a warm-up neither uses the
    // user's caches nor leaves anything in them (all of csi's caches go to a folder thrown away after).
    delete env.NODE_OPTIONS;
    delete env.CSI_CODE_CACHE;
    delete env.CSI_CACHE_DIR;
    env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), 'csi-warm-up-cache-'));
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), step], { env, stdio: 'inherit' });
    rmSync(env.XDG_CACHE_HOME, { recursive: true, force: true });
    if (run.status !== 0) throw new Error(`scripts/bundle.mjs ${step} failed`);
  }
}

/**
 * Fails the build on what the loader cannot run: import() of a module outside the bundle
 * (a vm.Script has no module loader). And makes the file ASCII, so the loader can read it
 * as latin1, quicker than UTF-8: esbuild escapes strings, identifiers and templates, and
 * minifying drops comments, which leaves regular expression literals (puppeteer has one
 * with a "¶"); a \u escape means the same there, in a string or an identifier.
 */
function check(file, metafile) {
  for (const [output, { imports }] of Object.entries(metafile.outputs)) {
    for (const i of imports) {
      if (i.external && i.kind === 'dynamic-import') {
        throw new Error(`${output}: import('${i.path}') stays outside the bundle; the loader (a vm.Script) cannot run it`);
      }
    }
  }
  const text = readFileSync(file, 'utf8');
  // eslint-disable-next-line no-control-regex
  const ascii = text.replace(/[^\u0000-\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(file, ascii);
}

/**
 * Runs csi from the bundle in this process, as a user would, and keeps what V8 compiled:
 * the seed plan validated and built as HTML for the main bundle, printed as PDF for the
 * PDF bundle (skipped, with a note, when no browser is found).
 */
async function warmUp(step) {
  const require = createRequire(import.meta.url);
  const { loadBundle, saveCodeCaches } = require(join(DIST, 'load-bundle.cjs'));
  const { main } = loadBundle(MAIN).exports;
  const work = mkdtempSync(join(tmpdir(), 'csi-warm-up-'));
  let said = '';
  const io = {
    stdout: { write: () => true, isTTY: false },
    stderr: { write: (text) => (said += text), isTTY: false },
    env: { ...process.env, NO_COLOR: '1' },
    cwd: work,
  };
  const data = join(ROOT, 'data');
  const out = join(work, 'out');
  try {
    if (step === '--warm-up-html') {
      const codes = [
        await main(['validate', data], io),
        await main(['build-report', '--format', 'html', '--out', out, data], io),
        // The seed against itself: no changes, but every item collected and compared.
        await main(['diff', data, data, '--format', 'json'], io),
      ];
      if (codes.some((code) => code !== 0)) throw new Error(`the warm-up run failed:\n${said}`);
      saveCodeCaches(['validate', 'build-report', 'diff'], { to: 'build', only: [MAIN] });
      console.log(`code cache: ${relative(ROOT, MAIN)}.cache (validate, HTML build and diff of data/)`);
    } else {
      const code = await main(['build-report', '--format', 'pdf', '--out', out, data], io);
      if (code !== 0) {
        console.log(`code cache: none for ${relative(ROOT, PDF)} (no PDF warm-up: ${said.trim().split('\n').at(-1)})`);
        return;
      }
      saveCodeCaches(['build-report'], { to: 'build', only: [PDF] });
      console.log(`code cache: ${relative(ROOT, PDF)}.cache (PDF build of data/)`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
