// Command examples as the docs and --help show them, and what they are expected to print.
//
// In docs/, an example is a line starting `$ ` in a ```console block; the lines after it,
// up to the next `$ ` line or the end of the block, are what it prints (stdout and stderr
// as a terminal shows them). `…` stands for any text within a line, and a line of `…`
// alone for any number of lines. Between blocks, an HTML comment directs the test:
//   <!-- docs-test: empty -->        the page starts in an empty folder, not the example plan
//   <!-- docs-test: run CMD -->      a step the reader does by hand (an edit), run before the next example
//   <!-- docs-test: skip REASON -->  the next console block is not run (the reason is reported)

/** One command example and what the docs show it printing (undefined: nothing shown). */
export interface Example {
  command: string;
  expected?: string;
  /** A step the page tells the reader to do by hand, run as the page says. */
  hidden?: boolean;
  line: number;
}

export interface DocPage {
  examples: Example[];
  startEmpty: boolean;
  skipped: { line: number; reason: string }[];
}

const DIRECTIVE = /^<!-- docs-test: (empty|run|skip)\b ?(.*?) ?-->$/;

/** The examples of one Markdown page, in order. */
export function pageExamples(markdown: string): DocPage {
  const page: DocPage = { examples: [], startEmpty: false, skipped: [] };
  const lines = markdown.split('\n');
  let fence: { marker: string; console: boolean } | undefined;
  let skipNext: string | undefined;
  let skipping = false;
  let current: { example: Example; output: string[] } | undefined;
  const finish = () => {
    if (!current) return;
    const output = current.output.join('\n').trimEnd();
    page.examples.push(output ? { ...current.example, expected: output } : current.example);
    current = undefined;
  };
  lines.forEach((text, index) => {
    const line = index + 1;
    if (!fence) {
      const directive = DIRECTIVE.exec(text.trim());
      if (directive?.[1] === 'empty') page.startEmpty = true;
      if (directive?.[1] === 'run') page.examples.push({ command: directive[2]!, hidden: true, line });
      if (directive?.[1] === 'skip') skipNext = directive[2] || 'no reason given';
      const open = /^(```+)(\w*)\s*$/.exec(text);
      if (!open) return;
      fence = { marker: open[1]!, console: open[2] === 'console' };
      if (fence.console) {
        skipping = skipNext !== undefined;
        if (skipping) page.skipped.push({ line, reason: skipNext! });
        skipNext = undefined;
      }
      return;
    }
    if (text.trim() === fence.marker) {
      finish();
      fence = undefined;
      return;
    }
    if (!fence.console || skipping) return;
    if (text.startsWith('$ ')) {
      finish();
      current = { example: { command: text.slice(2).trim(), line }, output: [] };
    } else if (current) {
      current.output.push(text);
    }
  });
  finish();
  return page;
}

/** The examples in one --help text: the `  $ ` lines after "Examples", notes (`# …`) dropped. */
export function helpExamples(help: string): string[] {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => /^Examples\b.*:$/.test(l));
  if (start < 0) return [];
  const examples: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  $ ')) break;
    examples.push(line.slice(4).replace(/\s+# .*$/, '').trim());
  }
  return examples;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `actual` is what `expected` shows, `…` standing for any text (a line of it, for any lines). */
export function matchesShown(actual: string, expected: string): boolean {
  const pattern = expected
    .split('\n')
    .map((line) => (line.trim() === '…' ? '(?:[^\\n]*\\n)*?' : `${line.trimEnd().split('…').map(escape).join('[^\\n]*?')}[ \\t]*\\n`))
    .join('');
  const normal = `${actual.split('\n').map((l) => l.trimEnd()).join('\n').trimEnd()}\n`;
  return new RegExp(`^${pattern}$`).test(normal);
}

/** A commit hash as git abbreviates it: 7 to 40 hex digits, at least one a letter (so no year or count). */
const HASH = /\b(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b/g;

/**
 * What a page should show for `printed`, where it showed `shown`: each shown line whose `…`
 * still matches is kept as it was; where the shown output hid something with `…`, a commit
 * hash in a new line is hidden too. Always something `matchesShown` accepts for `printed`.
 */
export function reshown(printed: string, shown: string): string {
  const oldLines = shown.split('\n');
  const hides = oldLines.some((l) => l.includes('…'));
  const newLines = printed.split('\n').map((l) => l.trimEnd());
  while (newLines.length > 0 && newLines[newLines.length - 1] === '') newLines.pop();
  const lines = newLines.map((line, i) => {
    const old = oldLines[i];
    if (old !== undefined && old.includes('…') && matchesShown(line, old)) return old;
    return hides ? line.replace(HASH, '…') : line;
  });
  const result = lines.join('\n');
  return matchesShown(printed, result) ? result : newLines.join('\n');
}

/** `markdown` with the shown output of the examples on the given lines replaced (the `$ ` line's number, 1-based). */
export function withShown(markdown: string, updates: { line: number; shown: string }[]): string {
  const lines = markdown.split('\n');
  for (const { line, shown } of [...updates].sort((a, b) => b.line - a.line)) {
    let end = line;
    while (end < lines.length && !lines[end]!.startsWith('$ ') && !/^```+\s*$/.test(lines[end]!)) end++;
    // Blank lines before the next example are the page's spacing, not output: keep them.
    let blanks = 0;
    while (end - blanks > line && lines[end - blanks - 1]!.trim() === '') blanks++;
    lines.splice(line, end - blanks - line, ...(shown ? shown.split('\n') : []));
  }
  return lines.join('\n');
}
