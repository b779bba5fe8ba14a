import { execFileSync } from 'node:child_process';
import { describe, it } from 'vitest';
import { findBrowser } from '../../src/pdf/browser.js';

function browserPath(): string | undefined {
  try {
    return findBrowser(undefined);
  } catch {
    return undefined;
  }
}

function hasCommand(name: string): boolean {
  try {
    execFileSync(name, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const BROWSER = browserPath();
export const HAS_POPPLER = hasCommand('pdftotext') && hasCommand('pdfinfo');

/**
 * `describe` for tests that need Chromium and poppler. Without them the tests are
 * skipped on a developer's machine but fail under CI=true, never skip quietly.
 */
export function describeWithBrowser(name: string, body: () => void): void {
  if (BROWSER && HAS_POPPLER) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it('has Chromium and poppler-utils installed', () => {
        throw new Error(
          `missing ${BROWSER ? '' : 'a browser '}${HAS_POPPLER ? '' : 'poppler-utils '}under CI: apt-get install chromium-headless-shell fonts-liberation poppler-utils`,
        );
      });
    });
  } else {
    describe.skip(`${name} (no browser or poppler-utils here)`, body);
  }
}
