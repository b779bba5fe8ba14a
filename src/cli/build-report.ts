import { Command, Option } from 'commander';
import { resolveSettings } from '../config.js';
import type { FormatChoice, Settings } from '../config.js';
import { buildReport } from '../pipeline.js';
import { CsiError, ExitCode } from '../errors.js';
import { AUDIENCES } from '../model/exempt.js';
import type { Audience } from '../model/exempt.js';
import type { Io } from './io.js';
import { logFor, shownPath } from './say.js';
import type { Log } from './say.js';
import { openForUser } from './open.js';

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

/** `csi build-report [data-dir]`: the committee report as HTML and PDF. */
export function buildReportCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('build-report')
    .description('validate the plan and build the committee report (out/report.html and out/report.pdf)')
    .argument('[data-dir]', 'folder holding report.yaml and the appendix files (default: data)')
    .option('-o, --out <dir>', 'folder to write the outputs to (default: out)')
    .addOption(new Option('-f, --format <format>', 'which outputs to build (default: all)').choices(['html', 'pdf', 'all']))
    .addOption(
      new Option('--audience <audience>', 'public: leave exempt information out; exempt: keep it, marked NOT FOR PUBLICATION (written as report-exempt.*)')
        .choices(AUDIENCES)
        .default('public'),
    )
    .option('--json', 'print one JSON object describing what was written', false)
    .option('--changes-since <rev>', 'add an appendix "Changes since …" listing what changed in the plan since this git revision (or data folder)')
    .option('--chrome <path>', 'browser to print with (default: CSI_CHROME, then Chrome, Edge or Chromium where installed)')
    .option('--config <file>', 'settings file (default: CSI_CONFIG, then csi.config.yaml here if there is one)')
    .option('--theme <dir>', 'folder of templates and CSS that replace the built-in ones by name, or a shipped theme\'s name')
    .option('--open', 'open the report when it is built (never in CI or when output is not a terminal)', false)
    .addHelpText('after', `
Examples:
  $ csi build-report                      # data/ → out/report.html and out/report.pdf
  $ csi build-report plans/2018 --out site --format html
  $ csi build-report --json               # for CI: paths, sizes and hashes on stdout
  $ csi build-report --changes-since v2017-06   # with an appendix of what changed since that tag
  $ csi build-report --theme example --open
  $ csi build-report --audience exempt    # for members only: out/report-exempt.html and .pdf
  $ SOURCE_DATE_EPOCH=1505779200 csi build-report   # the same bytes every time

Settings merge in this order, the last one set winning: defaults, csi.config.yaml,
environment (CSI_DATA, CSI_OUT, CSI_FORMAT, CSI_THEME, CSI_CHROME), flags.

Environment:
  CSI_CHROME            the browser to print with
  CSI_RENDER_TIMEOUT    seconds the browser may take (default 60)
  SOURCE_DATE_EPOCH     the date the outputs carry (default: the data's last git commit)`)
    .action((dataDir: string | undefined, flags: BuildReportFlags, command: Command) =>
      run(async () => {
        const log = logFor(io, command);
        const settings = await resolveSettings({ ...flags, dataDir }, io.env, io.cwd);
        describeSettings(settings, io.cwd, log);
        const started = Date.now();
        const result = await buildReport({
          dataDir: settings.dataDir,
          outDir: settings.outDir,
          formats: settings.formats,
          theme: settings.theme,
          branding: settings.branding,
          audience: flags.audience,
          env: io.env,
          renderTimeoutMs: renderTimeoutMs(io.env),
          onStage: (stage) => log.detail(`${stage} (${Date.now() - started} ms)`),
          ...(flags.chrome ? { chrome: flags.chrome } : {}),
          ...(flags.changesSince ? { changesSince: flags.changesSince } : {}),
        });
        const outputs = result.outputs.map((o) => ({ ...o, path: shownPath(o.path, io.cwd) }));
        if (flags.json) {
          io.stdout.write(`${JSON.stringify({ ok: true, ...result, dataDir: shownPath(result.dataDir, io.cwd), outputs })}\n`);
        } else {
          for (const o of outputs) {
            const pages = o.pages === undefined ? '' : `, ${o.pages} pages`;
            const exempt = result.audience === 'exempt' ? ', NOT FOR PUBLICATION' : '';
            log.result(`wrote ${o.path} (${o.format}, ${o.bytes} bytes${pages}${exempt})`);
          }
        }
        const first = result.outputs.find((o) => o.format === 'html') ?? result.outputs[0];
        if (flags.open && first) openForUser(first.path, io, log);
        return ExitCode.ok;
      }),
    );
}
