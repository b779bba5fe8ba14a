import { CsiError } from '../errors.js';
import { checkDataSet } from './checks.js';
import { problemsFromIssues } from './problems.js';
import { AppendixFile, GlossaryFile, ReportFile } from './schema.js';
import type { z } from 'zod';
import { readYamlSource } from './yaml-source.js';
import type { YamlSource } from './yaml-source.js';

export const REPORT_FILE = 'report.yaml';
export const GLOSSARY_FILE = 'glossary.yaml';

/** A data set that has passed every check, ready to be modelled. */
export interface DataSet {
  report: ReportFile;
  glossary: GlossaryFile | undefined;
  /** In the order report.yaml lists them. */
  appendices: AppendixFile[];
  /** Which file each appendix came from, by key. */
  appendixFiles: Map<string, string>;
  sources: Map<string, YamlSource>;
}

export type DataSetResult = { ok: true; data: DataSet } | { ok: false; problems: CsiError[] };

/** True for the file names csi reads as data. */
export function isDataFileName(name: string): boolean {
  return /\.ya?ml$/i.test(name) && !name.startsWith('.');
}

function validate<T>(source: YamlSource, schema: z.ZodType<T>, problems: CsiError[]): T | undefined {
  const result = schema.safeParse(source.value);
  if (result.success) return result.data;
  problems.push(...problemsFromIssues(source, schema, result.error.issues));
  return undefined;
}

/**
 * Parses and checks a whole data set from its files' bytes (names relative to the
 * data directory). Pure: the caller does the reading. Collects every problem.
 */
export function parseDataSet(files: ReadonlyMap<string, Uint8Array>): DataSetResult {
  const problems: CsiError[] = [];
  const sources = new Map<string, YamlSource>();
  for (const [file, bytes] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const read = readYamlSource(file, bytes);
    problems.push(...read.problems);
    if (read.source) sources.set(file, read.source);
  }

  if (!files.has(REPORT_FILE)) {
    problems.push(
      new CsiError(`the data set has no ${REPORT_FILE}`, {
        code: 'MISSING_FILE',
        position: { file: REPORT_FILE, line: 1, column: 1 },
        hint: 'every data set needs report.yaml: the title, meeting and sections of the report',
      }),
    );
  }

  let report: ReportFile | undefined;
  let glossary: GlossaryFile | undefined;
  const appendices: { file: string; data: AppendixFile }[] = [];
  for (const [file, source] of sources) {
    if (file === REPORT_FILE) report = validate(source, ReportFile, problems);
    else if (file === GLOSSARY_FILE) glossary = validate(source, GlossaryFile, problems);
    else {
      const data = validate(source, AppendixFile, problems);
      if (data) appendices.push({ file, data });
    }
  }
  if (problems.length > 0 || !report) return { ok: false, problems };

  const appendixFiles = new Map(appendices.map((a) => [a.data.key, a.file]));
  problems.push(...checkDataSet({ report, glossary, appendices, sources }));
  if (problems.length > 0) return { ok: false, problems };

  const byKey = new Map(appendices.map((a) => [a.data.key, a.data]));
  return {
    ok: true,
    data: {
      report,
      glossary,
      appendices: report.appendices.map((key) => byKey.get(key)!),
      appendixFiles,
      sources,
    },
  };
}
