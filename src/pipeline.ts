import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseDataSet } from './data/dataset.js';
import type { DataSet } from './data/dataset.js';
import { readDataDir } from './data/read.js';
import { InvalidDataError } from './errors.js';
import { buildModel } from './model/report.js';
import { findBrowser } from './render/browser.js';
import { loadTemplates, renderHtml, renderPrintMargins } from './render/html.js';
import { finishPdf } from './render/pdf-metadata.js';
import { launchPrinter } from './render/pdf.js';
import type { PdfPrinter } from './render/pdf.js';
import { buildView } from './render/view.js';
import { OutputSet } from './output.js';
import { VERSION } from './version.js';

export type OutputFormat = 'html' | 'pdf';

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
  /** Give up on the browser after this long (default: pdf.ts's). */
  renderTimeoutMs?: number;
  /** Report progress as each stage finishes. */
  onStage?: (stage: string) => void;
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

/** Reads and checks a data directory, throwing every problem at once. */
export async function loadData(dataDir: string): Promise<DataSet> {
  const parsed = parseDataSet(await readDataDir(dataDir));
  if (!parsed.ok) throw new InvalidDataError(parsed.problems, dataDir);
  return parsed.data;
}

const sha256 = (content: string | Uint8Array) => createHash('sha256').update(content).digest('hex');

/**
 * load → validate → model → view → HTML → PDF. Nothing is written unless the data
 * is valid, and nothing is replaced unless every output was made: each output is
 * written beside its target, and all are renamed into place together at the end.
 */
export async function buildReport(options: BuildOptions = {}): Promise<BuildResult> {
  const staged = new OutputSet();
  try {
    const result = await stageReport(options, staged);
    await staged.commit();
    return result;
  } finally {
    await staged.discard();
  }
}

/** Builds every output into `staged`; `buildReport` puts them in place. */
async function stageReport(options: BuildOptions, staged: OutputSet): Promise<BuildResult> {
  const dataDir = options.dataDir ?? 'data';
  const outDir = options.outDir ?? 'out';
  const formats = options.formats ?? ['html', 'pdf'];
  const stage = options.onStage ?? (() => undefined);

  const data = await loadData(dataDir);
  stage('validated');
  const model = buildModel(data);
  const templates = await loadTemplates();
  const view = buildView(model, { css: templates.css, generator: `csi ${VERSION}` });
  const html = renderHtml(templates, view);
  stage('rendered HTML');

  const outputs: WrittenOutput[] = [];
  if (formats.includes('html')) {
    const path = join(outDir, 'report.html');
    await staged.stage(path, html);
    outputs.push({ format: 'html', path, bytes: Buffer.byteLength(html), sha256: sha256(html) });
  }
  if (formats.includes('pdf')) {
    const executablePath = findBrowser(options.chrome, options.env ?? process.env);
    let printer: PdfPrinter | undefined;
    try {
      printer = await launchPrinter({ executablePath, ...(options.renderTimeoutMs ? { timeoutMs: options.renderTimeoutMs } : {}) });
      const margins = renderPrintMargins(templates, view);
      const printed = await printer.print({ html, headerTemplate: margins.header, footerTemplate: margins.footer });
      stage('printed PDF');
      const pdf = await finishPdf(printed, {
        title: model.title,
        author: model.author,
        subject: view.subject,
        keywords: [model.council, model.committee, 'Continuous Service Improvement'],
        creator: view.generator,
        outline: view.outline,
      });
      const path = join(outDir, 'report.pdf');
      await staged.stage(path, pdf.bytes);
      outputs.push({ format: 'pdf', path, bytes: pdf.bytes.length, sha256: sha256(pdf.bytes), pages: pdf.pages });
    } finally {
      await printer?.close();
    }
  }
  return { dataDir, outputs };
}
