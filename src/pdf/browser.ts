import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { CsiError } from '../errors.js';

/** How to get a browser, in one line, for the error message. */
export const BROWSER_HINT =
  'install one (Debian/Ubuntu: apt-get install chromium-headless-shell fonts-liberation), or point --chrome or CSI_CHROME at Chrome, Edge or Chromium';

function candidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
    ];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
    return roots.flatMap((root) => [
      join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      join(root, 'Chromium', 'Application', 'chrome.exe'),
    ]);
  }
  return [
    // Debian's headless shell starts fastest; call the binary, not its /usr/bin wrapper script,
    // so closing the browser ends the real process.
    '/usr/lib/chromium/chromium-headless-shell',
    '/usr/bin/chromium-headless-shell',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/opt/google/chrome/chrome',
    '/usr/bin/microsoft-edge-stable',
    '/usr/bin/microsoft-edge',
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
  ];
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds a Chromium-family browser: an explicit path (flag, then CSI_CHROME) first,
 * then the usual install locations. Throws an environment error with a fix.
 */
export function findBrowser(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const named = explicit ?? env.CSI_CHROME;
  if (named) {
    if (isExecutable(named)) return named;
    throw new CsiError(`the browser "${named}" does not exist or cannot be run`, {
      code: 'NO_BROWSER',
      kind: 'environment',
      hint: explicit ? 'check the --chrome path' : 'check the CSI_CHROME path',
    });
  }
  const found = candidates(platform, env).find(isExecutable);
  if (found) return found;
  throw new CsiError('no Chrome, Edge or Chromium found to print the PDF', {
    code: 'NO_BROWSER',
    kind: 'environment',
    hint: BROWSER_HINT,
  });
}
