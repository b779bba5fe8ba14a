import { constants } from 'node:fs';
import { access, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import { CsiError } from './errors.js';
import { packageDir } from './paths.js';
import { refuseLinks } from './output.js';

/** The files csi init copies, shipped with the package. */
export const SCAFFOLD = packageDir('scaffold');
/** The JSON Schemas shipped with the package, for editors (yaml-language-server). */
export const SCHEMAS = packageDir('schemas');

/** Where in the plan init puts its copy of the schemas (where `csi schema` writes them too). */
const PLAN_SCHEMAS = 'schemas';

/** Scaffold names that npm would drop from a package (or hide), and the name they are written as. */
const RENAMED: Record<string, string> = { gitignore: '.gitignore', github: '.github' };

export interface InitOptions {
  force?: boolean;
  council?: string | undefined;
  committee?: string | undefined;
}

/** One file init writes: its path relative to the target folder, and its text. */
export interface ScaffoldFile {
  path: string;
  text: string;
}

/**
 * A name as one YAML value on its key's line. Double-quoted when it holds a line break or
 * other control character: a block scalar (yaml's choice) would end at the next line and
 * let the rest of the name be read as keys of its own.
 */
const scalar = (text: string) =>
  stringify(text, { lineWidth: 0, ...(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(text) ? { defaultStringType: 'QUOTE_DOUBLE' as const } : {}) }).trimEnd();

/** The names the scaffold uses until `--council` and `--committee` give the real ones. */
const SCAFFOLD_COUNCIL = 'Example Borough Council';
const SCAFFOLD_COMMITTEE = 'Example Scrutiny Committee';

/** Every value that is the scaffold's name (the config's, report.yaml's, the framework body's), renamed. */
function named(text: string, placeholder: string, name: string): string {
  const value = new RegExp(`^(\\s*(?:- )?[a-z_]+:[ \\t]*)${placeholder}(?=[ \\t]*(?:#.*)?$)`, 'gm');
  return text.replace(value, (_, key: string) => `${key}${scalar(name)}`);
}

/** The scaffold's files, and the JSON Schemas for editors, as they will be written into `target`. */
export async function scaffoldFiles(target: string, options: InitOptions = {}): Promise<ScaffoldFile[]> {
  const files: ScaffoldFile[] = [];
  for (const name of (await readdir(SCAFFOLD, { recursive: true })).sort()) {
    if (!(await stat(join(SCAFFOLD, name))).isFile()) continue;
    const path = join(...name.split(sep).map((part) => RENAMED[part] ?? part));
    // The editor-schema line points at the plan's own copy of the schemas (written
    // below), so it resolves wherever the plan is moved or cloned, and whether csi
    // came from a tarball, a git URL or a linked folder (or is not installed at all).
    const schemas = relative(dirname(resolve(target, path)), resolve(target, PLAN_SCHEMAS)).split(sep).join('/') || '.';
    let text = (await readFile(join(SCAFFOLD, name), 'utf8')).replaceAll('{{schemas}}', schemas);
    if (options.council) text = named(text, SCAFFOLD_COUNCIL, options.council);
    if (options.committee) text = named(text, SCAFFOLD_COMMITTEE, options.committee);
    files.push({ path, text });
  }
  for (const name of (await readdir(SCHEMAS)).filter((n) => n.endsWith('.schema.json')).sort()) {
    files.push({ path: join(PLAN_SCHEMAS, name), text: await readFile(join(SCHEMAS, name), 'utf8') });
  }
  return files;
}

const exists = (path: string) => access(path).then(() => true, () => false);

/**
 * Writes a new, valid data set and csi.config.yaml into `target`. Refuses to
 * replace any existing file unless `force`, and then writes nothing at all.
 */
export async function init(target: string, options: InitOptions = {}): Promise<string[]> {
  const files = await scaffoldFiles(target, options);
  if (!options.force) {
    const taken: string[] = [];
    for (const f of files) if (await exists(join(target, f.path))) taken.push(f.path);
    if (taken.length > 0) {
      throw new CsiError(`${target} already has ${taken.join(', ')}; nothing was written`, {
        code: 'INIT_WOULD_OVERWRITE',
        kind: 'usage',
        hint: 'run csi init in an empty folder, or add --force to replace those files',
      });
    }
  }
  // Every path is checked before the first file is written: a link or a file in the way writes nothing.
  for (const f of files) await refuseLinks(target, join(target, f.path));
  const written: string[] = [];
  for (const f of files) {
    const path = join(target, f.path);
    try {
      await mkdir(dirname(path), { recursive: true });
      // O_NOFOLLOW: a link put there since the check is refused too, not written through.
      const { O_CREAT, O_EXCL, O_NOFOLLOW, O_TRUNC, O_WRONLY } = constants;
      await writeFile(path, f.text, { flag: O_WRONLY | O_CREAT | O_NOFOLLOW | (options.force ? O_TRUNC : O_EXCL) });
    } catch (cause) {
      throw new CsiError(`cannot write ${path}`, { code: 'OUTPUT_NOT_WRITABLE', kind: 'environment', cause });
    }
    written.push(path);
  }
  return written;
}
