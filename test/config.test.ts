import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, resolveSettings, SHIPPED_THEMES } from '../src/config.js';
import { contrastRatio } from '../src/view/branding.js';
import { csi } from './helpers/cli.js';
import { seedCopy, tempDir } from './helpers/data.js';

/** A project folder: the seed data in data/, and csi.config.yaml with `config` as its text. */
async function project(config: string): Promise<string> {
  const dir = await tempDir('csi-project-');
  const data = await seedCopy();
  execFileSync('cp', ['-r', data, join(dir, 'data')]);
  await writeFile(join(dir, 'csi.config.yaml'), config);
  return dir;
}

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z/C/HgAGgwJ/lK3Q6wAAAABJRU5ErkJggg==', 'base64');

describe('settings', () => {
  it('merge defaults, then the config file, then the environment, then flags', async () => {
    const dir = await project('out: from-config\nformats: [html]\ntheme: example\n');
    const none = await resolveSettings({}, {}, dir);
    expect(none).toMatchObject({
      configFile: join(dir, 'csi.config.yaml'),
      dataDir: join(dir, 'data'),
      outDir: join(dir, 'from-config'),
      formats: ['html'],
      theme: join(SHIPPED_THEMES, 'example'),
      sources: { dataDir: 'default', outDir: 'config', formats: 'config', theme: 'config' },
    });
    const env = { CSI_OUT: 'from-env', CSI_FORMAT: 'pdf', CSI_DATA: 'plans' };
    expect(await resolveSettings({}, env, dir)).toMatchObject({
      dataDir: join(dir, 'plans'),
      outDir: join(dir, 'from-env'),
      formats: ['pdf'],
      sources: { dataDir: 'env', outDir: 'env', formats: 'env', theme: 'config' },
    });
    expect(await resolveSettings({ out: 'from-flag', format: 'all' }, env, dir)).toMatchObject({
      outDir: join(dir, 'from-flag'),
      formats: ['html', 'pdf'],
      sources: { outDir: 'flag', formats: 'flag' },
    });
  });

  it('read paths in the config file from its own folder, wherever csi runs', async () => {
    const dir = await project('data: data\nout: site\n');
    const elsewhere = await tempDir();
    const settings = await resolveSettings({ config: join(dir, 'csi.config.yaml') }, {}, elsewhere);
    expect(settings).toMatchObject({ dataDir: join(dir, 'data'), outDir: join(dir, 'site') });
    expect(await resolveSettings({}, { CSI_CONFIG: join(dir, 'csi.config.yaml') }, elsewhere)).toMatchObject({ outDir: join(dir, 'site') });
  });

  it('take the defaults from a config file that is all comments', async () => {
    const dir = await project('# nothing set yet\n');
    expect(await resolveSettings({}, {}, dir)).toMatchObject({ outDir: join(dir, 'out'), sources: { outDir: 'default' } });
  });

  it('build from the config: a project folder with csi.config.yaml needs no arguments', async () => {
    const dir = await project('council: Barnsley Metropolitan Borough Council\nout: site\nformats: [html]\n');
    const { code, stdout } = await csi(['build-report'], {}, dir);
    expect(code).toBe(0);
    expect(stdout).toBe(`wrote site/report.html (html, ${(await readFile(join(dir, 'site/report.html'))).length} bytes)\n`);
  });

  it('say where each came from with --verbose, and nothing but errors with --quiet', async () => {
    const dir = await project('formats: [html]\n');
    const verbose = await csi(['--verbose', 'build-report', '--out', 'elsewhere'], { CSI_DATA: 'data' }, dir);
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toContain('config: csi.config.yaml (default)\n');
    expect(verbose.stderr).toContain('data: data (env)\n');
    expect(verbose.stderr).toContain('out: elsewhere (flag)\n');
    expect(verbose.stderr).toContain('formats: html (config)\n');
    // Then each stage of the build as it ends, with the time it took.
    const stages = [...verbose.stderr.matchAll(/^(\w+) \S+: \d+ ms$/gm)].map((m) => m[1]);
    expect(stages).toEqual(['read', 'check', 'provenance', 'model', 'withhold', 'view', 'html', 'write']);
    const quiet = await csi(['--quiet', 'build-report'], {}, dir);
    expect(quiet).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await csi(['--quiet', '--verbose', 'build-report'], {}, dir)).code).toBe(2);
  });

  it('reject an unknown CSI_FORMAT as wrong usage', async () => {
    const dir = await project('');
    const { code, stderr } = await csi(['build-report'], { CSI_FORMAT: 'docx' }, dir);
    expect(code).toBe(2);
    expect(stderr).toBe('csi: CSI_FORMAT is "docx"; it must be html, pdf or all\n');
  });
});

describe('csi.config.yaml problems', () => {
  it('are positioned like data problems, with a hint for a misspelt key', async () => {
    const dir = await project('council: Barnsley Metropolitan Borough Council\ncolors:\n  accent: "#123456"\nformats: [html, docx]\n');
    const { code, stderr, stdout } = await csi(['build-report', '--json'], {}, dir);
    expect(code).toBe(1);
    // With the line it points into, as data problems are.
    expect(stderr).toContain('csi.config.yaml:2:1  the key "colors" is not one csi knows\n  2 | colors:\n    | ^\n    hint: did you mean "colours"?\n');
    expect(stderr).toContain('csi.config.yaml:4:17  the text "docx" is not allowed\n  4 | formats: [html, docx]\n    |                 ^\n    hint: use one of: html, pdf\n');
    const { ok, errors } = JSON.parse(stdout);
    expect(ok).toBe(false);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'csi.config.yaml', line: 2, column: 1, code: 'UNKNOWN_KEY', path: 'colors' }),
        expect.objectContaining({ file: 'csi.config.yaml', line: 4, column: 17, code: 'NOT_ALLOWED', path: 'formats.1' }),
      ]),
    );
  });

  it('include a colour that would make text unreadable, and a logo that cannot be read', async () => {
    const dir = await project('colours:\n  accent: "#ffcc00"\n  tint: "#eeeeee"\nlogo: branding/logo.png\n');
    const { code, stderr } = await csi(['build-report'], {}, dir);
    expect(code).toBe(1);
    expect(stderr).toContain('csi.config.yaml:2:11  "accent" #ffcc00 has a contrast of 1.5:1 on white; text needs at least 4.5:1\n');
    expect(stderr).not.toContain('"tint"');
    expect(stderr).toContain('csi.config.yaml:4:7  logo "branding/logo.png" cannot be read\n');
  });

  it('include a report.yaml for another council than the config names, pointing into report.yaml', async () => {
    const dir = await project('council: Example Borough Council\n');
    const line = (await readFile(join(dir, 'data/report.yaml'), 'utf8')).split('\n').findIndex((l) => l.startsWith('council:')) + 1;
    const { code, stderr } = await csi(['build-report', '--format', 'html'], {}, dir);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `data/report.yaml:${line}:10  the council "Barnsley Metropolitan Borough Council" is not the one csi.config.yaml names ("Example Borough Council")\n`,
    );
  });
});

describe('branding', () => {
  it('embeds the logo as a data: URI and sets the colours after the stylesheet', async () => {
    const dir = await project('logo: logo.png\ncolours:\n  accent: "#7a1f5c"\nformats: [html]\n');
    await writeFile(join(dir, 'logo.png'), PNG);
    expect((await csi(['build-report'], {}, dir)).code).toBe(0);
    const html = await readFile(join(dir, 'out/report.html'), 'utf8');
    expect(html).toContain(`<img class="cover-logo" src="data:image/png;base64,${PNG.toString('base64').replaceAll('=', '&#x3D;')}" alt="">`);
    expect(html).toMatch(/:root \{\n {2}--accent: #7a1f5c;\n\}\n\n<\/style>/);
  });

  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#fff', '#fff')).toBe(1);
  });
});

describe('the config file\'s JSON Schema', () => {
  it('is shipped up to date for editors', async () => {
    const shipped = await readFile(new URL('../schemas/csi.config.schema.json', import.meta.url), 'utf8');
    expect(shipped, 'run npx --no-install csi schema').toBe(configJsonSchema());
  });
});
