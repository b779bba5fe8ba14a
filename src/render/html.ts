import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { closest } from '../data/problems.js';
import { CsiError, orUsageError } from '../errors.js';
import { packageDir } from '../paths.js';
import type { ReportView } from './view.js';

/** The templates and stylesheet shipped with csi. */
export const BUILT_IN_TEMPLATES = packageDir('templates');

/** Compiled templates: the report page, and the running header and footer for print. */
export interface Templates {
  css: string;
  report: Handlebars.TemplateDelegate;
  printHeader: Handlebars.TemplateDelegate;
  printFooter: Handlebars.TemplateDelegate;
}

/** Every file a theme may override, besides partials: a theme file with another name is a mistake. */
export const TEMPLATE_FILES = ['report.hbs', 'report.css', 'theme.css', 'print-header.hbs', 'print-footer.hbs'] as const;

async function readOptionalDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw cause;
  }
}

/** A theme folder must exist, and name only files csi knows (partials may be new). */
async function checkTheme(dir: string): Promise<void> {
  const names = await orUsageError(readdir(dir), `theme folder "${dir}" cannot be read`, 'NO_THEME_DIR',
    'give a folder holding report.css, theme.css, report.hbs, print-*.hbs or partials/*.hbs');
  for (const name of names.filter((n) => /\.(hbs|css)$/.test(n))) {
    if ((TEMPLATE_FILES as readonly string[]).includes(name)) continue;
    const suggestion = closest(name, TEMPLATE_FILES);
    throw new CsiError(`theme file ${join(dir, name)} does not override anything`, {
      code: 'UNKNOWN_THEME_FILE',
      kind: 'usage',
      hint: suggestion ? `did you mean ${suggestion}?` : `a theme may hold ${TEMPLATE_FILES.join(', ')} and partials/*.hbs`,
    });
  }
}

/** The first of `dirs` that holds `name`, read; the last dir is the built-ins, which hold everything. */
async function readFirst(dirs: readonly string[], name: string): Promise<string> {
  for (const dir of dirs) {
    try {
      return await readFile(join(dir, name), 'utf8');
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT' && dir !== dirs.at(-1)) continue;
      throw new CsiError(`cannot read template ${join(dir, name)}`, { code: 'TEMPLATE_MISSING', kind: 'environment', cause });
    }
  }
  throw new CsiError(`no template ${name}`, { code: 'TEMPLATE_MISSING', kind: 'environment' });
}

/**
 * Reads and compiles the templates (trusted: they ship with csi or the user names
 * them). Each file is looked up in the theme folders in order, then in the
 * built-ins: the first folder that has a file of that name wins.
 */
export async function loadTemplates(themes: string | readonly string[] = []): Promise<Templates> {
  const themeDirs = typeof themes === 'string' ? [themes] : themes;
  for (const dir of themeDirs) await checkTheme(dir);
  const dirs = [...themeDirs, BUILT_IN_TEMPLATES];
  const hbs = Handlebars.create();
  const partials = new Set<string>();
  for (const dir of dirs) {
    for (const name of await readOptionalDir(join(dir, 'partials'))) if (name.endsWith('.hbs')) partials.add(name);
  }
  for (const name of [...partials].sort()) {
    hbs.registerPartial(basename(name, '.hbs'), await readFirst(dirs, join('partials', name)));
  }
  const compile = async (name: string) => {
    const source = await readFirst(dirs, name);
    try {
      return hbs.compile(source, { preventIndent: true });
    } catch (cause) {
      throw new CsiError(`template ${name} does not compile`, { code: 'TEMPLATE_ERROR', kind: 'environment', cause });
    }
  };
  // theme.css is empty in the built-ins: a theme that only adds rules keeps report.css.
  const css = [await readFirst(dirs, 'report.css'), await readFirst(dirs, 'theme.css')].join('\n');
  return {
    css,
    report: await compile('report.hbs'),
    printHeader: await compile('print-header.hbs'),
    printFooter: await compile('print-footer.hbs'),
  };
}

function run(template: Handlebars.TemplateDelegate, view: ReportView, name: string): string {
  try {
    return template(view);
  } catch (cause) {
    throw new CsiError(`template ${name} failed to render`, { code: 'TEMPLATE_ERROR', kind: 'environment', cause });
  }
}

/** The report as one self-contained HTML page. Pure. */
export function renderHtml(templates: Templates, view: ReportView): string {
  return run(templates.report, view, 'report.hbs');
}

/** Running header and footer for Chromium's print (they carry their own inline styles). */
export function renderPrintMargins(templates: Templates, view: ReportView): { header: string; footer: string } {
  return {
    header: run(templates.printHeader, view, 'print-header.hbs'),
    footer: run(templates.printFooter, view, 'print-footer.hbs'),
  };
}
