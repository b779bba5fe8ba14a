import { main } from '../../src/cli/main.js';

/** Runs csi in-process, capturing what it prints. */
export async function csi(args: string[], env: NodeJS.ProcessEnv = {}, cwd = process.cwd(), tty = false) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: tty },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env,
    cwd,
  });
  return { code, stdout, stderr };
}
