import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CsiError } from './errors.js';

/**
 * Writes a file so that readers only ever see the old one or the whole new one:
 * a temporary file beside it, then a rename. On failure nothing is left behind.
 */
export async function writeAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, content);
    await rename(temp, path);
  } catch (cause) {
    await rm(temp, { force: true }).catch(() => undefined);
    const code = (cause as NodeJS.ErrnoException).code;
    throw new CsiError(`cannot write ${path}${code ? ` (${code})` : ''}`, {
      code: 'OUTPUT_NOT_WRITABLE',
      kind: 'environment',
      cause,
      hint: 'choose another folder with --out, or check its permissions',
    });
  }
}
