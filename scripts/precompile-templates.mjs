// @ts-check
/**
 * Precompiles the built-in Handlebars templates (templates/*.hbs, templates/partials/*.hbs)
 * into dist/templates.precompiled.cjs, so a run does not compile them again. Each comes
 * with the sha256 of its source: src/view/html.ts uses a precompiled template only while
 * the file still matches, and compiles it afresh otherwise. Run by scripts/bundle.mjs.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TEMPLATES = join(ROOT, 'templates');
export const PRECOMPILED = join(ROOT, 'dist', 'templates.precompiled.cjs');

/** The same options src/view/html.ts compiles with (COMPILE_OPTIONS). */
const OPTIONS = { preventIndent: true };

export function precompileTemplates() {
  const names = [
    ...readdirSync(TEMPLATES).filter((n) => n.endsWith('.hbs')),
    ...readdirSync(join(TEMPLATES, 'partials')).filter((n) => n.endsWith('.hbs')).map((n) => `partials/${n}`),
  ].sort();
  const entries = names.map((name) => {
    const source = readFileSync(join(TEMPLATES, name), 'utf8');
    const sha256 = createHash('sha256').update(source).digest('hex');
    return `${JSON.stringify(name)}:{sha256:${JSON.stringify(sha256)},spec:${Handlebars.precompile(source, { ...OPTIONS })}}`;
  });
  const text = `// Made by scripts/precompile-templates.mjs from templates/: do not edit.\n"use strict";\nmodule.exports={\n${entries.join(',\n')}\n};\n`;
  writeFileSync(`${PRECOMPILED}.tmp`, text);
  renameSync(`${PRECOMPILED}.tmp`, PRECOMPILED);
  return names.length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`precompiled ${precompileTemplates()} templates into dist/templates.precompiled.cjs`);
}
