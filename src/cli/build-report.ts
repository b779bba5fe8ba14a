import { basename, join, relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { buildReports } from '../pipeline.js';
import type { BuildResult, OutputFormat, ReportJob } from '../pipeline.js';
import { CsiError, ExitCode } from '../errors.js';
import type { Io } from './io.js';
import { startProgress, wantsProgress } from './progress.js';

export interface BuildReportFlags {
  out: string;
  format: 'html' | 'pdf' | 'all';
  json: boolean;
  chrome?: string;
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
function resultJson(results: BuildResult[]) {
  if (results.length === 1) return { ok: true, ...results[0] };
  return {
    ok: true,
    dataDirs: results.map((r) => r.dataDir),
    outputs: results.flatMap((r) => r.outputs.map((o) => ({ dataDir: r.dataDir, ...o }))),
  };
}

/** `csi build-report [data-dir...]`: the committee report as HTML and PDF. */
export function buildReportCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('build-report')
    .description('validate the plan and build the committee report (out/report.html and out/report.pdf)')
    .argument('[data-dir...]', 'folders holding report.yaml and the appendix files (default: data)')
    .option('-o, --out <dir>', 'folder to write the outputs to (with several data folders, one subfolder each)', 'out')
    .addOption(new Option('-f, --format <format>', 'which outputs to build').choices(['html', 'pdf', 'all']).default('all'))
    .option('--json', 'print one JSON object describing what was written', false)
    .option('--chrome <path>', 'browser to print with (default: CSI_CHROME, then Chrome, Edge or Chromium where installed)')
    .addHelpText('after', `
Examples:
  $ csi build-report                      # data/ → out/report.html and out/report.pdf
  $ csi build-report plans/2018 --out site --format html
  $ csi build-report plans/2018 plans/2019   # → out/2018/… and out/2019/…, one browser for both
  $ csi build-report --json               # for CI: paths, sizes and hashes on stdout

On a terminal the steps are shown as they happen; never with --json, in CI or when piped.`)
    .action((dataDirs: string[], flags: BuildReportFlags) =>
      run(async () => {
        const formats: OutputFormat[] = flags.format === 'all' ? ['html', 'pdf'] : [flags.format];
        const jobs = reportJobs(dataDirs.length > 0 ? dataDirs : ['data'], flags.out, io.cwd);
        const progress = wantsProgress(io, flags.json) ? await startProgress(io) : undefined;
        let results: BuildResult[];
        try {
          results = await buildReports(jobs, {
            formats,
            env: io.env,
            ...(flags.chrome ? { chrome: flags.chrome } : {}),
            ...(progress ? { onStep: progress.onStep } : {}),
          });
          progress?.done(true);
        } catch (error) {
          progress?.done(false);
          throw error;
        }
        if (flags.json) {
          io.stdout.write(`${JSON.stringify(resultJson(results))}\n`);
        } else {
          for (const o of results.flatMap((r) => r.outputs)) {
            const pages = o.pages === undefined ? '' : `, ${o.pages} pages`;
            io.stdout.write(`wrote ${relative(io.cwd, o.path) || o.path} (${o.format}, ${o.bytes} bytes${pages})\n`);
          }
        }
        return ExitCode.ok;
      }),
    );
}
