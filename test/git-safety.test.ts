import { cp, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepository, readDataAt } from '../src/git.js';
import { commit, csiIn, gitIn, gitRepo } from './helpers/git-repo.js';
import { SEED_DATA, tempDir } from './helpers/data.js';

describe('git paths and object names (issue 27.9, 27.12)', () => {
  it('a committed link whose target holds a line break injects nothing into git cat-file --batch', async () => {
    const repo = await gitRepo([{ message: 'a secret beside the data', files: { 'secret.txt': 'SECRET OUTSIDE THE DATA FOLDER\n' } }]);
    const head = gitIn(repo, ['rev-parse', 'HEAD']).trim();
    await symlink(`glossary.yaml\n${head}:secret.txt`, join(repo, 'data', 'evil.yaml'));
    await commit(repo, { message: 'a link with a line break in its target' });
    const at = gitIn(repo, ['rev-parse', 'HEAD']).trim();
    const files = (await readDataAt(await findRepository(join(repo, 'data'), 'a test'), [{ commit: at, rev: 'HEAD' }])).get(at)!;
    expect(files.get('evil.yaml')).toBe('link');
    // Every other file reads as committed: none shifted by one, none read from outside the folder.
    for (const [name, bytes] of files) {
      if (name === 'evil.yaml') continue;
      expect(Buffer.from(bytes as Uint8Array).toString('utf8'), name).toBe(await readFile(join(repo, 'data', name), 'utf8'));
    }
  });

  it('csi log in a repository with no commits: a usage message, exit 2, not git\'s "bad revision"', async () => {
    const repo = await tempDir('csi-repo-');
    gitIn(repo, ['init', '-q']);
    await cp(SEED_DATA, join(repo, 'data'), { recursive: true });
    const { code, stdout, stderr } = await csiIn(repo, ['log', 'r-01']);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(/^csi: .* has no commits yet, so the data has no history \(commit the data first/);
    expect(stderr).not.toMatch(/bad revision/);
  });
});
