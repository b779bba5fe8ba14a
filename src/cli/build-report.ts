import { basename, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { resolveSettings } from '../config.js';
import type { FormatChoice, Settings } from '../config.js';
import type { BuildResult, ReportJob } from '../pipeline.js';
import { CsiError, ExitCode } from '../errors.js';
import { AUDIENCES } from '../model/exempt.js';
import type { Audience } from '../model/exempt.js';
import type { Io } from './io.js';
import { logFor, shownPath } from './say.js';
import { trace } from '../trace.js';
import type { Log } from './say.js';
import { openForUser } from './open.js';
import { startProgress, wantsProgress } from './progress.js';
import { findBrowser } from '../render/browser.js';
import { startChromium } from '../render/chromium.js';
import type { RunningChromium } from '../render/chromium.js';

export interface BuildReportFlags {
  out?: string;
  format?: FormatChoice;
  audience: Audience;
  json: boolean;
  chrome?: string;
  config?: string;
  theme?: string;
  open: boolean;
  changesSince?: string;
  provenance: boolean;
}

/** What --verbose says about where each setting came from. */
export function describeSettings(settings: Settings, cwd: string, log: Log): void {
  const { sources } = settings;
  log.detail(`config: ${settings.configFile ? shownPath(settings.configFile, cwd) : 'none'}`);
  log.detail(`data: ${shownPath(settings.dataDir, cwd)} (${sources.dataDir})`);
  log.detail(`out: ${shownPath(settings.outDir, cwd)} (${sources.outDir})`);
  log.detail(`formats: ${settings.formats.join(', ')} (${sources.formats})`);
  log.detail(`theme: ${settings.theme ? `${shownPath(settings.theme, cwd)} (${sources.theme})` : 'built-in'}`);
}

/**
 * Starts the browser before anything else is loaded, when one can be found; when
 * none can, the build goes on and reports it where the PDF is printed (after the
 * HTML is written).
 */
function startBrowserEarly(chrome: string | undefined, env: NodeJS.ProcessEnv): RunningChromium | undefined {
  let path: string;
  try {
    path = findBrowser(chrome, env);
  } catch {
    return undefined;
  }
  return startChromium(path);
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
  if (results.length === 1) return { ok: true, ...results[0], dataDir: shownPath(results[0]!.dataDir, cwd), outputs: shown(results[0]!) };
  return {
    ok: true,
    audience: results[0]?.audience,
    dataDirs: results.map((r) => shownPath(r.dataDir, cwd)),
    outputs: results.flatMap((r) => shown(r).map((o) => ({ dataDir: shownPath(r.dataDir, cwd), ...o }))),
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
    .addHelpText('after', `
Examples:
  $ csi build-report                      # data/ → out/report.html and out/report.pdf
  $ csi build-report plans/2018 --out site --format html
  $ csi build-report plans/2018 plans/2019   # → out/2018/… and out/2019/…, one browser for both
  $ csi build-report --json               # for CI: paths, sizes and hashes on stdout
  $ csi build-report --changes-since v2017-06   # with an appendix of what changed since that tag
  $ csi build-report --theme example --open
  $ csi build-report --audience exempt    # for members only: out/report-exempt.html and .pdf
  $ SOURCE_DATE_EPOCH=1505779200 csi build-report   # the same bytes every time

Settings merge in this order, the last one set winning: defaults, csi.config.yaml,
environment (CSI_DATA, CSI_OUT, CSI_FORMAT, CSI_THEME, CSI_CHROME), flags.

Environment:
  CSI_CHROME            the browser to print with
  CSI_RENDER_TIMEOUT    seconds the browser may take (default 60, plus 60 for every MiB of HTML)
  CSI_CACHE_DIR         where csi keeps page numbers and compiled code between runs (default ~/.cache/csi; off)
  CSI_TRACE=1           print each step of the run on stderr, with the time since the process started
  SOURCE_DATE_EPOCH     the date the outputs carry (default: the data's last git commit)

On a terminal the steps are shown as they happen; never with --json or --quiet, in CI or when piped.`)
    .action((dataDirs: string[], flags: BuildReportFlags, command: Command) =>
      run(async () => {
        const log = logFor(io, command);
        const settings = await resolveSettings({ ...flags, dataDir: dataDirs[0] }, io.env, io.cwd);
        describeSettings(settings, io.cwd, log);
        const dirs = dataDirs.length > 1 ? dataDirs.map((d) => resolve(io.cwd, d)) : [settings.dataDir];
        const jobs = reportJobs(dirs, settings.outDir, io.cwd);
        const quiet = !!command.optsWithGlobals().quiet;
        const progress = wantsProgress(io, flags.json || quiet) ? await startProgress(io) : undefined;
        const started = Date.now();
        let results: BuildResult[];
        // The browser boots on the other core while node loads the pipeline and renders.
        trace('command line read');
        const browser = settings.formats.includes('pdf') ? startBrowserEarly(flags.chrome, io.env) : undefined;
        if (browser) trace('browser started');
        try {
          // The pipeline (templates, Markdown, sanitiser) loads only when a report is built.
          const { buildReports } = await import('../pipeline.js');
          trace('pipeline loaded');
          results = await buildReports(jobs, {
            formats: settings.formats,
            theme: settings.theme,
            branding: settings.branding,
            audience: flags.audience,
            env: io.env,
            renderTimeoutMs: renderTimeoutMs(io.env),
            onStage: (stage) => log.detail(`${stage} (${Date.now() - started} ms)`),
            ...(flags.chrome ? { chrome: flags.chrome } : {}),
            ...(flags.changesSince ? { changesSince: flags.changesSince } : {}),
            ...(flags.provenance ? { provenanceOnPages: true } : {}),
            ...(progress ? { onStep: progress.onStep } : {}),
            ...(browser ? { startedBrowser: browser } : {}),
          });
          progress?.done(true);
        } catch (error) {
          progress?.done(false);
          throw error;
        } finally {
          await browser?.stop();
        }
        if (flags.json) {
          io.stdout.write(`${JSON.stringify(resultJson(results, io.cwd))}\n`);
        } else {
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
