import { basename, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { FormatChoice } from '../config.js';
import type { BuildResult, ReportJob } from '../pipeline.js';
import { CsiError, ExitCode } from '../errors.js';
import { AUDIENCES } from '../model/exempt.js';
import type { Audience } from '../model/exempt.js';
import { formatProblem } from '../problem-text.js';
import { colourFor, problemJson } from './io.js';
import { examplesText } from './help.js';
import type { Io } from './io.js';
import { logFor, shownPath } from './say.js';
import type { Log } from './say.js';
import { settingsFor } from './settings.js';
import { trace } from '../trace.js';
import { openForUser } from './open.js';
import { stageTimes, startProgress, wantsProgress } from './progress.js';
import type { ProgressDisplay } from './progress.js';

export interface BuildReportFlags {
  out?: string;
  format?: FormatChoice;
  audience: Audience;
  json: boolean;
  chrome?: string;
  config?: string;
  theme?: string;
  open: boolean;
  strict: boolean;
  changesSince?: string;
  provenance: boolean;
}

/** CSI_RENDER_TIMEOUT: seconds the browser may take before csi gives up. */
function renderTimeoutMs(env: NodeJS.ProcessEnv): number | undefined {
  const value = env.CSI_RENDER_TIMEOUT;
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new CsiError(`CSI_RENDER_TIMEOUT is "${value}", not a number of seconds`, {
      code: 'BAD_RENDER_TIMEOUT',
      kind: 'usage',
      hint: 'e.g. CSI_RENDER_TIMEOUT=120, or unset it for the default of 60',
    });
  }
  return seconds * 1000;
}

/**
 * Where each report goes: one data folder writes straight into `out`; several write
 * into `out/<folder name>/`, so names must not clash.
 */
export function reportJobs(dataDirs: string[], out: string, cwd: string): ReportJob[] {
  if (dataDirs.length === 1) return [{ dataDir: dataDirs[0]!, outDir: out }];
  const seen = new Map<string, string>();
  return dataDirs.map((dataDir) => {
    const name = basename(resolve(cwd, dataDir));
    const other = seen.get(name);
    if (other !== undefined) {
      throw new CsiError(`"${other}" and "${dataDir}" would both be written to ${join(out, name)}`, {
        code: 'OUTPUT_CLASH',
        kind: 'usage',
        hint: 'give each data folder its own name, or build them in separate runs with --out',
      });
    }
    seen.set(name, dataDir);
    return { dataDir, outDir: join(out, name) };
  });
}

/** What --json prints: one data folder keeps the original shape; several list `dataDirs`. */
function resultJson(results: BuildResult[], cwd: string) {
  const shown = (r: BuildResult) => r.outputs.map((o) => ({ ...o, path: shownPath(o.path, cwd) }));
  if (results.length === 1) {
    const [result] = results as [BuildResult];
    return { ok: true, ...result, dataDir: shownPath(result.dataDir, cwd), outputs: shown(result), warnings: result.warnings.map(problemJson) };
  }
  return {
    ok: true,
    audience: results[0]?.audience,
    dataDirs: results.map((r) => shownPath(r.dataDir, cwd)),
    outputs: results.flatMap((r) => shown(r).map((o) => ({ dataDir: shownPath(r.dataDir, cwd), ...o }))),
    warnings: results.flatMap((r) => r.warnings.map((w) => ({ dataDir: shownPath(r.dataDir, cwd), ...problemJson(w) }))),
  };
}

/** `csi build-report [data-dir...]`: the committee report as HTML and PDF. */
export function buildReportCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('build-report')
    .description('validate the plan and build the committee report (out/report.html and out/report.pdf)')
    .argument('[data-dir...]', 'folders holding report.yaml and the appendix files (default: data)')
    .option('-o, --out <dir>', 'folder to write the outputs to (default: out; with several data folders, one subfolder each)')
    .addOption(new Option('-f, --format <format>', 'which outputs to build (default: all)').choices(['html', 'pdf', 'all']))
    .addOption(
      new Option('--audience <audience>', 'public: leave exempt information out; exempt: keep it, marked NOT FOR PUBLICATION (written as report-exempt.*)')
        .choices(AUDIENCES)
        .default('public'),
    )
    .option('--json', 'print one JSON object describing what was written', false)
    .option('--changes-since <rev>', 'add an appendix "Changes since …" listing what changed in the plan since this git revision (or data folder)')
    .option('--provenance', 'print where the report came from (git commit, data hash) in the PDF footer of a final report too; drafts always have it', false)
    .option('--chrome <path>', 'browser to print with (default: CSI_CHROME, then Chrome, Edge or Chromium where installed)')
    .option('--config <file>', 'settings file (default: CSI_CONFIG, then csi.config.yaml here if there is one)')
    .option('--theme <dir>', 'folder of templates and CSS that replace the built-in ones by name, or a shipped theme\'s name')
    .option('--open', 'open the report when it is built (never in CI or when output is not a terminal)', false)
    .option('--strict', 'treat warnings about the data as problems: write nothing while there are any (for CI)', false)
    .addHelpText('after', `
${examplesText([
  ['csi build-report', 'data/ → out/report.html and out/report.pdf'],
  ['csi build-report data --out site --format html', 'the web page alone, into site/'],
  ['cp -r data draft', 'a second data folder, to show the next line'],
  ['csi build-report data draft --format html', '→ out/data/… and out/draft/…'],
  ['csi build-report --json', 'for CI: paths, sizes and hashes on stdout'],
  ['csi build-report --changes-since HEAD~1', 'with an appendix of what changed since that commit'],
  ['csi build-report --theme example --open'],
  ['csi build-report --audience exempt', 'for members only: out/report-exempt.html and .pdf'],
  ['SOURCE_DATE_EPOCH=1505779200 csi build-report', 'the same bytes every time'],
  ['csi build-report --strict --json', 'CI: refuse warnings about the data too'],
])}

Warnings (data that reads, but most likely not as meant, such as a "#" that cut a text
short) are printed on stderr and listed in --json as "warnings"; --strict fails on them.

Settings merge in this order, the last one set winning: defaults, csi.config.yaml,
environment (CSI_DATA, CSI_OUT, CSI_FORMAT, CSI_THEME, CSI_CHROME), flags.

Environment:
  CSI_CHROME            the browser to print with
  CSI_RENDER_TIMEOUT    seconds the browser may take (default 60, plus 60 for every MiB of HTML)
  CSI_TRACE=1           print each step of the run on stderr, with the time since the process started
  SOURCE_DATE_EPOCH     the date the outputs carry (default: the data's last git commit)

On a terminal the steps are shown as they happen; never with --json or --quiet, in CI or when piped.`)
    .action((dataDirs: string[], flags: BuildReportFlags, command: Command) =>
      run(async () => {
        const log = logFor(io, command);
        const results = await build(dataDirs, flags, command, io, log);
        if (flags.json) {
          io.stdout.write(`${JSON.stringify(resultJson(results, io.cwd))}\n`);
        } else {
          if (!command.optsWithGlobals().quiet) {
            const c = colourFor(io.stderr, io.env, command.optsWithGlobals().color === false ? false : undefined);
            for (const r of results) for (const w of r.warnings) io.stderr.write(formatProblem(w, r.dataDir, io.cwd, c, false, true));
          }
          for (const result of results) {
            for (const o of result.outputs) {
              const pages = o.pages === undefined ? '' : `, ${o.pages} pages`;
              const exempt = result.audience === 'exempt' ? ', NOT FOR PUBLICATION' : '';
              log.result(`wrote ${shownPath(o.path, io.cwd)} (${o.format}, ${o.bytes} bytes${pages}${exempt})`);
            }
          }
        }
        const all = results.flatMap((r) => r.outputs);
        const first = all.find((o) => o.format === 'html') ?? all[0];
        if (flags.open && first) openForUser(first.path, io, log);
        return ExitCode.ok;
      }),
    );
}

/** Builds the reports the command line asks for, showing progress as the flags and terminal allow. */
async function build(dataDirs: string[], flags: BuildReportFlags, command: Command, io: Io, log: Log): Promise<BuildResult[]> {
  const settings = await settingsFor(io, command, { ...flags, dataDir: dataDirs[0] }, ['data', 'out', 'formats', 'theme']);
  const dirs = dataDirs.length > 1 ? dataDirs.map((d) => resolve(io.cwd, d)) : [settings.dataDir];
  const jobs = reportJobs(dirs, settings.outDir, io.cwd);
  const { quiet, verbose } = command.optsWithGlobals<{ quiet?: boolean; verbose?: boolean }>();
  const displays: ProgressDisplay[] = [
    ...(wantsProgress(io, flags.json || !!quiet) ? [await startProgress(io)] : []),
    ...(verbose ? [stageTimes((line) => log.detail(line), io.cwd)] : []),
  ];
  trace('command line read');
  try {
    // The pipeline (templates, Markdown, sanitiser) loads only when a report is built.
    const { buildReports } = await import('../pipeline.js');
    trace('pipeline loaded');
    const results = await buildReports(jobs, {
      formats: settings.formats,
      theme: settings.theme,
      branding: settings.branding,
      statuses: settings.statuses,
      meetings: settings.meetings,
      audience: flags.audience,
      strict: flags.strict,
      env: io.env,
      renderTimeoutMs: renderTimeoutMs(io.env),
      onProgress: (progress) => displays.forEach((d) => d.onProgress(progress)),
      ...(flags.chrome ? { chrome: flags.chrome } : {}),
      ...(flags.changesSince ? { changesSince: flags.changesSince } : {}),
      ...(flags.provenance ? { provenanceOnPages: true } : {}),
    });
    displays.forEach((d) => d.done(true));
    return results;
  } catch (error) {
    displays.forEach((d) => d.done(false));
    throw error;
  }
}
