import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { CsiError, InvalidDataError, orUsageError } from '../errors.js';
import { isDataFileName, parseDataSet } from './dataset.js';
import type { DataSetOptions, DataSetResult } from './dataset.js';
import { MAX_FILE_BYTES } from './yaml-source.js';

/** True when `path` is `folder` or lies inside it (both already resolved). */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The problem with a data file that is a symbolic link to something outside the
 * data folder. Its target is never read, so no word of it can be printed or published.
 */
export function linkOutside(file: string): CsiError {
  return new CsiError(`this file is a symbolic link that leads outside the data folder: csi reads only files inside it`, {
    code: 'LINK_OUTSIDE',
    position: { file, line: 1, column: 1 },
    hint: 'copy the file into the folder, or remove the link',
  });
}

/**
 * Reads every YAML file in a data directory (not its subfolders) as bytes, keyed
 * by name. Files over the size cap are not read whole: the parser reports them.
 * The folder is closed: a symbolic link that resolves outside it is not followed,
 * and every such link is reported at once (InvalidDataError, exit 1).
 */
export async function readDataDir(dataDir: string): Promise<Map<string, Uint8Array>> {
  const names = await orUsageError(readdir(dataDir), `data directory "${dataDir}" cannot be read`, 'NO_DATA_DIR',
    'give the folder that holds report.yaml (data in a plan csi init made), or set data: in csi.config.yaml');
  const files = new Map<string, Uint8Array>();
  const outside: CsiError[] = [];
  let folder: string | undefined;
  for (const name of names.filter(isDataFileName).sort()) {
    const path = join(dataDir, name);
    try {
      if ((await lstat(path)).isSymbolicLink()) {
        folder ??= await realpath(dataDir);
        const target = await realpath(path).catch(() => undefined);
        if (target === undefined || !isInside(folder, target)) {
          outside.push(linkOutside(name));
          continue;
        }
      }
      const info = await stat(path);
      if (!info.isFile()) continue;
      // Bigger than the cap: keep just enough bytes for the parser to say so.
      files.set(name, info.size > MAX_FILE_BYTES ? new Uint8Array(MAX_FILE_BYTES + 1) : await readFile(path));
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new CsiError(`cannot read ${path}${code ? ` (${code})` : ''}`, {
        code: 'FILE_UNREADABLE',
        kind: 'environment',
        cause,
        hint: 'check the file\'s permissions',
      });
    }
  }
  if (outside.length > 0) throw new InvalidDataError(outside, dataDir);
  return files;
}

/**
 * Reads a data folder and checks it, as `csi validate` does: the files, their schemas,
 * the checks across files, and the council and committee the config names. A build
 * runs the same checks (`parseDataSet`) in the pipeline's own check stage, which also
 * refuses warnings under --strict.
 */
export async function checkDataDir(dataDir: string, options: DataSetOptions = {}): Promise<{ files: Map<string, Uint8Array>; result: DataSetResult }> {
  const files = await readDataDir(dataDir);
  return { files, result: parseDataSet(files, options) };
}
