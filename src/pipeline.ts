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
  /** Folder holding report.yaml and the appendix files. Default `data`. */
  dataDir?: string;
  /** Folder the outputs are written to. Default `out`. */
  outDir?: string;
  /** Which outputs to write. Default both. */
  formats?: OutputFormat[];
  /** Browser to print with; otherwise CSI_CHROME, then the usual places. */
  chrome?: string;
  /** Environment to read CSI_CHROME from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
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

// puppeteer and pdf-lib load only when a PDF is wanted: HTML builds never pay for them.
const launchChromium: LaunchPrinter = async (options) => (await import('./render/pdf.js')).launchPrinter(options);

/**
 * The browser, started as the run begins so that it boots while the data is read
 * and rendered. A failure to find or start it surfaces only when a PDF is printed,
 * after the HTML has been written.
 */
function startPrinter(options: BuildOptions) {
  const launching = (async () => {
    const executablePath = findBrowser(options.chrome, options.env ?? process.env);
    return (options.launchPrinter ?? launchChromium)({ executablePath });
  })();
  launching.catch(() => undefined); // reported by ready(), if anyone asks
  return {
    ready: () => launching,
    close: async () => {
      const printer = await launching.catch(() => undefined);
      await printer?.close();
    },
  };
}

interface RenderedReport {
  job: ReportJob;
  model: ReportModel;
  view: ReportView;
  html: string;
}

/** load → validate → model → view → HTML for one data set. Writes nothing. */
async function render(job: ReportJob, templates: () => Promise<Templates>, step: (s: BuildStep) => void): Promise<RenderedReport> {
  step({ step: 'validate', dataDir: job.dataDir });
  const data = await loadData(job.dataDir);
  step({ step: 'render', dataDir: job.dataDir });
  const model = buildModel(data);
  const t = await templates();
  const view = buildView(model, { css: t.css, generator: `csi ${VERSION}` });
  return { job, model, view, html: renderHtml(t, view) };
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
  const step = options.onStep ?? (() => undefined);
  const printer = formats.includes('pdf') ? startPrinter(options) : undefined;
  try {
    let compiled: Promise<Templates> | undefined;
    const templates = () => (compiled ??= loadTemplates());
    const reports: RenderedReport[] = [];
    for (const job of jobs) reports.push(await render(job, templates, step));

    const results = reports.map((r): BuildResult => ({ dataDir: r.job.dataDir, outputs: [] }));
    if (formats.includes('html')) {
      for (const [i, { job, html }] of reports.entries()) {
        const path = join(job.outDir, 'report.html');
        step({ step: 'write', dataDir: job.dataDir, path });
        await writeAtomic(path, html);
        results[i]!.outputs.push({ format: 'html', path, bytes: Buffer.byteLength(html), sha256: sha256(html) });
      }
    }
    if (printer) {
      for (const [i, report] of reports.entries()) {
        results[i]!.outputs.push(await printPdf(report, await templates(), await printer.ready(), step));
      }
    }
    return results;
  } finally {
    await printer?.close();
  }
}

async function printPdf(report: RenderedReport, templates: Templates, printer: PdfPrinter, step: (s: BuildStep) => void): Promise<WrittenOutput> {
  const { job, model, view, html } = report;
  step({ step: 'print', dataDir: job.dataDir });
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
  step({ step: 'write', dataDir: job.dataDir, path });
  await writeAtomic(path, pdf.bytes);
  return { format: 'pdf', path, bytes: pdf.bytes.length, sha256: sha256(pdf.bytes), pages: pdf.pages };
}
