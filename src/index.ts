/** csi's programmatic API: the CLI is a thin layer over these. */
export { buildReport, loadData } from './pipeline.js';
export type { BuildOptions, BuildResult, OutputFormat, WrittenOutput } from './pipeline.js';
export { parseDataSet } from './data/dataset.js';
export type { DataSet } from './data/dataset.js';
export { buildModel } from './model/report.js';
export type { ReportModel } from './model/report.js';
export { CsiError, InvalidDataError, ExitCode } from './errors.js';
