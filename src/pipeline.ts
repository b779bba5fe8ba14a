import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseDataSet } from './data/dataset.js';
import type { DataSet } from './data/dataset.js';
import { readDataDir } from './data/read.js';
import { InvalidDataError } from './errors.js';
import { buildModel } from './model/report.js';
import type { ReportModel } from './model/report.js';
import { findBrowser } from './render/browser.js';
import { loadTemplates, renderHtml, renderPrintMargins } from './render/html.js';
import type { Templates } from './render/html.js';
import type { PdfPrinter, PrinterOptions } from './render/pdf.js';
import { buildView } from './render/view.js';
import type { ReportView } from './render/view.js';
import { writeAtomic } from './output.js';
import { VERSION } from './version.js';

export type OutputFormat = 'html' | 'pdf';

/** Starts the browser that prints PDFs; one per run. */
export type LaunchPrinter = (options: PrinterOptions) => Promise<PdfPrinter>;

/** A step of the build as it starts; a step ends when the next one starts or the build returns. */
export interface BuildStep {
  step: 'validate' | 'render' | 'print' | 'write';
  dataDir: string;
  /** The file a `write` step writes. */
  path?: string;
}

export interface BuildOptions {
  /** Folder holding report.yaml and the appendix files. Default `data`. (buildReports takes jobs instead.) */
  dataDir?: string;
  /** Folder the outputs are written to. Default `out`. (buildReports takes jobs instead.) */
  outDir?: string;
  /** Which outputs to write. Default both. */
  formats?: OutputFormat[];
  /** Browser to print with; otherwise CSI_CHROME, then the usual places. */
  chrome?: string;
  /** Environment to read CSI_CHROME from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Report progress as each stage finishes ('validated', 'rendered HTML', 'printed PDF'). */
  onStage?: (stage: string) => void;
  /** Told as each step starts, for a progress display. */
  onStep?: (step: BuildStep) => void;
  /** Starts the browser. Default: Chromium through puppeteer (tests count launches with their own). */
  launchPrinter?: LaunchPrinter;
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
  outputs: WrittenOutput[];
}

/** One report to build: where its data is and where it goes. */
export interface ReportJob {
  dataDir: string;
  outDir: string;
}

/** Reads and checks a data directory, throwing every problem at once. */
export async function loadData(dataDir: string): Promise<DataSet> {
  const parsed = parseDataSet(await readDataDir(dataDir));
  if (!parsed.ok) throw new InvalidDataError(parsed.problems, dataDir);
  return parsed.data;
}

const sha256 = (content: string | Uint8Array) => createHash('sha256').update(content).digest('hex');

/**
 * The browser, started as the run begins so that it boots while the data is read and
 * rendered. puppeteer and pdf-lib load only when a PDF is wanted: HTML builds never pay
 * for them. puppeteer's import is most of a launch's cost on node's side, and node is
 * busy with the data until the HTML is ready, so the import is awaited first: Chromium
 * then starts at the data work's first pause instead of after all of it. A failure to
 * find or start the browser surfaces only when a PDF is printed, after the HTML is written.
 */
async function startPrinter(options: BuildOptions) {
  const launch = options.launchPrinter ?? (await import('./render/pdf.js')).launchPrinter;
  const launching = (async () => launch({ executablePath: findBrowser(options.chrome, options.env ?? process.env) }))();
  launching.catch(() => undefined); // reported by ready(), if anyone asks
  return {
    ready: () => launching,
    close: async () => {
      const printer = await launching.catch(() => undefined);
      await printer?.close();
    },
  };
}

/** Who hears about progress: finished stages (onStage) and starting steps (onStep). */
interface Tell {
  stage: (stage: string) => void;
  step: (step: BuildStep) => void;
}

interface RenderedReport {
  job: ReportJob;
  model: ReportModel;
  view: ReportView;
  html: string;
}

/** load → validate → model → view → HTML for one data set. Writes nothing. */
async function render(job: ReportJob, templates: () => Promise<Templates>, tell: Tell): Promise<RenderedReport> {
  tell.step({ step: 'validate', dataDir: job.dataDir });
  const data = await loadData(job.dataDir);
  tell.stage('validated');
  tell.step({ step: 'render', dataDir: job.dataDir });
  const model = buildModel(data);
  const t = await templates();
  const view = buildView(model, { css: t.css, generator: `csi ${VERSION}` });
  const html = renderHtml(t, view);
  tell.stage('rendered HTML');
  return { job, model, view, html };
}

/**
 * load → validate → model → view → HTML → PDF. Nothing is written unless the data
 * is valid; the HTML is written before a missing browser is reported.
 */
export async function buildReport(options: BuildOptions = {}): Promise<BuildResult> {
  const job = { dataDir: options.dataDir ?? 'data', outDir: options.outDir ?? 'out' };
  const [result] = await buildReports([job], options);
  return result!;
}

/**
 * Builds several reports in one run, starting the browser once. Every data set is
 * checked before anything is written; then each report's HTML is written, then
 * each PDF printed.
 */
export async function buildReports(jobs: readonly ReportJob[], options: BuildOptions = {}): Promise<BuildResult[]> {
  const formats = options.formats ?? ['html', 'pdf'];
  const tell: Tell = { stage: options.onStage ?? (() => undefined), step: options.onStep ?? (() => undefined) };
  const printer = formats.includes('pdf') ? await startPrinter(options) : undefined;
  try {
    let compiled: Promise<Templates> | undefined;
    const templates = () => (compiled ??= loadTemplates());
    const reports: RenderedReport[] = [];
    for (const job of jobs) reports.push(await render(job, templates, tell));

    const results = reports.map((r): BuildResult => ({ dataDir: r.job.dataDir, outputs: [] }));
    if (formats.includes('html')) {
      for (const [i, { job, html }] of reports.entries()) {
        const path = join(job.outDir, 'report.html');
        tell.step({ step: 'write', dataDir: job.dataDir, path });
        await writeAtomic(path, html);
        results[i]!.outputs.push({ format: 'html', path, bytes: Buffer.byteLength(html), sha256: sha256(html) });
      }
    }
    if (printer) {
      for (const [i, report] of reports.entries()) {
        results[i]!.outputs.push(await printPdf(report, await templates(), await printer.ready(), tell));
      }
    }
    return results;
  } finally {
    await printer?.close();
  }
}

async function printPdf(report: RenderedReport, templates: Templates, printer: PdfPrinter, tell: Tell): Promise<WrittenOutput> {
  const { job, model, view, html } = report;
  tell.step({ step: 'print', dataDir: job.dataDir });
  const margins = renderPrintMargins(templates, view);
  // pdf-lib loads while Chromium prints, when node has nothing else to do.
  let finishing: Promise<typeof import('./render/pdf-metadata.js')> | undefined;
  const loadFinisher = () => (finishing ??= import('./render/pdf-metadata.js'));
  const printed = await printer.print({
    html,
    headerTemplate: margins.header,
    footerTemplate: margins.footer,
    whilePrinting: () => void loadFinisher().catch(() => undefined),
  });
  tell.stage('printed PDF');
  const { finishPdf } = await loadFinisher();
  const pdf = await finishPdf(printed, {
    title: model.title,
    author: model.author,
    subject: view.subject,
    keywords: [model.council, model.committee, 'Continuous Service Improvement'],
    creator: view.generator,
    outline: view.outline,
  });
  const path = join(job.outDir, 'report.pdf');
  tell.step({ step: 'write', dataDir: job.dataDir, path });
  await writeAtomic(path, pdf.bytes);
  return { format: 'pdf', path, bytes: pdf.bytes.length, sha256: sha256(pdf.bytes), pages: pdf.pages };
}
