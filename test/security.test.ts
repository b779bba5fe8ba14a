import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownBlock, markdownInline } from '../src/text/markdown.js';
import { BUILT_IN_TEMPLATES } from '../src/view/html.js';
import { launchPrinter } from '../src/pdf/printer.js';
import { tempDir } from './helpers/data.js';
import { BROWSER, describeWithBrowser } from './helpers/environment.js';
import { csi } from './helpers/cli.js';

const ATTACK = new URL('./fixtures/attack/', import.meta.url).pathname;
const noAppendices = () => undefined;
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** An HTTP server on 127.0.0.1 that records every connection and request made to it. */
async function trapServer(token: string) {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    response.end(`served ${token}`);
  });
  server.on('connection', () => seen.push('connection'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A file on the disk whose contents must never reach an output. */
async function secretFile() {
  const secret = `csi-secret-${randomBytes(8).toString('hex')}`;
  const path = join(await tempDir('csi-secret-'), 'secret.txt');
  await writeFile(path, `${secret}\n`);
  return { secret, path };
}

/** Tags, attributes and URLs that must never come out of data. */
function hostileMarkup(html: string): string[] {
  const found: string[] = [];
  for (const [tag] of html.matchAll(/<[a-z][^>]*>/gi)) {
    // The pictures csi draws itself (charts, the framework diagram): their data text is escaped.
    if (/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="(fw-diagram|chart [a-z-]+)" viewBox="[\d. ]+" role="img"/.test(tag)) continue;
    if (/^<(script|iframe|object|embed|link|meta|base|style|svg|math|form|input|button|video|audio|source|picture|frame)\b/i.test(tag)) found.push(tag);
    if (/\son[a-z]+\s*=/i.test(tag) || /\s(style|srcset|background|poster|formaction|action|xlink:href)\s*=/i.test(tag)) found.push(tag);
    for (const [, url] of tag.matchAll(/\s(?:src|href)\s*=\s*"([^"]*)"/gi)) {
      const safe = /^<img/i.test(tag) ? /^data:image\/(png|jpeg|gif|webp);base64,/i.test(url!) : /^(https?:\/\/|mailto:|tel:|#)/i.test(url!);
      if (!safe) found.push(tag);
    }
  }
  return found;
}

describe('Markdown and HTML from data', () => {
  const attacks = [
    '<script>alert(1)</script>',
    '<img src=x onerror="alert(1)">',
    '[link](javascript:alert(1)) <a href="JaVaScRiPt:alert(1)">raw</a> <a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="file:///etc/passwd">file</a> <a href="/etc/passwd">path</a> <a href="//evil.example/">protocol-relative</a>',
    '<a href="data:text/html,<script>alert(1)</script>">data page</a>',
    '<img src="file:///etc/passwd"> <img src="http://127.0.0.1:9/x.png"> <img src="//127.0.0.1:9/x.png"> ![md](http://127.0.0.1:9/md.png)',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="> <img srcset="http://127.0.0.1:9/a.png 1x" src="' + PNG + '">',
    '<iframe src="file:///etc/passwd"></iframe> <iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="file:///etc/passwd"></object> <embed src="http://127.0.0.1:9/e">',
    '<svg><image href="http://127.0.0.1:9/s.png"/></svg> <math><a xlink:href="javascript:alert(1)">m</a></math>',
    '<p style="background:url(http://127.0.0.1:9/bg.png)">styled</p> <style>@import url(http://127.0.0.1:9/i.css)</style>',
    '<link rel="stylesheet" href="http://127.0.0.1:9/l.css"> <meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/"> <base href="http://127.0.0.1:9/">',
    '<video poster="http://127.0.0.1:9/p.png"></video> <audio src="http://127.0.0.1:9/a"></audio> <input type="image" src="http://127.0.0.1:9/i">',
    '<form action="http://127.0.0.1:9/f"><button formaction="http://127.0.0.1:9/b">go</button></form> <table background="http://127.0.0.1:9/t.png"><tr><td>x</td></tr></table>',
  ];

  it.each(attacks)('leaves nothing hostile of %s', (attack) => {
    for (const html of [markdownBlock(attack, noAppendices), markdownInline(attack, noAppendices)]) {
      expect(hostileMarkup(html)).toEqual([]);
      expect(html).not.toMatch(/alert|127\.0\.0\.1|etc\/passwd/);
    }
  });

  it('keeps embedded raster images, web, e-mail and phone links, and links within the report', () => {
    const html = markdownBlock(
      `<img src="${PNG}" alt="chart"> [web](https://example.org/) [mail](mailto:a@example.org) [call](tel:01226775794) [[appendix:chronology]]`,
      (key) => (key === 'chronology' ? { number: 1, anchor: 'appendix-chronology' } : undefined),
    );
    expect(html).toContain(`<img src="${PNG}" alt="chart" />`);
    expect(html).toContain('<a href="https://example.org/">web</a>');
    expect(html).toContain('<a href="mailto:a@example.org">mail</a>');
    expect(html).toContain('<a href="tel:01226775794">call</a>');
    expect(html).toContain('<a href="#appendix-chronology">Appendix 1</a>');
  });

  it('drops an image from the web or the disk, keeping the text around it; a link that loses its target keeps its words', () => {
    expect(markdownInline('before ![chart](https://example.org/c.png) after', noAppendices)).toBe('before  after');
    expect(markdownInline('see [the file](file:///etc/passwd)', noAppendices)).toBe('see the file');
  });
});

describe('the templates', () => {
  async function templateSources(): Promise<Map<string, string>> {
    const sources = new Map<string, string>();
    for (const dir of ['', 'partials']) {
      for (const name of (await readdir(join(BUILT_IN_TEMPLATES, dir))).filter((n) => n.endsWith('.hbs'))) {
        sources.set(join(dir, name), await readFile(join(BUILT_IN_TEMPLATES, dir, name), 'utf8'));
      }
    }
    return sources;
  }

  it('print unescaped only the stylesheet and HTML the view has sanitised or escaped', async () => {
    // The view builds these with markdown.ts (sanitised) or escapeXml (diagram, charts, URLs); everything else is escaped.
    const sanitised = new Set(['css', 'html', 'diagram', 'chart', 'urlHtml', 'roleHtml', 'summaryHtml']);
    const raw: string[] = [];
    for (const [name, source] of await templateSources()) {
      for (const [, field] of source.matchAll(/\{\{\{\s*([^}\s]+)\s*\}\}\}/g)) if (!sanitised.has(field!)) raw.push(`${name}: ${field}`);
    }
    expect(raw).toEqual([]);
  });

  it('put a Content-Security-Policy in the page that allows no request but data: images and fonts', async () => {
    const report = (await templateSources()).get('report.hbs')!;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(report)?.[1] ?? '';
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('img-src')).toEqual(['data:']);
    expect(directives.get('font-src')).toEqual(['data:']);
    expect(directives.get('style-src')).toEqual(["'unsafe-inline'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.has('script-src')).toBe(false);
  });
});

describeWithBrowser('the attack corpus, built through csi', () => {
  let server: Awaited<ReturnType<typeof trapServer>>;
  let secret: Awaited<ReturnType<typeof secretFile>>;
  let out: string;
  let result: Awaited<ReturnType<typeof csi>>;
  let html: string;
  let pdfText: string;

  beforeAll(async () => {
    secret = await secretFile();
    server = await trapServer(secret.secret);
    const data = await tempDir('csi-attack-');
    for (const name of await readdir(ATTACK)) {
      const text = await readFile(join(ATTACK, name), 'utf8');
      await writeFile(join(data, name), text.replaceAll('__SERVER__', server.host).replaceAll('__SECRET__', secret.path));
    }
    out = join(await tempDir(), 'out');
    result = await csi(['build-report', data, '--out', out, '--json']);
    html = await readFile(join(out, 'report.html'), 'utf8');
    pdfText = execFileSync('pdftotext', [join(out, 'report.pdf'), '-'], { encoding: 'utf8' });
  });
  afterAll(() => server?.close());

  it('builds the report', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('lets no request, not even a connection, reach the server on 127.0.0.1', () => {
    expect(server.seen).toEqual([]);
  });

  it('writes HTML with no script, handler, frame, object, style or URL but the web, e-mail, phone and data: images', () => {
    const body = html.slice(html.indexOf('<body'));
    expect(hostileMarkup(body)).toEqual([]);
    expect(html.match(/<script/gi)).toBeNull();
    expect(html.match(/<style/gi)).toHaveLength(1); // the stylesheet csi ships
    expect(html).not.toMatch(/javascript:|file:/i);
  });

  it('lets no local file, server reply or script result into the HTML or the PDF', async () => {
    const passwd = await readFile('/etc/passwd', 'utf8').then((t) => t.split('\n')[0]!, () => 'root:x:0:0');
    for (const text of [html, pdfText]) {
      expect(text).not.toContain(secret.secret);
      expect(text).not.toContain(passwd);
      expect(text).not.toContain('SCRIPT RAN');
    }
    expect(pdfText).toContain('What stays');
  });

  it('embeds only the image the data carried, and no link to the disk or script in the PDF', async () => {
    const list = execFileSync('pdfimages', ['-list', join(out, 'report.pdf')], { encoding: 'utf8' });
    const images = list.trim().split('\n').slice(2).filter((row) => row.trim().split(/\s+/)[2] === 'image');
    expect(images).toHaveLength(1);
    const raw = (await readFile(join(out, 'report.pdf'))).toString('latin1');
    expect(raw).not.toMatch(/\/URI\s*\((file|javascript):/i);
    expect(raw).not.toMatch(/\/(JavaScript|JS|Launch)\b/);
    expect(raw).toContain(`/URI (http://${server.host}/link-only)`); // a link stays a link: never fetched
  });
});

describeWithBrowser('the sealed renderer, given hostile HTML with no sanitiser and no CSP', () => {
  it('runs no script and loads nothing from the network or the disk', async () => {
    const secret = await secretFile();
    const server = await trapServer(secret.secret);
    const url = (path: string) => `http://${server.host}/${path}`;
    const html = `<!DOCTYPE html><html><head>
      <link rel="stylesheet" href="${url('link.css')}"><link rel="preconnect" href="http://${server.host}">
      <style>@import url("${url('import.css')}"); @font-face { font-family: Leak; src: url(${url('font.woff')}) }
        body { font-family: Leak; background: url(${url('bg.png')}) } p::after { content: url(file://${secret.path}) }</style>
      <meta http-equiv="refresh" content="0;url=${url('refresh')}"></head><body>
      <p id="p">sealed page</p><script>document.getElementById('p').textContent = 'SCRIPT RAN'</script>
      <img src="${url('img.png')}"><img srcset="${url('srcset.png')} 1x"><img src="file://${secret.path}">
      <iframe src="file://${secret.path}"></iframe><iframe src="${url('frame')}"></iframe>
      <object data="file://${secret.path}" type="text/plain"></object><embed src="${url('embed')}">
      <svg width="10" height="10"><image href="${url('svg.png')}" width="10" height="10"/></svg>
      <video poster="${url('poster.png')}"></video></body></html>`;
    const printer = await launchPrinter({ executablePath: BROWSER! });
    let pdf: Uint8Array;
    try {
      pdf = await (await printer.load({ html, headerTemplate: '<span></span>', footerTemplate: '<span></span>' })).print();
    } finally {
      await printer.close();
      await server.close();
    }
    const path = join(await tempDir(), 'sealed.pdf');
    await writeFile(path, pdf);
    const text = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
    expect(text).toContain('sealed page');
    expect(text).not.toContain('SCRIPT RAN');
    expect(text).not.toContain(secret.secret);
    expect(text).not.toContain('served');
    expect(server.seen).toEqual([]);
  });
});
