import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTheme, SHIPPED_THEMES } from '../src/config.js';
import { BUILT_IN_TEMPLATES, renderPrintMargins } from '../src/view/html.js';
import { renderReport } from '../src/pipeline.js';
import { csi } from './helpers/cli.js';
import { SEED_DATA, tempDir } from './helpers/data.js';

const STYLE = /<style>\n([\s\S]*?)\n<\/style>/;
const CONTENTS = /<nav class="contents"[\s\S]*?<\/nav>/;

/** A theme folder holding the given files. */
async function theme(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('csi-theme-');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

async function render(themeDir?: string) {
  const { html, templates, view } = await renderReport({ dataDir: SEED_DATA, ...(themeDir ? { theme: themeDir } : {}) });
  return { html, margins: renderPrintMargins(templates, view) };
}

describe('a theme', () => {
  it('replaces exactly the partial and the stylesheet it names, and nothing else', async () => {
    const css = 'body { font-size: 13pt; } /* the council\'s own stylesheet */';
    const dir = await theme({
      'report.css': css,
      'partials/contents.hbs': '<nav class="contents" aria-label="Contents"><p>{{contents.length}} entries</p></nav>\n',
    });
    const built = await render();
    const themed = await render(dir);

    const builtInCss = await readFile(join(BUILT_IN_TEMPLATES, 'report.css'), 'utf8');
    expect(themed.html.match(STYLE)?.[1]).toContain(css);
    expect(themed.html).not.toContain(builtInCss.split('\n').find((l) => l.startsWith('.cover-council')));
    const entries = (built.html.match(CONTENTS)?.[0].match(/<li>/g) ?? []).length;
    expect(entries).toBeGreaterThan(10);
    expect(themed.html.match(CONTENTS)?.[0]).toBe(`<nav class="contents" aria-label="Contents"><p>${entries} entries</p></nav>`);
    expect(built.html.match(CONTENTS)?.[0]).toContain('<h2 id="contents-heading">Contents</h2>');

    const rest = (html: string) => html.replace(STYLE, '').replace(CONTENTS, '');
    expect(rest(themed.html)).toBe(rest(built.html));
    expect(themed.margins).toEqual(built.margins);
  });

  it('adds to the built-in stylesheet with theme.css', async () => {
    const dir = await theme({ 'theme.css': 'h2 { letter-spacing: 0.02em; }' });
    const style = (await render(dir)).html.match(STYLE)?.[1] ?? '';
    const builtInCss = await readFile(join(BUILT_IN_TEMPLATES, 'report.css'), 'utf8');
    expect(style.startsWith(`${builtInCss}\nh2 { letter-spacing: 0.02em; }`)).toBe(true);
    // After the theme come only the status colours, whose rules weigh nothing (:where): the theme's win.
    const after = style.slice(`${builtInCss}\nh2 { letter-spacing: 0.02em; }`.length);
    expect(after.split('\n').filter((line) => /\{/.test(line) && !line.startsWith(':where('))).toEqual([]);
  });

  it('ships an example, found by name, that restyles the cover and marks the footer OFFICIAL', async () => {
    const example = await findTheme('example', await tempDir());
    expect(example).toBe(join(SHIPPED_THEMES, 'example'));
    const built = await render();
    const themed = await render(example);
    expect(themed.margins.header).toBe(built.margins.header);
    expect(themed.margins.footer).toContain('OFFICIAL');
    expect(built.margins.footer).not.toContain('OFFICIAL');
    expect(themed.html.match(STYLE)?.[1]).toContain(await readFile(join(example, 'theme.css'), 'utf8'));
  });

  it('is a usage error when the folder is missing or a file overrides nothing', async () => {
    const missing = await csi(['build-report', SEED_DATA, '--format', 'html', '--out', await tempDir(), '--theme', '/nonexistent/theme']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^csi: theme folder "\/nonexistent\/theme" cannot be read/);

    const typo = await theme({ 'reprot.css': 'body {}' });
    const { code, stderr } = await csi(['build-report', SEED_DATA, '--format', 'html', '--out', await tempDir(), '--theme', typo]);
    expect(code).toBe(2);
    expect(stderr).toContain('reprot.css does not override anything (did you mean report.css?)');
  });
});
