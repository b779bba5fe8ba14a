import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CsiError, orUsageError } from '../errors.js';
import { isDataFileName, parseDataSet } from './dataset.js';
import type { DataSetOptions, DataSetResult } from './dataset.js';
import { refuseUnprintedTables } from './tables.js';
import { MAX_FILE_BYTES } from './yaml-source.js';

/**
 * Reads every YAML file in a data directory (not its subfolders) as bytes, keyed
 * by name. Files over the size cap are not read whole: the parser reports them.
 */
export async function readDataDir(dataDir: string): Promise<Map<string, Uint8Array>> {
  const names = await orUsageError(readdir(dataDir), `data directory "${dataDir}" cannot be read`, 'NO_DATA_DIR',
    'give the folder that holds report.yaml, e.g. csi build-report data');
  const files = new Map<string, Uint8Array>();
  for (const name of names.filter(isDataFileName).sort()) {
    const path = join(dataDir, name);
    try {
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
  return files;
}

/**
 * Reads a data folder and runs every check of the data that build-report runs
 * before it renders (csi validate runs exactly these): the files, their schemas,
 * the checks across files, and the council and committee the config names.
 */
export async function checkDataDir(dataDir: string, options: DataSetOptions = {}): Promise<{ files: Map<string, Uint8Array>; result: DataSetResult }> {
  const files = await readDataDir(dataDir);
  return { files, result: await refuseUnprintedTables(files, parseDataSet(files, options)) };
}
