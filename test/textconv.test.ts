import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FUNCNAME, textconv } from '../src/diff/textconv.js';
import { BIN } from './helpers/cli.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('csi diff --textconv', () => {
  it('prints nothing different for a key-order swap, as csi diff sees none', () => {
    const before = 'kind: aspirations\nkey: a\ntitle: T\naspirations:\n  - id: a-1\n    status: on-track\n    text: Help families early\n';
    const after = 'key: a\nkind: aspirations\ntitle: T\naspirations:\n  - id: a-1\n    text: Help families early\n    status: on-track\n';
    expect(textconv('a.yaml', bytes(after))).toBe(textconv('a.yaml', bytes(before)));
    expect(textconv('a.yaml', bytes(before))).toContain('[a-1]\n\nstatus: on-track\ntext: Help families early\n');
  });

  it('still shows a change of value', () => {
    const before = 'key: a\naspirations:\n  - id: a-1\n    status: on-track\n';
    expect(textconv('a.yaml', bytes(before.replace('on-track', 'complete')))).not.toBe(textconv('a.yaml', bytes(before)));
  });
});

describe('git diff through the textconv driver', () => {
  let repo = '';
  afterEach(async () => {
    if (repo) await rm(repo, { recursive: true, force: true });
    repo = '';
  });

  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.org', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.org' } });

  it('heads each hunk with the item that changed, not the one above it', async () => {
    repo = await mkdtemp(join(tmpdir(), 'csi-textconv-'));
    git('init', '-q');
    await writeFile(join(repo, '.gitattributes'), '*.yaml diff=csi\n');
    git('config', 'diff.csi.textconv', `"${process.execPath}" "${BIN}" diff --textconv`);
    git('config', 'diff.csi.xfuncname', FUNCNAME);
    const item = (id: string, status: string) => `      - id: ${id}\n        status: ${status}\n        owner: Head of Service\n        text: Do the thing called ${id}\n`;
    const file = (second: string, third = 'on-track') =>
      `kind: recommendations\nkey: r\ntitle: T\ngroups:\n  - id: g-1\n    items:\n${item('r-01', 'on-track')}  - id: g-2\n    items:\n${item('r-02', second)}${item('r-03', third)}`;
    await writeFile(join(repo, 'r.yaml'), file('on-track'));
    git('add', '-A');
    git('commit', '-q', '-m', 'one');

    // The first field that can change: the hunk's context reaches above the item.
    await writeFile(join(repo, 'r.yaml'), file('complete'));
    const headers = git('diff', '--', 'r.yaml').match(/^@@ .* @@ ?(.*)$/gm) ?? [];
    expect(headers).toHaveLength(1);
    expect(headers[0]).toMatch(/@@ r-02$/);

    // And the item after it: the one above is never named for it.
    await writeFile(join(repo, 'r.yaml'), file('on-track', 'at-risk'));
    expect(git('diff', '--', 'r.yaml').match(/^@@ .* @@ ?(.*)$/gm)).toEqual([expect.stringMatching(/@@ r-03$/)]);
  });
});
