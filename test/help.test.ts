import { spawn } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csi } from './helpers/cli.js';
import { SEED_DATA, tempDir } from './helpers/data.js';

describe('csi --help', () => {
  it('shows an example of every command', async () => {
    const { code, stdout } = await csi(['--help']);
    expect(code).toBe(0);
    const commands = [...stdout.split('Commands:\n')[1]!.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(commands).toEqual(expect.arrayContaining(['build-report', 'init', 'preview']));
    const examples = stdout.split(/^Examples.*:\n/m)[1] ?? '';
    for (const command of commands) expect(examples, command).toMatch(new RegExp(`^ {2}\\$ npx --no-install csi ${command}\\b`, 'm'));
  });

  it('reads every --help without a defect: no default said twice, no example cut short, csi as it runs in a plan', async () => {
    const top = await csi(['--help']);
    const commands = [...top.stdout.split('Commands:\n')[1]!.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    const helps: Array<readonly [string, string]> = [['csi', top.stdout]];
    for (const command of commands) {
      const { code, stdout } = await csi([command, '--help']);
      expect(code, command).toBe(0);
      helps.push([command, stdout] as const);
    }
    let examples = 0;
    for (const [command, text] of helps) {
      expect(text, command).not.toMatch(/\(default: ([^)]*)\)\s*\(default: \1\)/);
      expect(text, command).not.toContain('README');
      const lines = text.split('\n');
      const start = lines.findIndex((l) => /^Examples\b.*:$/.test(l));
      expect(start, `${command} has examples`).toBeGreaterThan(-1);
      for (const line of lines.slice(start + 1)) {
        if (!line.startsWith('  ')) break;
        expect(line, command).toMatch(/^ {2}\$ /);
        const commandLine = line.replace(/\s+#.*$/, '');
        expect(commandLine, `${command}: an example cut short`).not.toMatch(/[,\\]$/);
        if (/(^|\s)csi\s/.test(commandLine)) expect(commandLine, command).toMatch(/npx --no-install csi /);
        examples++;
      }
    }
    expect(examples).toBeGreaterThan(helps.length);
  });

  it('stops quietly when what reads it stops early (csi --help | head)', async () => {
    const child = spawn(process.execPath, [new URL('../bin/csi.js', import.meta.url).pathname, '--help']);
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('suggests the closest command for a misspelt one', async () => {
    for (const [typo, meant] of [['previw', 'preview'], ['int', 'init']] as const) {
      const { code, stderr } = await csi([typo]);
      expect(code).toBe(2);
      expect(stderr).toContain(`(Did you mean ${meant}?)`);
    }
  });
});

describe('hints that name the command the user ran', () => {
  it('validate of a missing folder says which folder to give, not a build-report command', async () => {
    const dir = await tempDir('csi-hint-');
    const { code, stderr } = await csi(['validate', 'nowhere'], {}, dir);
    expect(code).toBe(2);
    expect(stderr).toContain('nowhere" cannot be read');
    expect(stderr).not.toContain('build-report');
    expect(stderr).toContain('data in a plan csi init made');
  });

  it('log outside git says that log needs the plan in git, not what diff does', async () => {
    const dir = await tempDir('csi-hint-');
    expect((await csi(['init'], {}, dir)).code).toBe(0);
    const { code, stderr } = await csi(['log', 'ofsted-2024-r01'], {}, dir);
    expect(code).toBe(2);
    expect(stderr).toContain('is not in a git repository');
    expect(stderr).toContain('csi log reads the history');
    expect(stderr).not.toContain('csi diff');
  });
});

describe('csi build-report --open', () => {
  async function opener() {
    const dir = await tempDir('csi-open-');
    const script = join(dir, 'open.sh');
    await writeFile(script, `#!/bin/sh\necho "$1" > "${join(dir, 'opened')}"\n`);
    await chmod(script, 0o755);
    return { dir, script, opened: () => readFile(join(dir, 'opened'), 'utf8').catch(() => undefined) };
  }
  const build = (out: string, env: NodeJS.ProcessEnv, tty: boolean) =>
    csi(['build-report', SEED_DATA, '--format', 'html', '--out', out, '--open'], env, process.cwd(), tty);

  it('opens the HTML for a person at a terminal, with CSI_OPEN or the desktop\'s opener', async () => {
    const { script, opened } = await opener();
    const out = await tempDir();
    const { code } = await build(out, { CSI_OPEN: script }, true);
    expect(code).toBe(0);
    let path: string | undefined;
    for (let attempt = 0; attempt < 100 && !path; attempt++) {
      path = await opened();
      if (!path) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(path).toBe(`${join(out, 'report.html')}\n`);
  });

  it('never opens anything in CI or when the output is not a terminal', async () => {
    const { script, opened } = await opener();
    const ci = await build(await tempDir(), { CSI_OPEN: script, CI: 'true' }, true);
    expect(ci.stderr).toMatch(/^not opening .*report\.html: running in CI\n$/);
    const piped = await build(await tempDir(), { CSI_OPEN: script }, false);
    expect(piped.stderr).toMatch(/^not opening .*report\.html: output is not a terminal\n$/);
    expect(await opened()).toBeUndefined();
  });
});
