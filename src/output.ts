import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { copyFile, lstat, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { onExit } from 'signal-exit';
import { CsiError } from './errors.js';

const ignore = () => undefined;

function notWritable(path: string, cause: unknown): CsiError {
  const code = (cause as NodeJS.ErrnoException).code;
  return new CsiError(`cannot write ${path}${code ? ` (${code})` : ''}`, {
    code: 'OUTPUT_NOT_WRITABLE',
    kind: 'environment',
    cause,
    hint: code === 'EFBIG'
      ? 'the file is larger than csi may write here (a file size limit, such as ulimit -f): raise the limit'
      : 'choose another folder with --out, or check its permissions',
  });
}

/** A hidden name beside `path`, unique to this run: `.report.pdf.1234.9f3a….tmp`. */
function siblingName(path: string, purpose: 'tmp' | 'old'): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.${purpose}`);
}

/** True while a process exists (one of another user's counts): what it left behind is still its own. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what an earlier run left beside `path` when it was killed before it
 * could clean up: its temporary and backup files, once that run's process is gone.
 */
async function removeLeftovers(path: string): Promise<void> {
  const name = basename(path);
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const candidate of names) {
    if (!candidate.startsWith(`.${name}.`)) continue;
    const match = /^\.(\d+)\.[0-9a-f]{8}\.(tmp|old)$/.exec(candidate.slice(name.length + 1));
    if (match && !isRunning(Number(match[1]))) await rm(join(dirname(path), candidate), { force: true }).catch(ignore);
  }
}

/** Writes and flushes a new file; it must not exist already. */
async function writeNew(path: string, content: string | Uint8Array): Promise<void> {
  const file = await open(path, 'wx');
  try {
    await file.writeFile(content);
    await file.sync();
  } finally {
    await file.close();
  }
}

/**
 * Writes a set of outputs all or nothing. Each output is first written in full to
 * a hidden temporary file beside its target; only when every one is ready are
 * they renamed into place. If anything fails, the targets keep their previous
 * contents and no temporary file is left behind.
 */
export class OutputSet {
  readonly #staged: { path: string; temp: string }[] = [];
  /** Temporary files on the disk now, removed even if csi is stopped by a signal (Ctrl-C, SIGTERM, SIGHUP). */
  readonly #onDisk = new Set<string>();
  #forgetExit: (() => void) | undefined;

  #written(temp: string): void {
    this.#onDisk.add(temp);
    this.#forgetExit ??= onExit(() => {
      for (const file of this.#onDisk) rmSync(file, { force: true });
    });
  }

  #gone(temp: string): void {
    this.#onDisk.delete(temp);
    if (this.#onDisk.size === 0) {
      this.#forgetExit?.();
      this.#forgetExit = undefined;
    }
  }

  /** Writes one output to its temporary file. */
  async stage(path: string, content: string | Uint8Array): Promise<void> {
    const temp = siblingName(path, 'tmp');
    this.#written(temp);
    try {
      await mkdir(dirname(path), { recursive: true });
      await removeLeftovers(path);
      await writeNew(temp, content);
    } catch (cause) {
      await rm(temp, { force: true }).catch(ignore);
      this.#gone(temp);
      throw notWritable(path, cause);
    }
    this.#staged.push({ path, temp });
  }

  /**
   * Renames every staged output into place. The previous version of each target
   * is kept under a second name until all renames have succeeded, so a failure
   * half way puts the earlier ones back.
   */
  async commit(): Promise<void> {
    const done: { path: string; old: string | undefined }[] = [];
    try {
      for (const { path, temp } of this.#staged) {
        const old = siblingName(path, 'old');
        const hadOld = await copyFile(path, old).then(() => true, (e: NodeJS.ErrnoException) => {
          if (e.code === 'ENOENT') return false;
          throw notWritable(path, e);
        });
        done.push({ path, old: hadOld ? old : undefined });
        await rename(temp, path).catch((e: unknown) => {
          throw notWritable(path, e);
        });
        this.#gone(temp);
      }
    } catch (error) {
      // Undo in reverse: each target gets its previous file back, or goes if it had none.
      for (const { path, old } of done.reverse()) {
        if (old) await rename(old, path).catch(ignore);
        else await rm(path, { force: true }).catch(ignore);
      }
      await this.discard();
      throw error;
    }
    for (const { old } of done) if (old) await rm(old, { force: true }).catch(ignore);
    this.#staged.length = 0;
  }

  /** Removes whatever is staged and not yet committed. Safe to call more than once. */
  async discard(): Promise<void> {
    for (const { temp } of this.#staged.splice(0)) {
      await rm(temp, { force: true }).catch(ignore);
      this.#gone(temp);
    }
  }
}

/**
 * Writes one file so that readers only ever see the old one or the whole new one:
 * a temporary file beside it, then a rename. On failure nothing is left behind.
 */
export async function writeAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const outputs = new OutputSet();
  try {
    await outputs.stage(path, content);
    await outputs.commit();
  } finally {
    await outputs.discard();
  }
}

/**
 * Refuses to write `path` through a symbolic link, or where a folder on the way is a
 * file: each folder from `root` (not checked itself) down to the file is looked at
 * before anything is written, so a refusal writes nothing.
 */
export async function refuseLinks(root: string, path: string): Promise<void> {
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return;
  const parts = rel.split(sep);
  let at = root;
  for (const [i, part] of parts.entries()) {
    at = join(at, part);
    const found = await lstat(at).catch(() => undefined);
    if (!found) return; // nothing further along exists yet
    if (found.isSymbolicLink()) {
      throw new CsiError(`${at} is a symbolic link: csi does not write through links; nothing was written`, {
        code: 'OUTPUT_NOT_WRITABLE',
        kind: 'environment',
        hint: 'remove the link, or write to a real folder',
      });
    }
    if (i < parts.length - 1 && !found.isDirectory()) {
      throw new CsiError(`${at} is a file, where a folder must be; nothing was written`, {
        code: 'OUTPUT_NOT_WRITABLE',
        kind: 'environment',
        hint: 'move the file away, or write somewhere else',
      });
    }
  }
}
