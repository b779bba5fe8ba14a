import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { PDFDocument } from 'pdf-lib';
import type { DataSet } from './data/dataset.js';
import { parseDataSet } from './data/dataset.js';
import { checkDataDir, readDataDir } from './data/read.js';
import { addChangesAppendix } from './diff/appendix.js';
import { changesSince } from './diff/source.js';
import { CsiError, InvalidDataError } from './errors.js';
import type { Audience } from './model/exempt.js';
import { buildModel } from './model/report.js';
import { withhold } from './model/withhold.js';
import { OutputSet } from './output.js';
import { gitState } from './git.js';
import { describeProvenance, readProvenance } from './provenance.js';
import type { Provenance } from './provenance.js';
import { brandingCss } from './render/branding.js';
import type { Branding } from './render/branding.js';
import { findBrowser } from './render/browser.js';
import { loadTemplates, renderHtml, renderPrintMargins } from './render/html.js';
import type { Templates } from './render/html.js';
import { statusCss } from './render/statuses.js';
import { guessPages, printWithPageNumbers } from './render/paginate.js';
import type { PageNumbers } from './render/paginate.js';
import { numberedAnchors, withPageNumbers } from './render/page-number.js';
import type { PdfPrinter, PrinterOptions } from './render/pdf.js';
import { buildView } from './render/view.js';
import type { ViewModel } from './render/view.js';
import { trace } from './trace.js';
import { VERSION } from './version.js';
import type { StatusScheme } from './model/status.js';

export type OutputFormat = 'html' | 'pdf';

/** The stages of a build, in the order they run for each report. */
export const STAGES = ['read', 'check', 'provenance', 'model', 'withhold', 'changes', 'view', 'html', 'print', 'finish', 'write'] as const;
export type Stage = (typeof STAGES)[number];

/** A stage of the build as it starts; it ends when the next one starts or the build returns. */
export interface Progress {
  stage: Stage;
  /** The data folder of the report the stage works on. */
  dataDir: string;
  /** `write`: the file written. */
  path?: string;
  /** `finish`: how many times the report was printed (once, unless a check of its page numbers failed). */
  prints?: number;
}

/** Launches the browser that prints PDFs; one per run. */
export type LaunchPrinter = (options: PrinterOptions) => Promise<PdfPrinter>;

export interface BuildOptions {
  /** Folder holding report.yaml and the appendix files. Default `data`. */
  dataDir?: string;
  /** Folder the outputs are written to. Default `out`. */
  outDir?: string;
  /** Which outputs to write. Default both. */
  formats?: OutputFormat[];
  /** Browser to print with; otherwise CSI_CHROME, then the usual places. */
  chrome?: string;
  /** Environment to read CSI_CHROME and SOURCE_DATE_EPOCH from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** `public` (default) leaves exempt information out; `exempt` keeps it and marks every page. */
  audience?: Audience;
  /** Give up on the browser after this long (default: pdf.ts's). */
  renderTimeoutMs?: number | undefined;
  /** A git revision (or data folder): add an appendix listing what changed since it. */
  changesSince?: string;
  /** Told as each stage starts, for a progress display. */
  onProgress?: (progress: Progress) => void;
  /** Launches the browser. Default: the printer in render/pdf.ts (tests count launches with their own). */
  launchPrinter?: LaunchPrinter;
  /** Print where the report came from (commit, data hash) in the footer of a final report too, as a draft's has. */
  provenanceOnPages?: boolean;
  /** Theme folders whose templates and CSS replace the built-in ones by name, first match wins. */
  theme?: string | readonly string[] | undefined;
  /** The council's logo, colours, and the council and committee the report must name. */
  branding?: Branding | undefined;
  /** Treat warnings as problems: nothing is written while the data has any. */
  strict?: boolean | undefined;
  /** The council's status words and ratings (csi.config.yaml). Default: csi's own. */
  statuses?: StatusScheme | undefined;
}

export interface WrittenOutput {
  format: OutputFormat;
  path: string;
  bytes: number;
  sha256: string;
  pages?: number;
}

export interface BuildResult {
  dataDir: string;
  audience: Audience;
  outputs: WrittenOutput[];
  /** Data that reads, but likely not as its author meant (positioned, with the fix). */
  warnings: CsiError[];
}

/** One report to build: where its data is and where it goes. */
export interface ReportJob {
  dataDir: string;
  outDir: string;
}

/** Reads and checks a data directory, throwing every problem at once. */
export async function loadData(dataDir: string, branding?: Branding, statuses?: StatusScheme): Promise<DataSet> {
  return check(await readDataDir(dataDir), dataDir, { branding, statuses }).data;
}

/** Every problem in a data directory, all at once; none means it is valid. */
export async function validate(dataDir = 'data', branding?: Branding, statuses?: StatusScheme): Promise<{ valid: boolean; problems: CsiError[] }> {
  const { result } = await checkDataDir(dataDir, { expected: branding, statuses });
  return result.ok ? { valid: true, problems: [] } : { valid: false, problems: result.problems };
}

/**
 * The report, in memory: read → check → provenance → model → withhold → (changes) →
 * view → HTML. What building its HTML needs, and what printing it needs.
 */
export async function renderReport(
  options: Pick<BuildOptions, 'dataDir' | 'theme' | 'branding' | 'statuses' | 'onProgress' | 'changesSince' | 'audience' | 'env' | 'strict' | 'provenanceOnPages'> & {
    /** Render the HTML for printing only (a PDF-only build): with a page number, not known yet, wherever the print shows one. */
    forPrint?: boolean;
  } = {},
  /** Compiled templates to reuse across reports; by default they are loaded for this one. */
  templatesFor: () => Promise<Templates> = () => loadTemplates(options.theme ?? []),
) {
  const dataDir = options.dataDir ?? 'data';
  const audience = options.audience ?? 'public';
  const tell = (stage: Stage) => options.onProgress?.({ stage, dataDir });
  tell('read');
  const git = gitState(dataDir); // git answers while the data is read and checked
  const files = await readDataDir(dataDir);
  tell('check');
  const { data, warnings } = check(files, dataDir, options);
  tell('provenance');
  const provenance = await readProvenance({ dataDir, files, planVersion: data.report.version, env: options.env ?? process.env, git });
  tell('model');
  const model = buildModel(data);
  tell('withhold');
  const withheld = withhold(model, audience);
  let report: ViewModel = withheld;
  if (options.changesSince) {
    tell('changes');
    report = addChangesAppendix(withheld, await changesSince(options.changesSince, dataDir, data, audience));
  }
  tell('view');
  const templates = await templatesFor();
  const scorecard = report.appendices.some((a) => a.kind === 'scorecard') ? `\n${templates.scorecardCss}` : '';
  const viewFor = view(report, templates.css + scorecard + statusCss(data.statuses), provenance, options);
  const forPrint = options.forPrint ?? false;
  const shown = viewFor(forPrint ? NOT_NUMBERED_YET : undefined);
  tell('html');
  const html = renderHtml(templates, shown);
  trace(`HTML rendered: ${dataDir}`);
  return { model: report, templates, view: shown, viewFor, provenance, audience, html, forPrint, warnings };
}

export type RenderedReport = Awaited<ReturnType<typeof renderReport>>;

/**
 * read → check → provenance → model → withhold → (changes) → view → HTML → print →
 * finish → write, for one data folder or several with one browser. Nothing is written
 * unless every data set is valid, and nothing is replaced unless every output was
 * made: each output is staged beside its target, and all are renamed into place
 * together at the end. One exception, so an officer without a browser still gets the
 * web version: when no browser can be found at all, the HTML is put in place before
 * csi stops.
 */
export async function buildReports(jobs: readonly ReportJob[], options: BuildOptions = {}): Promise<BuildResult[]> {
  const formats = options.formats ?? ['html', 'pdf'];
  const printer = formats.includes('pdf') ? startPrinter(options) : undefined; // boots while the data is read
  const outputs = new OutputSet();
  try {
    let compiled: Promise<Templates> | undefined;
    const templates = () => (compiled ??= loadTemplates(options.theme ?? []));
    const reports: { job: ReportJob; report: RenderedReport; result: BuildResult }[] = [];
    // A PDF-only build renders its HTML once, for the print.
    const forPrint = !formats.includes('html');
    for (const job of jobs) {
      const report = await renderReport({ ...options, dataDir: job.dataDir, forPrint }, templates);
      reports.push({ job, report, result: { dataDir: job.dataDir, audience: report.audience, outputs: [], warnings: report.warnings } });
    }
    if (formats.includes('html')) {
      for (const { job, report, result } of reports) result.outputs.push(await writeHtml(job, report, outputs, options));
    }
    if (printer) {
      const ready = await printer.ready(outputs);
      for (const { job, report, result } of reports) result.outputs.push(await printPdf(job, report, ready, outputs, options));
    }
    await outputs.commit();
    trace('outputs in place');
    return reports.map((r) => r.result);
  } finally {
    await outputs.discard();
    await printer?.close();
  }
}

/** One report: `buildReports` for one data folder. */
export async function buildReport(options: BuildOptions = {}): Promise<BuildResult> {
  const job = { dataDir: options.dataDir ?? 'data', outDir: options.outDir ?? 'out' };
  const [result] = await buildReports([job], options);
  return result!;
}

// ---- the stages ---------------------------------------------------------------

/**
 * The check stage (all `csi validate` runs): the data set and its warnings, or every
 * problem at once, the council and committee the config names included. `strict`
 * refuses warnings too.
 */
function check(files: Map<string, Uint8Array>, dataDir: string, options: Pick<BuildOptions, 'branding' | 'statuses' | 'strict'>) {
  const { branding, statuses, strict } = options;
  const result = parseDataSet(files, { expected: branding, statuses });
  if (!result.ok) throw new InvalidDataError(result.problems, dataDir, result.warnings);
  if (strict && result.warnings.length > 0) throw new InvalidDataError([], dataDir, result.warnings);
  return { data: result.data, warnings: result.warnings };
}

/** A print's page numbers before the report is printed: a 0 in each place, for the printer to set (render/paginate.ts). */
const NOT_NUMBERED_YET = () => 0;

/** The view stage: the view of the report, optionally with the printed page of each heading (print only). */
function view(report: ViewModel, css: string, provenance: Provenance, { branding, provenanceOnPages }: Pick<BuildOptions, 'branding' | 'provenanceOnPages'>) {
  const options = {
    css: css + brandingCss(branding?.colours),
    generator: `csi ${VERSION}`,
    provenance: describeProvenance(provenance),
    provenanceOnPages,
  };
  return (pageOf?: (anchor: string) => number | undefined) => ({ ...buildView(report, { ...options, ...(pageOf ? { pageOf } : {}) }), logo: branding?.logo });
}

/** `report`, or `report-exempt` for a build that is not for publication, so the two never overwrite each other. */
const outputName = (audience: Audience) => (audience === 'exempt' ? 'report-exempt' : 'report');

const sha256 = (content: string | Uint8Array) => createHash('sha256').update(content).digest('hex');

/** The write stage for the HTML: staged, put in place with the other outputs. */
async function writeHtml(job: ReportJob, report: RenderedReport, outputs: OutputSet, options: BuildOptions): Promise<WrittenOutput> {
  const path = join(job.outDir, `${outputName(report.audience)}.html`);
  options.onProgress?.({ stage: 'write', dataDir: job.dataDir, path });
  await outputs.stage(path, report.html);
  return { format: 'html', path, bytes: Buffer.byteLength(report.html), sha256: sha256(report.html) };
}

/**
 * The printer, launched as the run begins so that the browser boots while the data is
 * read and rendered: an early call of the one module that owns the browser (render/pdf.ts,
 * loaded only when a PDF is wanted, so HTML builds never load puppeteer). A browser that
 * cannot be found or started is reported when the first PDF is printed.
 */
function startPrinter(options: BuildOptions) {
  const unwanted = new AbortController();
  const launching = (async () => {
    const executablePath = findBrowser(options.chrome, options.env ?? process.env);
    const launch = options.launchPrinter ?? (await import('./render/pdf.js')).launchPrinter;
    return launch({ executablePath, signal: unwanted.signal, ...(options.renderTimeoutMs ? { timeoutMs: options.renderTimeoutMs } : {}) });
  })();
  launching.catch(() => undefined); // reported by ready()
  return {
    /** The launched printer. With no browser at all, the staged HTML is put in place first. */
    async ready(outputs: OutputSet): Promise<PdfPrinter> {
      try {
        const printer = await launching;
        trace('browser ready');
        return printer;
      } catch (error) {
        if (error instanceof CsiError && error.code === 'NO_BROWSER') await outputs.commit();
        throw error;
      }
    },
    /** Ends the browser, at once if it is still starting. */
    async close() {
      unwanted.abort();
      await (await launching.catch(() => undefined))?.close();
    },
  };
}

/**
 * print → finish → write, for one report. It is printed once with a guess at each page
 * number, which is then set right in the PDF (or, rarely, printed again: render/paginate.ts),
 * then finished with pdf-lib and staged.
 */
async function printPdf(job: ReportJob, report: RenderedReport, printer: PdfPrinter, outputs: OutputSet, options: BuildOptions): Promise<WrittenOutput> {
  const tell = (progress: Omit<Progress, 'dataDir'>) => options.onProgress?.({ ...progress, dataDir: job.dataDir });
  const { templates, view, viewFor } = report;
  const path = join(job.outDir, `${outputName(report.audience)}.pdf`);
  tell({ stage: 'print' });
  const margins = renderPrintMargins(templates, view);
  const unnumbered = report.forPrint ? report.html : renderHtml(templates, viewFor(NOT_NUMBERED_YET));
  const counts = numberedAnchors(unnumbered);
  const numbered = new Set(counts.keys());
  const guess = guessPages(unnumbered, numbered);
  const html = withPageNumbers(unnumbered, guess);
  // pdf-lib loads while Chromium prints the report, when node has nothing else to do.
  let loading: Promise<PdfModules> | undefined;
  const pdfLib = () => (loading ??= loadPdfModules());
  const loaded = await printer.load({
    html,
    headerTemplate: margins.header,
    footerTemplate: margins.footer,
    whilePrinting: () => void pdfLib().catch(() => undefined),
  });
  let modules: PdfModules | undefined; // loaded by the time a print is read
  const read = {
    printed: async (bytes: Uint8Array) => {
      modules = await pdfLib();
      const pdf = await modules.metadata.openPdf(bytes);
      trace('printed PDF read');
      return { pdf, pages: modules.pages.destinationPages(pdf) };
    },
    renumber: (pdf: PDFDocument, shown: PageNumbers, landed: PageNumbers) => {
      const done = modules!.renumber.renumberPrinted(pdf, shown, landed, counts);
      trace(done ? 'page numbers set in the PDF' : 'page numbers cannot be set in the PDF: printing again');
      return done;
    },
  };
  const { pdf: printed, prints } = await printWithPageNumbers(loaded, read, numbered, guess);
  tell({ stage: 'finish', prints });
  const pdf = await finish(printed, report, (await pdfLib()).metadata);
  trace('PDF finished and saved');
  tell({ stage: 'write', path });
  await outputs.stage(path, pdf.bytes);
  return { format: 'pdf', path, bytes: pdf.bytes.length, sha256: sha256(pdf.bytes), pages: pdf.pages };
}

/** The modules that read and finish a PDF, loaded only when one is printed (pdf-lib is large). */
async function loadPdfModules() {
  const [metadata, pages, renumber] = await Promise.all([import('./render/pdf-metadata.js'), import('./render/pdf-pages.js'), import('./render/pdf-renumber.js')]);
  return { metadata, pages, renumber };
}
type PdfModules = Awaited<ReturnType<typeof loadPdfModules>>;

/** The finish stage: the metadata, bookmarks, tags and dates Chromium does not write (render/pdf-metadata.ts). */
function finish(printed: PDFDocument, report: RenderedReport, { finishPdf }: typeof import('./render/pdf-metadata.js')) {
  const { model, view, provenance } = report;
  return finishPdf(printed, {
    title: model.title,
    author: model.author,
    subject: view.subject,
    keywords: view.keywords,
    creator: view.generator,
    language: view.lang,
    outline: view.outline,
    date: provenance.date,
    provenance,
  });
}
