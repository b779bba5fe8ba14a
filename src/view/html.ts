import { createHash } from 'node:crypto';
import { readdir, readFile, realpath } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { closest } from '../data/problems.js';
import { isInside } from '../data/read.js';
import { CsiError, orUsageError } from '../errors.js';
import { packageDir, PACKAGE_ROOT } from '../paths.js';
import type { ReportView } from './view.js';

/** The templates and stylesheet shipped with csi. */
export const BUILT_IN_TEMPLATES = packageDir('templates');

/** Compiled templates: the report page, and the running header and footer for print. */
export interface Templates {
  css: string;
  /** Rules for the scorecard, added to the page only when the report has one (the others' pages stay as they were). */
  scorecardCss: string;
  report: Handlebars.TemplateDelegate;
  printHeader: Handlebars.TemplateDelegate;
  printFooter: Handlebars.TemplateDelegate;
  /** Rules for tracker columns and areas above actions, added only to a report that uses them. */
  trackerCss: string;
}

/** Every file a theme may override, besides partials: a theme file with another name is a mistake. */
export const TEMPLATE_FILES = ['report.hbs', 'report.css', 'theme.css', 'tracker.css', 'scorecard.css', 'print-header.hbs', 'print-footer.hbs'] as const;

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
  return (await readFirstFrom(dirs, name)).text;
}

/**
 * A theme folder is closed: a file in it that is a symbolic link leading outside
 * it is refused, so a theme cannot bring in (or show in an error) a file from
 * elsewhere on the disk.
 */
async function checkInside(dir: string, name: string): Promise<void> {
  const path = join(dir, name);
  // A file that is not there (or a link to nothing) is simply not in this theme: nothing is read through it.
  const target = await realpath(path).catch(() => undefined);
  if (target === undefined || isInside(await realpath(dir), target)) return;
  throw new CsiError(`${path}: a symbolic link that leads outside the theme folder; csi reads only files inside it`, {
    code: 'LINK_OUTSIDE',
    kind: 'usage',
    hint: 'copy the file into the theme folder, or remove the link',
  });
}

/** As readFirst, saying whether the file is the built-in one. */
async function readFirstFrom(dirs: readonly string[], name: string): Promise<{ text: string; builtIn: boolean }> {
  for (const dir of dirs) {
    try {
      if (dir !== dirs.at(-1)) await checkInside(dir, name);
      return { text: await readFile(join(dir, name), 'utf8'), builtIn: dir === dirs.at(-1) };
    } catch (cause) {
      if (cause instanceof CsiError) throw cause;
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT' && dir !== dirs.at(-1)) continue;
      throw new CsiError(`cannot read template ${join(dir, name)}`, { code: 'TEMPLATE_MISSING', kind: 'environment', cause });
    }
  }
  throw new CsiError(`no template ${name}`, { code: 'TEMPLATE_MISSING', kind: 'environment' });
}

/** Handlebars' own options for every template and partial. */
export const COMPILE_OPTIONS = { preventIndent: true } as const;

/** The file `npm run build` writes: the built-in templates, precompiled (scripts/precompile-templates.mjs). */
export const PRECOMPILED_TEMPLATES = join(PACKAGE_ROOT, 'dist', 'templates.precompiled.cjs');

type Precompiled = Record<string, { sha256: string; spec: Parameters<typeof Handlebars.template>[0] }>;
let precompiled: Precompiled | null | undefined;

/**
 * The built-in templates as Handlebars compiled them at build time, by file name
 * (`report.hbs`, `partials/cover.hbs`), with the sha256 of the source each came from:
 * a template that differs from its precompiled source (edited since the build) is
 * compiled afresh. None when the build has not made them.
 */
function precompiledTemplates(): Precompiled | null {
  if (precompiled === undefined) {
    try {
      precompiled = createRequire(import.meta.url)(PRECOMPILED_TEMPLATES) as Precompiled;
    } catch {
      precompiled = null;
    }
  }
  return precompiled;
}

export interface LoadTemplateOptions {
  /** Use the templates precompiled at build time where they match the files (default true). */
  precompiled?: boolean;
}

/**
 * Reads and compiles the templates (trusted: they ship with csi or the user names
 * them). Each file is looked up in the theme folders in order, then in the
 * built-ins: the first folder that has a file of that name wins. Built-in files
 * come precompiled from the build when it has them.
 */
export async function loadTemplates(themes: string | readonly string[] = [], options: LoadTemplateOptions = {}): Promise<Templates> {
  const themeDirs = typeof themes === 'string' ? [themes] : themes;
  for (const dir of themeDirs) await checkTheme(dir);
  const dirs = [...themeDirs, BUILT_IN_TEMPLATES];
  const hbs = Handlebars.create();
  const partials = new Set<string>();
  for (const dir of dirs) {
    for (const name of await readOptionalDir(join(dir, 'partials'))) if (name.endsWith('.hbs')) partials.add(name);
  }
  const ready = options.precompiled === false ? null : precompiledTemplates();
  const compileFile = async (name: string) => {
    const { text, builtIn } = await readFirstFrom(dirs, name);
    const pre = builtIn ? ready?.[name.split('\\').join('/')] : undefined;
    if (pre && pre.sha256 === createHash('sha256').update(text).digest('hex')) return hbs.template(pre.spec);
    // Compiled now, with the options a partial compiled on first use would inherit.
    return hbs.compile(text, { ...COMPILE_OPTIONS });
  };
  for (const name of [...partials].sort()) {
    try {
      hbs.registerPartial(basename(name, '.hbs'), await compileFile(join('partials', name)));
    } catch (cause) {
      if (cause instanceof CsiError) throw cause;
      throw new CsiError(`template partials/${name} does not compile`, { code: 'TEMPLATE_ERROR', kind: 'environment', cause });
    }
  }
  const compile = async (name: string) => {
    try {
      return await compileFile(name);
    } catch (cause) {
      throw new CsiError(`template ${name} does not compile`, { code: 'TEMPLATE_ERROR', kind: 'environment', cause });
    }
  };
  // theme.css is empty in the built-ins: a theme that only adds rules keeps report.css.
  const css = [await readFirst(dirs, 'report.css'), await readFirst(dirs, 'theme.css')].join('\n');
  return {
    css,
    scorecardCss: await readFirst(dirs, 'scorecard.css'),
    report: await compile('report.hbs'),
    printHeader: await compile('print-header.hbs'),
    printFooter: await compile('print-footer.hbs'),
    trackerCss: await readFirst(dirs, 'tracker.css'),
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
