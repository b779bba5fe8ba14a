import { readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** csi's name on npm; the command it installs is `csi`. */
export const PACKAGE_NAME = 'council-scrutiny-report';

/**
 * Where csi's own files are (templates, themes, scaffold, schemas, package.json).
 *
 * The code runs from three places at different depths: src/ under vitest, dist/ as tsc
 * writes it, and dist/csi.cjs, the one-file bundle `bin/csi.js` loads (where
 * `import.meta.url` is the bundle's own URL). So rather than counting `../`, look upwards
 * from this module for csi's package.json (named PACKAGE_NAME): the first one found is the package.
 */
function findPackage(): { root: string; manifest: { name: string; version: string } } {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    let text: string | undefined;
    try {
      text = readFileSync(join(dir, 'package.json'), 'utf8');
    } catch {
      // none here (or unreadable): keep looking upwards
    }
    if (text !== undefined) {
      const manifest = JSON.parse(text) as { name?: unknown; version?: unknown };
      if (manifest.name === PACKAGE_NAME && typeof manifest.version === 'string') {
        return { root: dir, manifest: { name: manifest.name, version: manifest.version } };
      }
    }
    if (dirname(dir) === dir) throw new Error(`csi: cannot find its own package.json above ${start}`);
  }
}

const found = findPackage();

/** The folder holding csi's package.json, bin/, dist/, templates/ and the rest. */
export const PACKAGE_ROOT: string = found.root;

/** csi's package.json, read once. */
export const PACKAGE_MANIFEST: { readonly name: string; readonly version: string } = found.manifest;

/** A folder shipped with csi, with a trailing separator (`packageDir('templates')` → `/…/csi/templates/`). */
export function packageDir(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts) + sep;
}
