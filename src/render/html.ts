import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { CsiError } from '../errors.js';
import type { ReportView } from './view.js';

/** The templates and stylesheet shipped with csi. */
export const BUILT_IN_TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

/** Compiled templates: the report page, and the running header and footer for print. */
export interface Templates {
  css: string;
  report: Handlebars.TemplateDelegate;
  printHeader: Handlebars.TemplateDelegate;
  printFooter: Handlebars.TemplateDelegate;
}

async function read(dir: string, name: string): Promise<string> {
  try {
    return await readFile(join(dir, name), 'utf8');
  } catch (cause) {
    throw new CsiError(`cannot read template ${join(dir, name)}`, { code: 'TEMPLATE_MISSING', kind: 'environment', cause });
  }
}

/** Reads and compiles the templates in `dir` (trusted: they ship with csi). */
export async function loadTemplates(dir: string = BUILT_IN_TEMPLATES): Promise<Templates> {
  const hbs = Handlebars.create();
  const partialDir = join(dir, 'partials');
  for (const name of (await readdir(partialDir)).filter((n) => n.endsWith('.hbs')).sort()) {
    hbs.registerPartial(basename(name, '.hbs'), await read(partialDir, name));
  }
  const compile = async (name: string) => {
    const source = await read(dir, name);
    try {
      return hbs.compile(source, { preventIndent: true });
    } catch (cause) {
      throw new CsiError(`template ${name} does not compile`, { code: 'TEMPLATE_ERROR', kind: 'environment', cause });
    }
  };
  return {
    css: await read(dir, 'report.css'),
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
