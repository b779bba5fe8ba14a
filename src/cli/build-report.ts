import { relative } from 'node:path';
import { Command, Option } from 'commander';
import { buildReport } from '../pipeline.js';
import type { OutputFormat } from '../pipeline.js';
import { CsiError, ExitCode } from '../errors.js';
import { AUDIENCES } from '../model/exempt.js';
import type { Audience } from '../model/exempt.js';
import type { Io } from './io.js';

export interface BuildReportFlags {
  out: string;
  format: 'html' | 'pdf' | 'all';
  audience: Audience;
  json: boolean;
  chrome?: string;
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
    .argument('[data-dir]', 'folder holding report.yaml and the appendix files', 'data')
    .option('-o, --out <dir>', 'folder to write the outputs to', 'out')
    .addOption(new Option('-f, --format <format>', 'which outputs to build').choices(['html', 'pdf', 'all']).default('all'))
    .addOption(
      new Option('--audience <audience>', 'public: leave exempt information out; exempt: keep it, marked NOT FOR PUBLICATION (written as report-exempt.*)')
        .choices(AUDIENCES)
        .default('public'),
    )
    .option('--json', 'print one JSON object describing what was written', false)
    .option('--chrome <path>', 'browser to print with (default: CSI_CHROME, then Chrome, Edge or Chromium where installed)')
    .addHelpText('after', `
Examples:
  $ csi build-report                      # data/ → out/report.html and out/report.pdf
  $ csi build-report plans/2018 --out site --format html
  $ csi build-report --json               # for CI: paths, sizes and hashes on stdout
  $ csi build-report --audience exempt    # for members only: out/report-exempt.html and .pdf
  $ SOURCE_DATE_EPOCH=1505779200 csi build-report   # the same bytes every time

Environment:
  CSI_CHROME            the browser to print with
  CSI_RENDER_TIMEOUT    seconds the browser may take (default 60)
  SOURCE_DATE_EPOCH     the date the outputs carry (default: the data's last git commit)`)
    .action((dataDir: string, flags: BuildReportFlags) =>
      run(async () => {
        const formats: OutputFormat[] = flags.format === 'all' ? ['html', 'pdf'] : [flags.format];
        const result = await buildReport({
          dataDir,
          outDir: flags.out,
          formats,
          audience: flags.audience,
          env: io.env,
          renderTimeoutMs: renderTimeoutMs(io.env),
          ...(flags.chrome ? { chrome: flags.chrome } : {}),
        });
        if (flags.json) {
          io.stdout.write(`${JSON.stringify({ ok: true, ...result })}\n`);
        } else {
          for (const o of result.outputs) {
            const pages = o.pages === undefined ? '' : `, ${o.pages} pages`;
            const exempt = result.audience === 'exempt' ? ', NOT FOR PUBLICATION' : '';
            io.stdout.write(`wrote ${relative(io.cwd, o.path) || o.path} (${o.format}, ${o.bytes} bytes${pages}${exempt})\n`);
          }
        }
        return ExitCode.ok;
      }),
    );
}
