import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { csi } from './helpers/cli.js';
import { markdownBlock, markdownInline } from '../src/text/markdown.js';
import { seedCopy, seedText, tempDir } from './helpers/data.js';
import { commit, csiIn, gitIn, gitRepo } from './helpers/git-repo.js';

// The attack corpus, part two: what a pull request (or a careless officer) can put
// in a data or theme folder, or in git, to reach files or history it should not.
// Each case failed before csi closed the hole it tests.

/** A file outside every folder csi reads, holding a secret that must never be printed. */
async function outsideFile(name = 'secret.txt', lines = 20) {
  const secret = `csi-outside-${randomBytes(8).toString('hex')}`;
  const path = join(await tempDir('csi-outside-'), name);
  await writeFile(path, Array.from({ length: lines }, (_, i) => `line${i}: ${secret}`).join('\n'));
  return { secret, path };
}

describe('a data folder holding symbolic links', () => {
  let data: string;
  let secrets: string[];
  beforeAll(async () => {
    data = await seedCopy();
    // A link to a text file, one to a YAML file that is valid data, and one to nothing.
    const text = await outsideFile();
    const yaml = await outsideFile('outside.yaml');
    await writeFile(yaml.path, `kind: aspirations\nkey: outside\ntitle: ${yaml.secret}\naspirations:\n  - id: outside-1\n    text: ${yaml.secret}\n`);
    await symlink(text.path, join(data, 'passwd.yaml'));
    await symlink(yaml.path, join(data, 'outside.yaml'));
    await symlink('/etc/passwd', join(data, 'etc.yml'));
    secrets = [text.secret, yaml.secret, 'root:'];
  });

  it('is refused, one positioned line per link, with exit 1 and nothing written', async () => {
    const out = join(await tempDir(), 'out');
    const run = await csi(['build-report', data, '--out', out, '--format', 'html']);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines.filter((l) => /^\S+:1:1 {2}this file is a symbolic link that leads outside the data folder/.test(l)).map((l) => l.split(':')[0]!.split('/').pop())).toEqual([
      'etc.yml',
      'outside.yaml',
      'passwd.yaml',
    ]);
    await expect(readdir(out)).rejects.toThrow();
    for (const secret of secrets) expect(run.stderr + run.stdout).not.toContain(secret);
  });

  it('is refused by validate too, as JSON problems', async () => {
    const run = await csi(['validate', data, '--json']);
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as { valid: boolean; errors: { code: string; file: string; line: number }[] };
    expect(json.errors.map((e) => [e.code, e.file, e.line])).toEqual([
      ['LINK_OUTSIDE', 'etc.yml', 1],
      ['LINK_OUTSIDE', 'outside.yaml', 1],
      ['LINK_OUTSIDE', 'passwd.yaml', 1],
    ]);
    for (const secret of secrets) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('still follows a link to another file inside the folder', async () => {
    const inside = await seedCopy();
    await mkdir(join(inside, 'kept'));
    await rename(join(inside, 'glossary.yaml'), join(inside, 'kept', 'glossary.yaml'));
    await symlink(join('kept', 'glossary.yaml'), join(inside, 'glossary.yaml'));
    const run = await csi(['validate', inside]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('a data file that is not csi data', () => {
  it('is quoted a line at a time, and a long value is cut short in the message', async () => {
    const data = await seedCopy();
    const secret = `csi-long-${randomBytes(8).toString('hex')}`;
    // Plain lines YAML folds into one long text: the message used to quote all of it.
    await writeFile(join(data, 'notes.yaml'), Array.from({ length: 40 }, (_, i) => `word${i}:${i}:x:/home/${i}:/bin/sh${i === 39 ? ` ${secret}` : ''}`).join('\n'));
    const run = await csi(['validate', data]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('notes.yaml:1:1  this should be a mapping of keys to values, not the text "word0:0:x:/home/0:/bin/sh word1:1:x:/home/1:/bin/sh word2:2:…"');
    expect(run.stderr).not.toContain(secret);
    expect(run.stderr).not.toContain('word39');
  });

  it('that is not UTF-8 is placed, but not quoted', async () => {
    const data = await seedCopy();
    await writeFile(join(data, 'latin1.yaml'), Buffer.concat([Buffer.from('secret: caf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]));
    const run = await csi(['validate', data]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('latin1.yaml:1:12  file is not UTF-8 text');
    expect(run.stderr).not.toContain('au lait');
  });
});

describe('a theme folder holding symbolic links', () => {
  it('refuses a template or stylesheet that leads outside it, naming the file, and writes nothing', async () => {
    for (const name of ['report.css', join('partials', 'cover.hbs')]) {
      const theme = await tempDir('csi-theme-');
      await mkdir(join(theme, 'partials'));
      const outside = await outsideFile(name.endsWith('.css') ? 'outside.css' : 'outside.hbs');
      await symlink(outside.path, join(theme, name));
      const out = join(await tempDir(), 'out');
      const run = await csi(['build-report', await seedCopy(), '--theme', theme, '--out', out, '--format', 'html']);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `csi: ${join(theme, name)}: a symbolic link that leads outside the theme folder; csi reads only files inside it (copy the file into the theme folder, or remove the link)\n`,
      );
      await expect(readdir(out)).rejects.toThrow();
    }
  });

  it('refuses a partials folder that is itself a link outside', async () => {
    const theme = await tempDir('csi-theme-');
    const elsewhere = await tempDir('csi-elsewhere-');
    await writeFile(join(elsewhere, 'cover.hbs'), 'SECRET COVER');
    await symlink(elsewhere, join(theme, 'partials'));
    const run = await csi(['build-report', await seedCopy(), '--theme', theme, '--out', join(await tempDir(), 'out'), '--format', 'html']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cover.hbs: a symbolic link that leads outside the theme folder');
  });
});

describe('git history that tells the truth', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await gitRepo([
      { message: 'Agree the September plan', files: { 'data/glossary.yaml': (t) => `${t.trimEnd()}\n  - term: ZZ\n    definition: Last term\n` } },
      { message: 'Tidy', files: { 'data/glossary.yaml': (t) => t.replace('definition: Last term', 'definition: The last term') } },
    ]);
    gitIn(repo, ['tag', '-a', '-m', 'September', 'v2017-09', 'HEAD~1']);
  });

  it.each([':/Agree the September', 'HEAD@{1}', 'main~1^{commit}', 'v2017-09', 'v2017-09^{}', 'HEAD~1', '@~1'])(
    'reads the revision %s',
    async (rev) => {
      const run = await csiIn(repo, ['diff', rev, 'HEAD', '--format', 'json']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const json = JSON.parse(run.stdout) as { from: { commit: string } };
      expect(json.from.commit).toBe(gitIn(repo, ['rev-parse', 'HEAD~1']).trim());
    },
  );

  it.each(['--output=/tmp/x', '-p', 'HEAD:data', 'HEAD~1^{tree}'])('refuses %s, which names no commit', async (rev) => {
    const run = await csiIn(repo, ['diff', '--', rev, 'HEAD']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(rev.startsWith('-') ? /looks like an option, not a revision/ : /is neither a data folder nor a revision/);
  });

  it('says a shallow clone is shallow, with the fix, for csi diff and csi log', async () => {
    const clone = await tempDir('csi-shallow-');
    gitIn(clone, ['clone', '-q', '--depth', '1', `file://${repo}`, '.']);
    const diff = await csiIn(clone, ['diff', 'HEAD~1']);
    expect(diff.code).toBe(2);
    expect(diff.stderr).toContain('which is a shallow clone: its history is cut short');
    expect(diff.stderr).toContain('fetch-depth: 0');
    const log = await csiIn(clone, ['log', 'ofsted-2012-r01']);
    expect(log.code).toBe(3);
    expect(log.stdout).toBe('');
    expect(log.stderr).toContain('is a shallow clone: the history of the data is cut short, so csi log cannot tell it');
    expect(log.stderr).toContain('fetch-depth: 0');
  });

  it('refuses a link in the data folder at a revision that leads outside it, and follows one to a data file beside it', async () => {
    const linked = await gitRepo([]);
    await symlink('/etc/passwd', join(linked, 'data', 'passwd.yaml'));
    await commit(linked, { message: 'Link out' });
    const out = await csiIn(linked, ['diff', 'HEAD~1', 'HEAD']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('HEAD:data/passwd.yaml:1:1  this file is a symbolic link that leads outside the data folder');
    expect(out.stderr).not.toContain('root:');

    const beside = await gitRepo([]);
    await mkdir(join(beside, 'data', 'kept'));
    await rename(join(beside, 'data', 'glossary.yaml'), join(beside, 'data', 'kept', 'glossary.yaml'));
    await symlink(join('kept', 'glossary.yaml'), join(beside, 'data', 'glossary.yaml'));
    await commit(beside, { message: 'Keep the glossary in a folder of its own' });
    const same = await csiIn(beside, ['diff', 'HEAD~1', 'HEAD', '--format', 'json']);
    expect(same.stderr).toBe('');
    expect(JSON.parse(same.stdout)).toMatchObject({ identical: true });
  });
});

describe('Markdown from data stays within bounds', () => {
  const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
  const none = () => undefined;

  it("keeps an image's width and height only within a page", () => {
    for (const render of [markdownBlock, markdownInline]) {
      expect(render(`<img src="${PNG}" width="99999" height="99999" alt="big">`, none)).toBe(`<img src="${PNG}" alt="big" />`);
      expect(render(`<img src="${PNG}" width="0" height="-5" alt="none">`, none)).toBe(`<img src="${PNG}" alt="none" />`);
      expect(render(`<img src="${PNG}" width="320px" height="1e3" alt="odd">`, none)).toBe(`<img src="${PNG}" alt="odd" />`);
      expect(render(`<img src="${PNG}" width="640" height="900" alt="page">`, none)).toBe(`<img src="${PNG}" alt="page" width="640" height="900" />`);
    }
  });

  it('lets no list start at a number of its own, so data cannot fake paragraph numbers', () => {
    expect(markdownBlock('7. seventh\n8. eighth', none)).toBe('<ol>\n<li>seventh</li>\n<li>eighth</li>\n</ol>');
    expect(markdownBlock('<ol start="4" reversed type="i"><li>x</li></ol>', none)).toBe('<ol><li>x</li></ol>');
  });

  it('reports a text that prints nothing once sanitised, at its position', async () => {
    const report = await seedText('report.yaml');
    const at = report.split('\n').indexOf('      - >-') + 1;
    const data = await seedCopy('report.yaml', (t) =>
      t.replace('      - >-\n        The purpose of this report', '      - "<script>document.title = 1</script>"\n      - "---"\n      - >-\n        The purpose of this report'),
    );
    const aspirations = await seedText('aspirations-2017.yaml');
    const start = aspirations.indexOf('  - id: aspiration-2017-02\n');
    const image = '  - id: aspiration-2017-02\n    text: "![chart](https://example.org/c.png)"\n';
    await writeFile(join(data, 'aspirations-2017.yaml'), aspirations.slice(0, start) + image + aspirations.slice(aspirations.indexOf('  - id: aspiration-2017-03')));
    const imageLine = aspirations.slice(0, start).split('\n').length + 1;
    const run = await csi(['validate', data, '--json']);
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as { errors: { code: string; file: string; line: number; column: number; message: string }[] };
    expect(json.errors.map((e) => [e.code, e.file, e.line, e.column, e.message])).toEqual([
      ['EMPTY_TEXT', 'aspirations-2017.yaml', imageLine, 11, 'this text prints nothing once its HTML is made safe'],
      ['EMPTY_TEXT', 'report.yaml', at, 9, 'this text prints nothing once its HTML is made safe'],
      ['EMPTY_TEXT', 'report.yaml', at + 1, 9, 'this text prints nothing once its HTML is made safe'],
    ]);
  });
});
