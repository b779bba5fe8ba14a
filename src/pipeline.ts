import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseDataSet } from './data/dataset.js';
import type { DataSet } from './data/dataset.js';
import { readDataDir } from './data/read.js';
import { addChangesAppendix } from './diff/appendix.js';
import { changesSince } from './diff/source.js';
import { CsiError, InvalidDataError } from './errors.js';
import type { Audience } from './model/exempt.js';
import { buildModel } from './model/report.js';
import { describeProvenance, gitState, readProvenance } from './provenance.js';
import { brandingCss, brandingProblems } from './render/branding.js';
import type { Branding } from './render/branding.js';
import { findBrowser } from './render/browser.js';
import { loadTemplates, renderHtml, renderPrintMargins } from './render/html.js';
import type { Templates } from './render/html.js';
import type { RunningChromium } from './render/chromium.js';
import type { PdfPrinter, PrinterOptions } from './render/pdf.js';
import { buildView } from './render/view.js';
import { OutputSet } from './output.js';
import { printWithPageNumbers } from './render/paginate.js';
import { rememberedPages } from './render/remembered-pages.js';
import { trace } from './trace.js';
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
  /** Environment to read CSI_CHROME and SOURCE_DATE_EPOCH from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** `public` (default) leaves exempt information out; `exempt` keeps it and marks every page. */
  audience?: Audience;
  /** Give up on the browser after this long (default: pdf.ts's). */
  renderTimeoutMs?: number | undefined;
  /** A git revision (or data folder): add an appendix listing what changed since it. */
  changesSince?: string;
  /** Report progress as each stage finishes ('validated', 'rendered HTML', 'printed PDF'). */
  onStage?: (stage: string) => void;
  /** Told as each step starts, for a progress display. */
  onStep?: (step: BuildStep) => void;
  /** Starts the browser. Default: Chromium through puppeteer (tests count launches with their own). */
  launchPrinter?: LaunchPrinter;
  /** A browser already starting (the CLI starts it before it loads the pipeline); stopped when the build ends. */
  startedBrowser?: RunningChromium;
  /** Print where the report came from (commit, data hash) in the footer of a final report too, as a draft's has. */
  provenanceOnPages?: boolean;
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

/** One report to build: where its data is and where it goes. */
export interface ReportJob {
  dataDir: string;
  outDir: string;
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
  options: Pick<BuildOptions, 'dataDir' | 'theme' | 'branding' | 'onStage' | 'changesSince' | 'audience' | 'env' | 'provenanceOnPages'> = {},
  /** Compiled templates to reuse across reports; by default they are loaded for this one. */
  templatesFor: () => Promise<Templates> = () => loadTemplates(options.theme ?? []),
) {
  const dataDir = options.dataDir ?? 'data';
  const audience = options.audience ?? 'public';
  // git runs while the data is read, checked and rendered.
  const git = gitState(dataDir);
  const { files, data } = await loadDataFiles(dataDir);
  const mismatches = brandingProblems(data, options.branding);
  if (mismatches.length > 0) throw new InvalidDataError(mismatches, dataDir);
  trace(`data read and checked: ${dataDir}`);
  options.onStage?.('validated');
  const provenanceRead = readProvenance({ dataDir, files, planVersion: data.report.version, env: options.env ?? process.env, git });
  provenanceRead.catch(() => undefined);
  let model = buildModel(data);
  if (options.changesSince) model = addChangesAppendix(model, await changesSince(options.changesSince, dataDir, data));
  const templates = await templatesFor();
  const provenance = await provenanceRead;
  const css = templates.css + brandingCss(options.branding?.colours);
  /** The view, optionally with the printed page of each heading (print only). */
  const viewFor = (pages?: ReadonlyMap<string, number>) => ({
    ...buildView(model, {
      css,
      generator: `csi ${VERSION}`,
      audience,
      provenance: describeProvenance(provenance),
      provenanceOnPages: options.provenanceOnPages,
      ...(pages ? { pages } : {}),
    }),
    logo: options.branding?.logo,
  });
  const view = viewFor();
  const html = renderHtml(templates, view);
  trace('HTML rendered');
  return { model, templates, view, viewFor, provenance, audience, html };
}

export type RenderedReport = Awaited<ReturnType<typeof renderReport>>;

/** `report`, or `report-exempt` for a build that is not for publication, so the two never overwrite each other. */
const outputName = (audience: Audience) => (audience === 'exempt' ? 'report-exempt' : 'report');

const sha256 = (content: string | Uint8Array) => createHash('sha256').update(content).digest('hex');

/**
 * The browser, started as the run begins so that it boots while the data is read and
 * rendered. puppeteer and pdf-lib load only when a PDF is wanted: HTML builds never pay
 * for them. A failure to find or start the browser surfaces when a PDF is printed.
 */
async function startPrinter(options: BuildOptions) {
  const launch = options.launchPrinter ?? (await import('./render/pdf.js')).launchPrinter;
  const launching = (async () =>
    launch({
      executablePath: options.startedBrowser?.executablePath ?? findBrowser(options.chrome, options.env ?? process.env),
      ...(options.renderTimeoutMs ? { timeoutMs: options.renderTimeoutMs } : {}),
      ...(options.startedBrowser ? { started: options.startedBrowser } : {}),
    }))();
  launching.catch(() => undefined); // reported by ready(), if anyone asks
  return {
    ready: () => launching,
    close: async () => {
      const printer = await launching.catch(() => undefined);
      await printer?.close();
      await options.startedBrowser?.stop();
    },
  };
}

/** Who hears about progress: finished stages (onStage) and starting steps (onStep). */
interface Tell {
  stage: (stage: string) => void;
  step: (step: BuildStep) => void;
}

/**
 * load → validate → model → view → HTML → PDF. Nothing is written unless the data
 * is valid, and nothing is replaced unless every output was made: each output is
 * written beside its target, and all are renamed into place together at the end.
 * One exception, so an officer without a browser still gets the web version: when
 * no browser can be found at all, the HTML is put in place before csi stops.
 */
export async function buildReport(options: BuildOptions = {}): Promise<BuildResult> {
  const job = { dataDir: options.dataDir ?? 'data', outDir: options.outDir ?? 'out' };
  const [result] = await buildReports([job], options);
  return result!;
}

/**
 * Builds several reports in one run, starting the browser once. Every data set is
 * checked before anything is written; every output is staged, then all are put in
 * place together.
 */
export async function buildReports(jobs: readonly ReportJob[], options: BuildOptions = {}): Promise<BuildResult[]> {
  const formats = options.formats ?? ['html', 'pdf'];
  const env = options.env ?? process.env;
  const tell: Tell = { stage: options.onStage ?? (() => undefined), step: options.onStep ?? (() => undefined) };
  const printer = formats.includes('pdf') ? await startPrinter(options) : undefined;
  const staged = new OutputSet();
  try {
    let compiled: Promise<Templates> | undefined;
    const templates = () => (compiled ??= loadTemplates(options.theme ?? []));
    const reports: { job: ReportJob; rendered: RenderedReport }[] = [];
    for (const job of jobs) {
      tell.step({ step: 'validate', dataDir: job.dataDir });
      const rendered = await renderReport(
        {
          ...options,
          dataDir: job.dataDir,
          env,
          onStage: (stage) => {
            tell.stage(stage);
            if (stage === 'validated') tell.step({ step: 'render', dataDir: job.dataDir });
          },
        },
        templates,
      );
      tell.stage('rendered HTML');
      reports.push({ job, rendered });
    }

    const results = reports.map(({ job, rendered }): BuildResult => ({ dataDir: job.dataDir, audience: rendered.audience, outputs: [] }));
    if (formats.includes('html')) {
      for (const [i, { job, rendered }] of reports.entries()) {
        const path = join(job.outDir, `${outputName(rendered.audience)}.html`);
        tell.step({ step: 'write', dataDir: job.dataDir, path });
        await staged.stage(path, rendered.html);
        results[i]!.outputs.push({ format: 'html', path, bytes: Buffer.byteLength(rendered.html), sha256: sha256(rendered.html) });
      }
    }
    if (printer) {
      let ready: PdfPrinter;
      try {
        ready = await printer.ready();
        trace('browser ready');
      } catch (error) {
        if (error instanceof CsiError && error.code === 'NO_BROWSER') await staged.commit();
        throw error;
      }
      for (const [i, { job, rendered }] of reports.entries()) {
        results[i]!.outputs.push(await printPdf(job, rendered, ready, tell, staged, env));
      }
    }
    await staged.commit();
    trace('outputs in place');
    return results;
  } finally {
    await staged.discard();
    await printer?.close();
  }
}

/** Prints one report (twice or more when its page numbers have moved), finishes it and stages it. */
async function printPdf(
  job: ReportJob,
  report: RenderedReport,
  printer: PdfPrinter,
  tell: Tell,
  staged: OutputSet,
  env: NodeJS.ProcessEnv,
): Promise<WrittenOutput> {
  const { model, templates, view, viewFor, provenance, audience } = report;
  const path = join(job.outDir, `${outputName(audience)}.pdf`);
  tell.step({ step: 'print', dataDir: job.dataDir });
  const margins = renderPrintMargins(templates, view);
  // pdf-lib loads while Chromium prints, when node has nothing else to do.
  let loading: Promise<typeof import('./render/pdf-metadata.js')> | undefined;
  const finisher = () => (loading ??= import('./render/pdf-metadata.js'));
  const print = (html: string) =>
    printer.print({
      html,
      headerTemplate: margins.header,
      footerTemplate: margins.footer,
      whilePrinting: () => void finisher().catch(() => undefined),
    });
  const read = async (bytes: Uint8Array) => {
    const { openPdf, headingPages } = await finisher();
    const pdf = await openPdf(bytes);
    return { pdf, pages: headingPages(pdf, view.outline) };
  };
  const memory = rememberedPages(env);
  const { pdf: printed, pages, passes } = await printWithPageNumbers(
    print,
    (numbers) => renderHtml(templates, viewFor(numbers)),
    read,
    view.outline,
    await memory.recall(path),
  );
  trace(`printed (${passes === 1 ? 'one pass' : `${passes} passes`})`);
  const { finishPdf } = await finisher();
  tell.stage(`printed PDF in ${passes === 1 ? 'one pass' : `${passes} passes`}`);
  const remembering = memory.remember(path, pages);
  const pdf = await finishPdf(printed, {
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
  trace('PDF finished');
  tell.step({ step: 'write', dataDir: job.dataDir, path });
  await staged.stage(path, pdf.bytes);
  await remembering;
  return { format: 'pdf', path, bytes: pdf.bytes.length, sha256: sha256(pdf.bytes), pages: pdf.pages };
}
