import { spawn } from 'node:child_process';
import type { Io } from './io.js';
import type { Log } from './say.js';

/** The command that opens a file or URL in the desktop's default app. */
export function openerFor(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): { command: string; args: string[] } {
  if (env.CSI_OPEN) return { command: env.CSI_OPEN, args: [] };
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  return { command: 'xdg-open', args: [] };
}

/**
 * Opens `target` for the person at the terminal, and never in CI or when the
 * output is not a terminal (a pipeline has nobody to look at it).
 */
export function openForUser(target: string, io: Io, log: Log, platform: NodeJS.Platform = process.platform): void {
  if (io.env.CI && io.env.CI !== 'false') {
    log.note(`not opening ${target}: running in CI`);
    return;
  }
  if (!io.stdout.isTTY) {
    log.note(`not opening ${target}: output is not a terminal`);
    return;
  }
  const { command, args } = openerFor(platform, io.env);
  log.detail(`opening ${target} with ${command}`);
  const child = spawn(command, [...args, target], { detached: true, stdio: 'ignore', windowsVerbatimArguments: platform === 'win32' });
  child.on('error', (error) => log.note(`could not open ${target} with ${command}: ${error.message} (set CSI_OPEN to a program that can)`));
  child.unref();
}
