/** csi's programmatic API: the CLI is a thin layer over these. */
export { buildReport, loadData, renderReport, validate } from './pipeline.js';
export type { BuildOptions, BuildResult, OutputFormat, RenderedReport, WrittenOutput } from './pipeline.js';
export { CONFIG_FILE, ConfigFile, DEFAULTS, ENV_VARS, loadConfig, resolveSettings } from './config.js';
export type { Config, FormatChoice, SettingFlags, Settings, SettingSource } from './config.js';
export type { Branding, ColourName } from './render/branding.js';
export { init, scaffoldFiles } from './cli/init.js';
export type { InitOptions, ScaffoldFile } from './cli/init.js';
export { startPreview } from './preview/server.js';
export type { BuildOutcome, Preview, PreviewOptions } from './preview/server.js';
export { parseDataSet } from './data/dataset.js';
export type { DataSet } from './data/dataset.js';
export { buildModel } from './model/report.js';
export type { ReportModel } from './model/report.js';
export { CsiError, InvalidDataError, ExitCode } from './errors.js';
export { diff } from './diff/api.js';
export type { DiffOptions } from './diff/api.js';
export type { PlanChange } from './diff/plan-change.js';
