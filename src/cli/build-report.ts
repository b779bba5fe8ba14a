import { relative } from 'node:path';
import { Command, Option } from 'commander';
import { buildReport } from '../pipeline.js';
import type { OutputFormat } from '../pipeline.js';
import { ExitCode } from '../errors.js';
import type { Io } from './io.js';

export interface BuildReportFlags {
  out: string;
  format: 'html' | 'pdf' | 'all';
  json: boolean;
  chrome?: string;
  changesSince?: string;
}

/** `csi build-report [data-dir]`: the committee report as HTML and PDF. */
export function buildReportCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('build-report')
    .description('validate the plan and build the committee report (out/report.html and out/report.pdf)')
    .argument('[data-dir]', 'folder holding report.yaml and the appendix files', 'data')
    .option('-o, --out <dir>', 'folder to write the outputs to', 'out')
    .addOption(new Option('-f, --format <format>', 'which outputs to build').choices(['html', 'pdf', 'all']).default('all'))
    .option('--json', 'print one JSON object describing what was written', false)
    .option('--changes-since <rev>', 'add an appendix "Changes since …" listing what changed in the plan since this git revision (or data folder)')
    .option('--chrome <path>', 'browser to print with (default: CSI_CHROME, then Chrome, Edge or Chromium where installed)')
    .addHelpText('after', `
Examples:
  $ csi build-report                      # data/ → out/report.html and out/report.pdf
  $ csi build-report plans/2018 --out site --format html
  $ csi build-report --json               # for CI: paths, sizes and hashes on stdout
  $ csi build-report --changes-since v2017-06   # with an appendix of what changed since that tag`)
    .action((dataDir: string, flags: BuildReportFlags) =>
      run(async () => {
        const formats: OutputFormat[] = flags.format === 'all' ? ['html', 'pdf'] : [flags.format];
        const result = await buildReport({
          dataDir,
          outDir: flags.out,
          formats,
          env: io.env,
          ...(flags.chrome ? { chrome: flags.chrome } : {}),
          ...(flags.changesSince ? { changesSince: flags.changesSince } : {}),
        });
        if (flags.json) {
          io.stdout.write(`${JSON.stringify({ ok: true, ...result })}\n`);
        } else {
          for (const o of result.outputs) {
            const pages = o.pages === undefined ? '' : `, ${o.pages} pages`;
            io.stdout.write(`wrote ${relative(io.cwd, o.path) || o.path} (${o.format}, ${o.bytes} bytes${pages})\n`);
          }
        }
        return ExitCode.ok;
      }),
    );
}
