import { execFile } from 'node:child_process';
import type { ExecFileOptions } from 'node:child_process';
import { main } from '../../src/cli/main.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs csi in-process, capturing what it prints; `tty` makes both streams look like a terminal. */
export async function csi(args: string[], env: NodeJS.ProcessEnv = {}, cwd = process.cwd(), tty = false): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: tty },
    stderr: { write: (s: string) => (stderr += s), isTTY: tty },
    env,
    cwd,
  });
  return { code, stdout, stderr };
}

export const BIN = new URL('../../bin/csi.js', import.meta.url).pathname;

/** Runs the real csi binary in a child process; never rejects. */
export function csiBinary(args: string[], options: ExecFileOptions = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile('node', [BIN, ...args], { encoding: 'utf8', ...options, env: { ...process.env, NO_COLOR: '1', ...options.env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
