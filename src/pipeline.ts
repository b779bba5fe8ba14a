import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseDataSet } from './data/dataset.js';
import type { DataSet } from './data/dataset.js';
import { readDataDir } from './data/read.js';
import { addChangesAppendix } from './diff/appendix.js';
import { changesSince } from './diff/source.js';
import { InvalidDataError } from './errors.js';
import type { CsiError } from './errors.js';
import type { Audience } from './model/exempt.js';
import { buildModel } from './model/report.js';
import { describeProvenance, readProvenance } from './provenance.js';
import { brandingCss, brandingProblems } from './render/branding.js';
import type { Branding } from './render/branding.js';
import { findBrowser } from './render/browser.js';
import { loadTemplates, renderHtml, renderPrintMargins } from './render/html.js';
import { printWithPageNumbers } from './render/paginate.js';
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
  renderTimeoutMs?: number | undefined;
  /** A git revision (or data folder): add an appendix listing what changed since it. */
  changesSince?: string;
  /** Report progress as each stage finishes. */
  onStage?: (stage: string) => void;
  /** Theme folders whose templates and CSS replace the built-in ones by name, first match wins. */
  theme?: string | readonly string[] | undefined;
  /** The council's logo, colours, and the council and committee the report must name. */
  branding?: Branding | undefined;
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

/** Every problem in a data directory, all at once; none means it is valid. */
export async function validate(dataDir = 'data'): Promise<{ valid: boolean; problems: CsiError[] }> {
  const parsed = parseDataSet(await readDataDir(dataDir));
  return parsed.ok ? { valid: true, problems: [] } : { valid: false, problems: parsed.problems };
}

/** load → validate → model → view → HTML, in memory: the report page and what printing it needs. */
export async function renderReport(
  options: Pick<BuildOptions, 'dataDir' | 'theme' | 'branding' | 'onStage' | 'changesSince' | 'audience' | 'env'> = {},
) {
  const dataDir = options.dataDir ?? 'data';
  const audience = options.audience ?? 'public';
  const { files, data } = await loadDataFiles(dataDir);
  const mismatches = brandingProblems(data, options.branding);
  if (mismatches.length > 0) throw new InvalidDataError(mismatches, dataDir);
  options.onStage?.('validated');
  // git runs while the model and templates are prepared.
  const provenanceRead = readProvenance({ dataDir, files, planVersion: data.report.version, env: options.env ?? process.env });
  provenanceRead.catch(() => undefined);
  let model = buildModel(data);
  if (options.changesSince) model = addChangesAppendix(model, await changesSince(options.changesSince, dataDir, data));
  const templates = await loadTemplates(options.theme ?? []);
  const provenance = await provenanceRead;
  const css = templates.css + brandingCss(options.branding?.colours);
  /** The view, optionally with the printed page of each heading (print only). */
  const viewFor = (pages?: ReadonlyMap<string, number>) => ({
    ...buildView(model, {
      css,
      generator: `csi ${VERSION}`,
      audience,
      provenance: describeProvenance(provenance),
      ...(pages ? { pages } : {}),
    }),
    logo: options.branding?.logo,
  });
  const view = viewFor();
  return { model, templates, view, viewFor, provenance, audience, html: renderHtml(templates, view) };
}

export type RenderedReport = Awaited<ReturnType<typeof renderReport>>;

/** `report`, or `report-exempt` for a build that is not for publication, so the two never overwrite each other. */
const outputName = (audience: Audience) => (audience === 'exempt' ? 'report-exempt' : 'report');

const sha256 = (content: string | Uint8Array) => createHash('sha256').update(content).digest('hex');

/**
 * load → validate → model → view → HTML → PDF. Nothing is written unless the data
 * is valid, and nothing is replaced unless every output was made: each output is
 * written beside its target, and all are renamed into place together at the end.
 * One exception, so an officer without a browser still gets the web version: when
 * no browser can be found at all, the HTML is put in place before csi stops.
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
  const env = options.env ?? process.env;
  const stage = options.onStage ?? (() => undefined);

  const { model, templates, view, viewFor, provenance, audience, html } = await renderReport({ ...options, dataDir, env });
  stage('rendered HTML');

  const outputs: WrittenOutput[] = [];
  if (formats.includes('html')) {
    const path = join(outDir, `${outputName(audience)}.html`);
    await staged.stage(path, html);
    outputs.push({ format: 'html', path, bytes: Buffer.byteLength(html), sha256: sha256(html) });
  }
  if (formats.includes('pdf')) {
    let executablePath: string;
    try {
      executablePath = findBrowser(options.chrome, env);
    } catch (noBrowser) {
      await staged.commit();
      throw noBrowser;
    }
    let printer: PdfPrinter | undefined;
    try {
      printer = await launchPrinter({ executablePath, ...(options.renderTimeoutMs ? { timeoutMs: options.renderTimeoutMs } : {}) });
      const margins = renderPrintMargins(templates, view);
      const { pdf: printed } = await printWithPageNumbers(
        (page) => printer!.print({ html: page, headerTemplate: margins.header, footerTemplate: margins.footer }),
        (pages) => {
          const paged = viewFor(pages);
          return { html: renderHtml(templates, paged), outline: paged.outline };
        },
      );
      stage('printed PDF');
      const pdf = await finishPdf(printed, {
        title: model.title,
        author: model.author,
        subject: view.subject,
        keywords: [model.council, model.committee, 'Continuous Service Improvement'],
        creator: view.generator,
        language: view.lang,
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
