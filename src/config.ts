import { access, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { z } from 'zod';
import { problemsInFile } from './data/dataset.js';
import { problemsFromIssues } from './data/problems.js';
import { positionOf, readYamlSource } from './data/yaml-source.js';
import type { YamlSource } from './data/yaml-source.js';
import { CsiError, InvalidDataError, orUsageError } from './errors.js';
import { packageDir } from './paths.js';
import type { OutputFormat } from './pipeline.js';
import { COLOUR_NAMES, contrastProblems, DEFAULT_COLOURS } from './view/branding.js';
import type { Branding, ColourName } from './view/branding.js';
import { schemeOf, statusSchemeProblems, statusSettings } from './config-statuses.js';
import { DEFAULT_SCHEME } from './data/status.js';
import type { StatusScheme } from './data/status.js';
import { parsePlanDay } from './data/dates.js';
import { DATE_PART } from './diff/meetings.js';
import type { MeetingSettings } from './diff/meetings.js';

/** The file csi looks for in the folder it runs in. */
export const CONFIG_FILE = 'csi.config.yaml';

/** Themes shipped with csi, found by name when no folder of that name exists. */
export const SHIPPED_THEMES = packageDir('themes');

/** A logo is embedded in the report, so it is kept small. */
export const MAX_LOGO_BYTES = 1024 * 1024;

const LOGO_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
};

const Setting = z.string().refine((s) => s.trim().length > 0, 'must not be empty');
const Colour = z.string().regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'a colour is written like "#1d4f76" or "#16a"');
/** What each colour paints, for editors and the generated reference (docs/reference/config.md). */
const COLOUR_USES: Record<ColourName, string> = {
  ink: 'Body text.',
  muted: 'Quieter text: the meeting line on the cover, the labels of changes.',
  accent: 'Headings, links and the framework diagram.',
  rule: 'Lines and borders.',
  tint: 'Fills: table headers, highlighted rows.',
  complete: 'The status complete, where statuses are the progress words.',
  'on-track': 'The status on-track, where statuses are the progress words.',
  'at-risk': 'The status at-risk, where statuses are the progress words.',
  'not-started': 'The status not-started, where statuses are the progress words.',
};
const Colours = z.strictObject(
  Object.fromEntries(
    COLOUR_NAMES.map((name) => [name, Colour.optional().describe(`${COLOUR_USES[name]} Default: ${DEFAULT_COLOURS[name]}`)]),
  ) as Record<ColourName, z.ZodOptional<typeof Colour>>,
);
const StatusSettings = statusSettings(Setting, Colour);
/** A meeting's date as csi.config.yaml's `meetings` writes it: a real day, YYYY-MM-DD. */
const isMeetingDate = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && typeof parsePlanDay(d) !== 'string';

/** What csi.config.yaml may hold. Every key is optional. */
export const ConfigFile = z.strictObject({
  council: Setting.optional().describe('The council every report is for; report.yaml must name the same one.'),
  committee: Setting.optional().describe('The committee every report is for; report.yaml must name the same one.'),
  logo: Setting.optional().describe('A PNG, JPEG, GIF, SVG or WebP file (at most 1 MB), relative to this file, shown on the cover.'),
  colours: Colours.optional().describe('Report colours (#rgb or #rrggbb); text colours need 4.5:1 contrast on white.'),
  data: Setting.optional().describe('The data folder, relative to this file. Default: data'),
  out: Setting.optional().describe('The output folder, relative to this file. Default: out'),
  formats: z.array(z.enum(['html', 'pdf'])).min(1).optional().describe('Which outputs to build. Default: [html, pdf]'),
  theme: Setting.optional().describe("A theme folder relative to this file, or a shipped theme's name (e.g. example)."),
  statuses: StatusSettings.statuses.optional(),
  ratings: StatusSettings.ratings.optional(),
  due_words: z
    .array(Setting.refine((w) => !/\d/.test(w), 'a due word has no digits, or it could be read as a date'))
    .min(1)
    .optional()
    .describe('Words an action\'s due may be instead of a date, as the report prints them, e.g. [Ongoing, Quarterly, Annually].'),
  meetings: z
    .record(z.string(), Setting)
    .superRefine((map, ctx) => {
      for (const date of Object.keys(map)) {
        if (!isMeetingDate(date)) ctx.addIssue({ code: 'custom', message: `"${date}" is not a meeting date: a meeting is named by its date, YYYY-MM-DD`, path: [date] });
      }
    })
    .optional()
    .describe(
      'The plan as it went to each meeting: meeting date (YYYY-MM-DD) → a revision (commit or tag), e.g. { 2016-05-17: osc-may-2016 }. Beats report.yaml\'s meeting_date for the dates it names.',
    ),
  meeting_tags: Setting.refine((p) => p.split(DATE_PART).length === 2, `must hold ${DATE_PART} once, where the tag has the meeting's date`)
    .optional()
    .describe(`Tags that mark the plan as it went to a meeting, the date as ${DATE_PART} (YYYY-MM-DD), e.g. "osc-${DATE_PART}". Beats report.yaml's meeting_date; \`meetings\` beats it.`),
});
export type ConfigFile = z.infer<typeof ConfigFile>;

/** ConfigFile as a JSON Schema (draft-07), for editors; shipped as schemas/csi.config.schema.json. */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(ConfigFile, { target: 'draft-7', io: 'input' });
  return `${JSON.stringify({ ...schema, title: 'csi.config.yaml' }, null, 2)}\n`;
}

/** A config file read and checked, its paths made absolute. */
export interface Config {
  file: string;
  /** The logo's file, so a preview can watch it. */
  logoFile?: string | undefined;
  dataDir?: string | undefined;
  outDir?: string | undefined;
  formats?: OutputFormat[] | undefined;
  theme?: string | undefined;
  branding: Branding;
  /** The council's status words and further ratings. */
  statuses: StatusScheme;
  /** The meetings it names (`meetings`, `meeting_tags`). */
  meetings?: MeetingSettings | undefined;
}

function looksLike(type: string, bytes: Uint8Array): boolean {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  switch (type) {
    case 'image/png':
      return starts(0x89, 0x50, 0x4e, 0x47);
    case 'image/jpeg':
      return starts(0xff, 0xd8, 0xff);
    case 'image/gif':
      return starts(0x47, 0x49, 0x46, 0x38);
    case 'image/webp':
      return starts(0x52, 0x49, 0x46, 0x46);
    default:
      return new TextDecoder().decode(bytes.subarray(0, 4096)).includes('<svg');
  }
}

/** The logo as a data: URI, or the problem that stops it being one. */
async function readLogo(source: YamlSource, dir: string, logo: string): Promise<string | CsiError> {
  const fail = (message: string, hint: string) =>
    new CsiError(message, { code: 'INVALID_LOGO', position: positionOf(source, ['logo']), path: 'logo', hint });
  const type = LOGO_TYPES[extname(logo).toLowerCase()];
  if (!type) return fail(`"${logo}" is not an image csi can embed`, `use a ${Object.keys(LOGO_TYPES).join(', ')} file`);
  const path = resolve(dir, logo);
  let bytes: Uint8Array;
  try {
    if ((await stat(path)).size > MAX_LOGO_BYTES) {
      return fail(`logo "${logo}" is bigger than ${MAX_LOGO_BYTES / 1024} KB`, 'export it smaller; it is embedded in every report');
    }
    bytes = await readFile(path);
  } catch {
    return fail(`logo "${logo}" cannot be read`, `the path is relative to ${basename(source.file)}`);
  }
  if (!looksLike(type, bytes)) return fail(`logo "${logo}" is not a ${extname(logo).slice(1).toUpperCase()} image`, 'check the file');
  return `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
}

/**
 * Reads and checks a config file, with the same positioned problems as the data.
 * Relative paths in it are taken from the file's own folder. The branding (logo
 * and colours) is read and checked only for commands that make or check a report.
 */
export async function loadConfig(path: string, options: { branding?: boolean } = {}): Promise<Config> {
  const file = resolve(path);
  const dir = dirname(file);
  const name = basename(file);
  const bytes: Uint8Array = await orUsageError(readFile(file), `config file "${path}" cannot be read`, 'NO_CONFIG',
    'check the --config or CSI_CONFIG path, or run csi init to make one');
  const read = readYamlSource(name, bytes);
  // A config with every line commented out asks for the defaults.
  if (read.problems.length === 1 && read.problems[0]!.code === 'EMPTY_FILE') return { file, branding: {}, statuses: DEFAULT_SCHEME };
  if (!read.source) throw new InvalidDataError(problemsInFile(read.problems, read.text), dir);
  const source = read.source;
  const parsed = ConfigFile.safeParse(source.value ?? {});
  if (!parsed.success) throw new InvalidDataError(problemsInFile(problemsFromIssues(source, ConfigFile, parsed.error.issues), source.text), dir);
  const config = parsed.data;
  const paths = {
    file,
    dataDir: config.data === undefined ? undefined : resolve(dir, config.data),
    outDir: config.out === undefined ? undefined : resolve(dir, config.out),
    formats: config.formats,
    theme: config.theme === undefined ? undefined : await findTheme(config.theme, dir),
    meetings: config.meetings || config.meeting_tags ? { revisions: config.meetings, tags: config.meeting_tags } : undefined,
  };
  // Every command needs the council's status words (diff, log and schema print them too).
  const statusProblems = statusSchemeProblems(source, config);
  if (statusProblems.length > 0 && options.branding === false) throw new InvalidDataError(problemsInFile(statusProblems, source.text), dir);
  const statuses = { ...schemeOf(config, config.colours), ...(config.due_words && { dueWords: config.due_words }) };
  if (options.branding === false) return { ...paths, branding: {}, statuses };

  const problems: CsiError[] = [...statusProblems];
  for (const [colour, message] of contrastProblems(config.colours ?? {})) {
    problems.push(
      new CsiError(message, {
        code: 'LOW_CONTRAST',
        position: positionOf(source, ['colours', colour]),
        path: `colours.${colour}`,
        hint: 'choose a darker colour; the report must meet WCAG 2.2 AA',
      }),
    );
  }
  let logo: string | undefined;
  if (config.logo) {
    const read = await readLogo(source, dir, config.logo);
    if (read instanceof CsiError) problems.push(read);
    else logo = read;
  }
  if (problems.length > 0) throw new InvalidDataError(problemsInFile(problems, source.text), dir);

  return {
    ...paths,
    logoFile: config.logo === undefined ? undefined : resolve(dir, config.logo),
    branding: { council: config.council, committee: config.committee, logo, colours: config.colours, configFile: name },
    statuses,
  };
}

export type FormatChoice = 'html' | 'pdf' | 'all';

/** Settings given on the command line; anything left out falls back. */
export interface SettingFlags {
  config?: string | undefined;
  dataDir?: string | undefined;
  out?: string | undefined;
  format?: FormatChoice | undefined;
  theme?: string | undefined;
}

/** Where a setting's value came from, for --verbose. */
export type SettingSource = 'default' | 'config' | 'env' | 'flag';

/** Environment variables csi reads, by setting (CSI_CHROME is read where the browser is found). */
export const ENV_VARS = {
  config: 'CSI_CONFIG',
  dataDir: 'CSI_DATA',
  outDir: 'CSI_OUT',
  formats: 'CSI_FORMAT',
  theme: 'CSI_THEME',
} as const;

export const DEFAULTS = { dataDir: 'data', outDir: 'out', formats: ['html', 'pdf'] as OutputFormat[] };

/**
 * Everything a command needs to know, merged from defaults, config file, environment
 * and flags. Every command reads its settings here, so all of them agree on the data
 * folder (and the rest) for the same folder, config and environment.
 */
export interface Settings {
  /** The config file used, if any. */
  configFile: string | undefined;
  dataDir: string;
  outDir: string;
  formats: OutputFormat[];
  theme: string | undefined;
  branding: Branding;
  /** The council's status words and further ratings (csi.config.yaml `statuses`, `ratings`). */
  statuses: StatusScheme;
  /** The meetings csi.config.yaml names (`meetings`, `meeting_tags`), for commands that read the history. */
  meetings: MeetingSettings | undefined;
  /** Files besides the data and the theme that the settings were read from (config, logo). */
  files: string[];
  sources: { config: SettingSource; dataDir: SettingSource; outDir: SettingSource; formats: SettingSource; theme: SettingSource };
}

/** What a command needs of the settings beyond the folders. */
export interface SettingNeeds {
  /** Read and check the logo and colours (commands that make or check a report). Default true. */
  branding?: boolean;
}

function formatsOf(choice: string, from: string): OutputFormat[] {
  if (choice === 'all') return ['html', 'pdf'];
  if (choice === 'html' || choice === 'pdf') return [choice];
  throw new CsiError(`${from} is "${choice}"; it must be html, pdf or all`, { code: 'BAD_FORMAT', kind: 'usage' });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** A theme folder relative to `base`, or else the name of a theme shipped with csi (e.g. "example"). */
export async function findTheme(theme: string, base: string): Promise<string> {
  const dir = resolve(base, theme);
  if (await exists(dir)) return dir;
  const shipped = resolve(SHIPPED_THEMES, theme);
  return /^[\w.-]+$/.test(theme) && (await exists(shipped)) ? shipped : dir;
}

const envValue = (env: NodeJS.ProcessEnv, name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);

/** The config file to read: --config, then CSI_CONFIG, then csi.config.yaml in `cwd` if there is one. */
export async function configFileFor(flags: SettingFlags, env: NodeJS.ProcessEnv, cwd: string): Promise<string | undefined> {
  return (await findConfigFile(flags, env, cwd))[0];
}

async function findConfigFile(flags: SettingFlags, env: NodeJS.ProcessEnv, cwd: string): Promise<[string | undefined, SettingSource]> {
  if (flags.config) return [resolve(cwd, flags.config), 'flag'];
  const fromEnv = envValue(env, ENV_VARS.config);
  if (fromEnv) return [resolve(cwd, fromEnv), 'env'];
  const found = resolve(cwd, CONFIG_FILE);
  return [(await exists(found)) ? found : undefined, 'default'];
}

/**
 * Merges the settings in the documented order: csi's defaults, then the config
 * file, then environment variables, then flags (the last one set wins). Paths
 * from flags and the environment are relative to `cwd`; paths in the config file
 * are relative to the file.
 */
export async function resolveSettings(flags: SettingFlags, env: NodeJS.ProcessEnv, cwd: string, needs: SettingNeeds = {}): Promise<Settings> {
  const [configPath, configSource] = await findConfigFile(flags, env, cwd);
  const config: Config = configPath ? await loadConfig(configPath, { branding: needs.branding ?? true }) : { file: '', branding: {}, statuses: DEFAULT_SCHEME };

  const pick = <T>(flag: T | undefined, fromEnv: T | undefined, fromConfig: T | undefined, fallback: T): [T, SettingSource] =>
    flag !== undefined
      ? [flag, 'flag']
      : fromEnv !== undefined
        ? [fromEnv, 'env']
        : fromConfig !== undefined
          ? [fromConfig, 'config']
          : [fallback, 'default'];
  const path = (p: string | undefined) => (p === undefined ? undefined : resolve(cwd, p));

  const [dataDir, dataSource] = pick(path(flags.dataDir), path(envValue(env, ENV_VARS.dataDir)), config.dataDir, resolve(cwd, DEFAULTS.dataDir));
  const [outDir, outSource] = pick(path(flags.out), path(envValue(env, ENV_VARS.outDir)), config.outDir, resolve(cwd, DEFAULTS.outDir));
  const envFormat = envValue(env, ENV_VARS.formats);
  const [formats, formatSource] = pick(
    flags.format === undefined ? undefined : formatsOf(flags.format, '--format'),
    envFormat === undefined ? undefined : formatsOf(envFormat, ENV_VARS.formats),
    config.formats,
    DEFAULTS.formats,
  );
  const theme = (t: string | undefined) => (t === undefined ? undefined : findTheme(t, cwd));
  const [themeDir, themeSource] = pick<string | undefined>(
    await theme(flags.theme),
    await theme(envValue(env, ENV_VARS.theme)),
    config.theme,
    undefined,
  );

  return {
    configFile: configPath,
    dataDir,
    outDir,
    formats,
    theme: themeDir,
    branding: config.branding,
    statuses: config.statuses,
    meetings: config.meetings,
    files: [config.file, config.logoFile].filter((f): f is string => !!f),
    sources: { config: configSource, dataDir: dataSource, outDir: outSource, formats: formatSource, theme: themeSource },
  };
}
