// A stand-in for the browser in tests, so that they can make it crash or hang at a known
// moment rather than guess it. Run as `node browser-proxy.mjs BROWSER CUE RECORD ARGS...`
// (test/helpers/browser.ts writes a script that does): it starts the real BROWSER with
// ARGS, passes the DevTools pipe (fd 3 in, fd 4 out) through, and appends to RECORD one
// JSON line with its own pid, the browser's and the arguments. When csi asks for the
// first print (Page.printToPDF), it appends {"cue":CUE} and then, by CUE:
//   none   passes the print on, as a browser would;
//   crash  kills the browser and itself, as a crash would;
//   hang   passes nothing more on: the browser stays alive but never answers.
// crash-start and hang-start do the same while the browser starts instead: when puppeteer
// asks it to attach to the targets of its first tab (Target.setAutoAttach with a sessionId).
import { spawn } from 'node:child_process';
import { appendFileSync, createReadStream, createWriteStream } from 'node:fs';

const [browser, cue, record, ...args] = process.argv.slice(2);
const child = spawn(browser, args, { stdio: ['ignore', 'inherit', 'inherit', 'pipe', 'pipe'] });
appendFileSync(record, `${JSON.stringify({ proxy: process.pid, browser: child.pid, args })}\n`);
child.on('exit', () => process.kill(process.pid, 'SIGKILL'));

const fromCsi = createReadStream('', { fd: 3 });
const toCsi = createWriteStream('', { fd: 4 });
child.stdio[4].pipe(toCsi);
child.stdio[3].on('error', () => undefined);

let pending = Buffer.alloc(0);
let cued = false;
fromCsi.on('data', (chunk) => {
  if (cued && cue.startsWith('hang')) return;
  pending = Buffer.concat([pending, chunk]);
  for (let end = pending.indexOf(0); end !== -1; end = pending.indexOf(0)) {
    const message = pending.subarray(0, end + 1);
    pending = pending.subarray(end + 1);
    const text = message.toString();
    const cueNow = cue.endsWith('-start') ? /"method":"Target\.setAutoAttach".*"sessionId"/.test(text) : text.includes('"method":"Page.printToPDF"');
    if (!cued && cueNow) {
      cued = true;
      appendFileSync(record, `${JSON.stringify({ cue })}\n`);
      if (cue.startsWith('crash')) child.kill('SIGKILL'); // and so this process too
      if (cue !== 'none') return;
    }
    child.stdio[3].write(message);
  }
});
