import { Chalk } from 'chalk';
import { formatProblem } from '../problem-text.js';
import { CsiError, InvalidDataError } from '../errors.js';
import { escapeXml } from '../text/escape.js';



/** The report page's own policy: no scripts, nothing from outside. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

/** The preview page may run its one script and listen for rebuilds, nothing else. */
export const PREVIEW_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; frame-src 'self'; style-src 'unsafe-inline'";

/**
 * The page the browser opens: a status line and the report in a frame. The
 * report keeps its strict policy; only this page runs a script, which reloads
 * the frame when the server says the report was rebuilt.
 */
export function previewPage(version: number, summary: string): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>csi preview</title>
<style>
html, body { margin: 0; height: 100%; }
body { display: flex; flex-direction: column; }
#status { margin: 0; font: 13px/1.5 'Liberation Sans', Arial, sans-serif; padding: 3px 10px; background: #1d4f76; color: #fff; }
#report { flex: 1; border: 0; width: 100%; }
</style>
</head>
<body>
<p id="status" role="status">${escapeXml(summary)}</p>
<iframe id="report" title="The report" src="/report.html" data-version="${version}"></iframe>
<script src="/preview.js"></script>
</body>
</html>
`;
}

/** Reloads the framed report whenever the server announces a new build. */
export const PREVIEW_SCRIPT = `const frame = document.getElementById('report');
const status = document.getElementById('status');
let shown = Number(frame.dataset.version);
const events = new EventSource('/events');
events.addEventListener('build', (event) => {
  const build = JSON.parse(event.data);
  status.textContent = build.summary;
  if (build.version !== shown) {
    shown = build.version;
    frame.contentWindow.location.reload();
  }
});
events.addEventListener('error', () => {
  status.textContent = 'csi preview has stopped: start it again to carry on';
});
frame.addEventListener('load', () => {
  document.title = (frame.contentDocument && frame.contentDocument.title ? frame.contentDocument.title + ' · ' : '') + 'csi preview';
});
`;

/** One line for the status bar and the terminal: how many problems stop the build. */
export function failureSummary(error: unknown): string {
  if (error instanceof InvalidDataError) {
    const n = error.problems.length;
    return `${n} problem${n === 1 ? '' : 's'} in the data: fix ${n === 1 ? 'it' : 'them'} and the report comes back`;
  }
  return `the report cannot be built: ${error instanceof Error ? error.message : String(error)}`;
}

/** Shown in place of the report while it cannot be built: every problem, as the terminal shows it. */
export function problemsPage(error: unknown, cwd: string): string {
  const plain = new Chalk({ level: 0 });
  const items =
    error instanceof InvalidDataError
      ? error.problems.map((p) => formatProblem(p, error.dataDir, cwd, plain))
      : [`${error instanceof Error ? error.message : String(error)}${error instanceof CsiError && error.hint ? `\n    hint: ${error.hint}` : ''}\n`];
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<title>Problems in the data · csi preview</title>
<style>
body { font: 12pt/1.45 'Liberation Sans', Arial, sans-serif; color: #1a1a1a; max-width: 56rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 15pt; color: #8a1c1c; }
li { margin: 0 0 0.6rem; }
pre { white-space: pre-wrap; margin: 0; font: 11pt/1.4 'Liberation Mono', monospace; }
</style>
</head>
<body>
<main>
<h1>${escapeXml(failureSummary(error))}</h1>
<ol>
${items.map((text) => `<li><pre>${escapeXml(text.trimEnd())}</pre></li>`).join('\n')}
</ol>
<p>This page updates by itself when you save a fix.</p>
</main>
</body>
</html>
`;
}
