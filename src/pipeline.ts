import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { DataSet } from './data/dataset.js';
import { parseDataSet } from './data/dataset.js';
import { checkDataDir, readDataDir } from './data/read.js';
import { addChangesAppendix } from './diff/appendix.js';
import { changesSince, VersionReader } from './diff/source.js';
import { readProgressHistory } from './diff/progress-since.js';
import { withTravel } from './diff/travel.js';
import type { MeetingSettings } from './diff/meetings.js';
import { CsiError, InvalidDataError } from './errors.js';
import type { Audience } from './model/exempt.js';
import { buildModel } from './model/report.js';
import { withhold, withholdProblems } from './model/withhold.js';
import { exemptPlaces } from './data/exempt-places.js';
import type { ExemptPlaces } from './data/exempt-places.js';
import { OutputSet } from './output.js';
import { gitState } from './git.js';
import { describeProvenance, readProvenance } from './provenance.js';
import type { Provenance } from './provenance.js';
import { brandingCss } from './view/branding.js';
import type { Branding } from './view/branding.js';
import { loadTemplates, renderHtml, renderPrintMargins } from './view/html.js';
import type { Templates } from './view/html.js';
import { statusCss } from './view/statuses.js';
import { buildView, usesTrackerShape } from './view/view.js';
import type { ViewModel } from './view/view.js';
import type { LaunchPrinter, PdfPrinter, PrintReport } from './pdf/index.js';
import { trace } from './trace.js';
import { VERSION } from './version.js';
import type { StatusScheme } from './data/status.js';

export type OutputFormat = 'html' | 'pdf';

/** The stages of a build, in the order they run for each report. */
export const STAGES = ['read', 'check', 'provenance', 'model', 'withhold', 'changes', 'history', 'view', 'html', 'print', 'finish', 'write'] as const;
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

export type { LaunchPrinter } from './pdf/index.js';

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
  /** Give up on the browser after this long (default: pdf/printer.ts's). */
  renderTimeoutMs?: number | undefined;
  /** A git revision (or data folder): add an appendix listing what changed since it. */
  changesSince?: string;
  /** The meetings csi.config.yaml names, for a `changesSince` of `meeting:DATE`. */
  meetings?: MeetingSettings | undefined;
  /** Told as each stage starts, for a progress display. */
  onProgress?: (progress: Progress) => void;
  /** Launches the browser. Default: the printer in pdf/printer.ts (tests count launches with their own). */
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
 * (history) → view → HTML. What building its HTML needs, and what printing it needs.
 */
export async function renderReport(
  options: Pick<BuildOptions, 'dataDir' | 'theme' | 'branding' | 'statuses' | 'onProgress' | 'changesSince' | 'meetings' | 'audience' | 'env' | 'strict' | 'provenanceOnPages'> & {
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
  // The plan's history, read (once, for this audience) only if a stage below asks for it.
  const cwd = process.cwd();
  const history = new VersionReader({ dataDir: resolve(dataDir), cwd, statuses: data.statuses, meetings: options.meetings });
  // A tracker's previous and direction columns are read from the plan's history.
  const withheld = await withTravel(withhold(model, audience), { reader: history, dataDir: resolve(dataDir), cwd, statuses: data.statuses, audience });
  let report: ViewModel = withheld;
  if (options.changesSince) {
    tell('changes');
    report = addChangesAppendix(withheld, await changesSince(options.changesSince, dataDir, data, audience, cwd, options.meetings, history));
  }
  // Only a section this audience sees is drawn: one withheld from it needs no history.
  if (report.sections.some((s) => s.kind === 'trend')) {
    tell('history');
    report = { ...report, progressHistory: await readProgressHistory(history, dataDir, data, withheld, (await git)?.modified ?? true, cwd) };
  }
  tell('view');
  const templates = await templatesFor();
  // The tracker's and the scorecard's rules join only a report that uses them, so every other report's page stays as it was.
  const tracker = usesTrackerShape(report);
  const scorecard = report.appendices.some((a) => a.kind === 'scorecard') ? `\n${templates.scorecardCss}` : '';
  const css = templates.css + scorecard + statusCss(data.statuses, { shaded: tracker }) + (tracker ? `\n${templates.trackerCss}` : '');
  const viewFor = view(report, css, provenance, options);
  const forPrint = options.forPrint ?? false;
  const shown = viewFor(forPrint ? NOT_NUMBERED_YET : undefined);
  tell('html');
  const html = renderHtml(templates, shown);
  trace(`HTML rendered: ${dataDir}`);
  return { model: report, templates, view: shown, viewFor, provenance, audience, html, forPrint, warnings };
}

export type RenderedReport = Awaited<ReturnType<typeof renderReport>>;

/**
 * read → check → provenance → model → withhold → (changes) → (history) → view → HTML → print →
 * finish → write, for one data folder or several with one browser. Nothing is written
 * unless every data set is valid, and nothing is replaced unless every output was
 * made: each output is staged beside its target, and all are renamed into place
 * together at the end. One exception, so an officer without a browser still gets the
 * web version: when no browser can be found at all, the HTML is put in place before
 * csi stops.
 */
export async function buildReports(jobs: readonly ReportJob[], options: BuildOptions = {}): Promise<BuildResult[]> {
  const formats = options.formats ?? ['html', 'pdf'];
  // The PDF stage (src/pdf/) loads only when a PDF is wanted; its browser boots while the data is read.
  const printing = formats.includes('pdf') ? import('./pdf/index.js').then((pdf) => ({ pdf, printer: pdf.startPrinter(options) })) : undefined;
  printing?.catch(() => undefined); // reported when the first PDF is printed
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
    if (printing) {
      const { pdf, printer } = await printing;
      const ready = await printer.ready(() => outputs.commit());
      for (const { job, report, result } of reports) result.outputs.push(await printPdf(job, report, pdf.printReport, ready, outputs, options));
    }
    await outputs.commit();
    trace('outputs in place');
    return reports.map((r) => r.result);
  } finally {
    await outputs.discard();
    await (await printing?.catch(() => undefined))?.printer.close();
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
 * refuses warnings too. For the public (the default), what they say about exempt
 * information is withheld like the information itself (model/withhold.ts).
 */
function check(files: Map<string, Uint8Array>, dataDir: string, options: Pick<BuildOptions, 'branding' | 'statuses' | 'strict' | 'audience'>) {
  const { branding, statuses, strict } = options;
  const result = parseDataSet(files, { expected: branding, statuses });
  let places: ExemptPlaces | undefined;
  const said = (problems: CsiError[], what: 'problem' | 'warning') =>
    (options.audience ?? 'public') === 'public' && problems.length > 0 ? withholdProblems(problems, (places ??= exemptPlaces(files)), what) : problems;
  const warnings = said(result.warnings, 'warning');
  if (!result.ok) throw new InvalidDataError(said(result.problems, 'problem'), dataDir, warnings);
  if (strict && warnings.length > 0) throw new InvalidDataError([], dataDir, warnings);
  return { data: result.data, warnings };
}

/** A print's page numbers before the report is printed: a 0 in each place, for the printer to set (pdf/paginate.ts). */
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

/** print → finish (src/pdf/) → write, for one report: the HTML and the PDF's metadata go in, the finished PDF is staged. */
async function printPdf(
  job: ReportJob,
  report: RenderedReport,
  printReport: PrintReport,
  printer: PdfPrinter,
  outputs: OutputSet,
  options: BuildOptions,
): Promise<WrittenOutput> {
  const tell = (progress: Omit<Progress, 'dataDir'>) => options.onProgress?.({ ...progress, dataDir: job.dataDir });
  const { templates, view, viewFor, model, provenance } = report;
  const path = join(job.outDir, `${outputName(report.audience)}.pdf`);
  tell({ stage: 'print' });
  const margins = renderPrintMargins(templates, view);
  const html = report.forPrint ? report.html : renderHtml(templates, viewFor(NOT_NUMBERED_YET));
  const metadata = {
    title: model.title,
    author: model.author,
    subject: view.subject,
    keywords: view.keywords,
    creator: view.generator,
    language: view.lang,
    outline: view.outline,
    date: provenance.date,
    provenance,
  };
  const pdf = await printReport(printer, { html, header: margins.header, footer: margins.footer, metadata }, (prints) => tell({ stage: 'finish', prints }));
  tell({ stage: 'write', path });
  await outputs.stage(path, pdf.bytes);
  return { format: 'pdf', path, bytes: pdf.bytes.length, sha256: sha256(pdf.bytes), pages: pdf.pages };
}
