import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csi } from './helpers/cli.js';

// csi is for every council: what one council calls things (its name, its committee, its
// programme, its officers) is data, never code, templates, the starter files or the help.

const ROOT = new URL('../', import.meta.url).pathname;

/** Words of the reference council (case ignored), and its abbreviations (case kept). */
const ITS_WORDS = /Barnsley|Continuous Service Improvement|Overview and Scrutiny|Scrutiny Officer|Executive Director/i;
const ITS_ABBREVIATIONS = /\bCSI\b|\bOSC\b|\bBSCB\b/;

async function filesUnder(dir: string): Promise<string[]> {
  const names = await readdir(join(ROOT, dir), { recursive: true, withFileTypes: true });
  return names.filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

describe('nothing of the reference council', () => {
  it('in src/, templates/, the shipped themes or the scaffold', async () => {
    const found: string[] = [];
    for (const dir of ['src', 'templates', 'themes', 'scaffold']) {
      for (const file of await filesUnder(dir)) {
        const text = await readFile(file, 'utf8');
        text.split('\n').forEach((line, i) => {
          if (ITS_WORDS.test(line) || ITS_ABBREVIATIONS.test(line)) found.push(`${file.slice(ROOT.length)}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    expect(found).toEqual([]);
  });

  it('in the help of csi and of each command', async () => {
    const top = await csi(['--help']);
    const commands = [...top.stdout.split('Commands:\n')[1]!.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThan(4);
    for (const args of [['--help'], ...commands.map((c) => [c, '--help'])]) {
      const { stdout } = await csi(args);
      expect(stdout, args.join(' ')).not.toMatch(ITS_WORDS);
      expect(stdout, args.join(' ')).not.toMatch(ITS_ABBREVIATIONS);
    }
  });
});
