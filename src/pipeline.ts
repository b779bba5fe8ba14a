import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseDataSet } from './data/dataset.js';
import type { DataSet } from './data/dataset.js';
import { readDataDir } from './data/read.js';
import { InvalidDataError } from './errors.js';
import type { Audience } from './model/exempt.js';
import { buildModel } from './model/report.js';
import { describeProvenance, readProvenance } from './provenance.js';
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
  /** Environment to read CSI_CHROME and SOURCE_DATE_EPOCH from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** `public` (default) leaves exempt information out; `exempt` keeps it and marks every page. */
  audience?: Audience;
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
  audience: Audience;
  outputs: WrittenOutput[];
}

/** Reads and checks a data directory, throwing every problem at once. */
export async function loadData(dataDir: string): Promise<DataSet> {
  return (await loadDataFiles(dataDir)).data;
}

/** As `loadData`, keeping the files' bytes (for the data hash). */
async function loadDataFiles(dataDir: string): Promise<{ files: Map<string, Uint8Array>; data: DataSet }> {
  const files = await readDataDir(dataDir);
  const parsed = parseDataSet(files);
  if (!parsed.ok) throw new InvalidDataError(parsed.problems, dataDir);
  return { files, data: parsed.data };
}

/** `report`, or `report-exempt` for a build that is not for publication, so the two never overwrite each other. */
const outputName = (audience: Audience) => (audience === 'exempt' ? 'report-exempt' : 'report');

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
  const audience = options.audience ?? 'public';
  const env = options.env ?? process.env;
  const stage = options.onStage ?? (() => undefined);

  const { files, data } = await loadDataFiles(dataDir);
  stage('validated');
  // git runs while the model and templates are prepared.
  const provenanceRead = readProvenance({ dataDir, files, planVersion: data.report.version, env });
  provenanceRead.catch(() => undefined);
  const model = buildModel(data);
  const templates = await loadTemplates();
  const provenance = await provenanceRead;
  const view = buildView(model, { css: templates.css, generator: `csi ${VERSION}`, audience, provenance: describeProvenance(provenance) });
  const html = renderHtml(templates, view);
  stage('rendered HTML');

  const outputs: WrittenOutput[] = [];
  if (formats.includes('html')) {
    const path = join(outDir, `${outputName(audience)}.html`);
    await staged.stage(path, html);
    outputs.push({ format: 'html', path, bytes: Buffer.byteLength(html), sha256: sha256(html) });
  }
  if (formats.includes('pdf')) {
    const executablePath = findBrowser(options.chrome, env);
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
        date: provenance.date,
        provenance,
      });
      const path = join(outDir, `${outputName(audience)}.pdf`);
      await staged.stage(path, pdf.bytes);
      outputs.push({ format: 'pdf', path, bytes: pdf.bytes.length, sha256: sha256(pdf.bytes), pages: pdf.pages });
    } finally {
      await printer?.close();
    }
  }
  return { dataDir, audience, outputs };
}
