#!/usr/bin/env node
/**
 * Bundles the CLI for a quick start (run by `npm run build`, `prepare` and `npm test`, after tsc):
 *
 *   dist/csi.cjs        the CLI, everything but puppeteer-core and pdf-lib, in one CommonJS file
 *   dist/csi-puppeteer-core.cjs, dist/csi-pdf-lib.cjs   each of those, loaded only when a PDF
 *                       is wanted: puppeteer as the build starts, pdf-lib while Chromium prints
 *   dist/*.cjs.map      their source maps (used by `csi --debug` only)
 *   dist/templates.precompiled.cjs  the built-in templates, precompiled (precompile-templates.mjs)
 *   dist/bundle-inputs.json  the files each bundle holds
 *
 * On Node 20, which has no compile cache, loading the few hundred modules behind tsc's
 * dist/ is most of a short run; one file is not. bin/csi.js runs dist/csi.cjs; tsc's dist/
 * stays as it was: it is the library API (dist/index.js).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { precompileTemplates } from './precompile-templates.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const MAIN = join(DIST, 'csi.cjs');
/** What only a PDF (or csi import/export's workbooks) needs: each its own bundle, which the main bundle requires for it. */
const PDF_DEPENDENCIES = ['puppeteer-core', 'pdf-lib', 'exceljs', 'jszip'];
const bundleOf = (name) => `csi-${name}.cjs`;

const started = performance.now();
precompileTemplates();

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // No comments or indentation: a smaller file to read. Names are kept, for stacks.
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
      // `require('puppeteer-core')` in the main bundle is `require('./csi-puppeteer-core.cjs')`.
      name: 'pdf-bundles',
      setup(b) {
        const names = new RegExp(`^(${PDF_DEPENDENCIES.join('|')})$`);
        b.onResolve({ filter: names }, (args) => ({ path: `./${bundleOf(args.path)}`, external: true }));
      },
    },
  ],
});

const pdf = {};
for (const name of PDF_DEPENDENCIES) {
  pdf[name] = await build({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: ROOT, sourcefile: `${name}-entry.cjs`, loader: 'js' },
    outfile: join(DIST, bundleOf(name)),
  });
}

// What each bundle holds, for the tests (test/bundle.test.ts) and the curious.
const inputs = (result) => Object.keys(result.metafile.inputs).sort();
const held = { 'csi.cjs': inputs(main), ...Object.fromEntries(PDF_DEPENDENCIES.map((name) => [bundleOf(name), inputs(pdf[name])])) };
writeFileSync(join(DIST, 'bundle-inputs.json'), `${JSON.stringify(held, null, 1)}\n`);
const size = (file) => `${file} ${(readFileSync(join(DIST, file)).length / 1024 / 1024).toFixed(1)} MiB`;
console.log(`bundled ${Object.keys(held).map(size).join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
