import type { Command } from 'commander';
import { resolveSettings } from '../config.js';
import type { SettingFlags, SettingNeeds, Settings } from '../config.js';
import type { Io } from './io.js';
import { logFor, shownPath } from './say.js';
import type { Log } from './say.js';

/** For --help: where a command's data folder comes from, the same for every command. */
export const SETTINGS_HELP = `The data folder is the one given on the command line, else CSI_DATA, else data:
in csi.config.yaml (or the --config or CSI_CONFIG file), else data/. Every command
reads it this way; csi --verbose says which it was.`;

/** The settings a command uses besides the config file, named as --verbose names them. */
export type SettingName = 'data' | 'out' | 'formats' | 'theme';

/**
 * A command's settings, read the one way every command reads them (config.ts's
 * resolveSettings); with --verbose, says where each one it uses came from.
 */
export async function settingsFor(
  io: Io,
  command: Command,
  flags: SettingFlags,
  uses: readonly SettingName[],
  needs: SettingNeeds = {},
): Promise<Settings> {
  const settings = await resolveSettings(flags, io.env, io.cwd, needs);
  describeSettings(settings, io.cwd, logFor(io, command), uses);
  return settings;
}

/** What --verbose says about where each setting came from: flag, env, config or default. */
export function describeSettings(settings: Settings, cwd: string, log: Log, uses: readonly SettingName[]): void {
  const { sources } = settings;
  log.detail(`config: ${settings.configFile ? `${shownPath(settings.configFile, cwd)} (${sources.config})` : 'none'}`);
  if (uses.includes('data')) log.detail(`data: ${shownPath(settings.dataDir, cwd)} (${sources.dataDir})`);
  if (uses.includes('out')) log.detail(`out: ${shownPath(settings.outDir, cwd)} (${sources.outDir})`);
  if (uses.includes('formats')) log.detail(`formats: ${settings.formats.join(', ')} (${sources.formats})`);
  if (uses.includes('theme')) log.detail(`theme: ${settings.theme ? `${shownPath(settings.theme, cwd)} (${sources.theme})` : 'built-in'}`);
}
