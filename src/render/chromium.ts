import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { trace } from '../trace.js';

/**
 * Starting Chromium without puppeteer. csi starts the browser as the very first
 * thing a PDF build does, so that it boots on the other core while node loads its
 * modules and renders the report; puppeteer (slow to load) connects to it later
 * over the DevTools pipe. Nothing here loads puppeteer.
 */

/**
 * The browser's network is closed below puppeteer's request interception too:
 * every host name (IP addresses and localhost included) resolves to nothing, and
 * anything that still tries to connect is sent to a proxy that cannot be reached.
 */
export const NETWORK_OFF_ARGS = [
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--proxy-server=http://0.0.0.0:1',
  '--proxy-bypass-list=<-loopback>',
  '--no-pings',
];

/**
 * Flags for a closed network and for running as root in CI containers. `sealed`
 * (the default, and always so for printing) also cuts the browser off from every
 * host; tests that drive a browser against a local server pass `false`.
 */
export function chromiumArgs(isRoot: boolean, sealed = true): string[] {
  return [
    ...(isRoot ? ['--no-sandbox'] : []),
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-default-apps',
    '--disable-extensions',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--font-render-hinting=none',
    ...(sealed ? NETWORK_OFF_ARGS : []),
  ];
}

/**
 * What `puppeteer.launch({ headless: 'shell' })` would pass (puppeteer-core 24's
 * `defaultArgs`, without the user data dir and start page, which csi adds itself).
 * A test compares this list with puppeteer's own, so an upgrade cannot drift from it.
 */
export const PUPPETEER_SHELL_ARGS = [
  '--allow-pre-commit-input',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-breakpad',
  '--disable-client-side-phishing-detection',
  '--disable-component-extensions-with-background-pages',
  '--disable-crash-reporter',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-hang-monitor',
  '--disable-infobars',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--disable-search-engine-choice-screen',
  '--disable-sync',
  '--enable-automation',
  '--export-tagged-pdf',
  '--force-color-profile=srgb',
  '--generate-pdf-document-outline',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
  '--disable-features=Translate,AcceptCHFrame,MediaRouter,OptimizationHints,WebUIReloadButton,ProcessPerSiteUpToMainFrameThreshold,IsolateSandboxedIframes',
  '--enable-features=PdfOopif',
  '--headless',
  '--hide-scrollbars',
  '--mute-audio',
  '--disable-extensions',
];

/** A Chromium process csi started, with the pipe puppeteer talks to it over. */
export interface RunningChromium {
  executablePath: string;
  /** Where csi writes DevTools messages (the browser's fd 3). */
  input: Writable;
  /** Where the browser writes its replies (its fd 4). */
  output: Readable;
  /** The browser's own messages, for --debug. */
  stderr: () => string;
  /** Set once the process has ended (or could not be started). */
  exited: Promise<void>;
  /** Ends the browser at once, waits for it to go, and removes its profile folder. Safe to call twice. */
  stop: () => Promise<void>;
  /** Kills the browser without waiting (a deadline passed). */
  kill: () => void;
  /** Why the process could not be started, if it could not. */
  failure: () => Error | undefined;
}

/**
 * Starts Chromium headless with a fresh profile and the DevTools pipe, sealed as
 * `chromiumArgs` says. Returns at once; puppeteer connects when it is loaded.
 */
export function startChromium(executablePath: string, isRoot = process.getuid?.() === 0): RunningChromium {
  const profile = mkdtempSync(join(tmpdir(), 'csi-chromium-'));
  const args = [
    ...new Set([...PUPPETEER_SHELL_ARGS, ...chromiumArgs(isRoot)]),
    '--remote-debugging-pipe',
    `--user-data-dir=${profile}`,
    'about:blank',
  ];
  const child: ChildProcess = spawn(executablePath, args, {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    // Its own process group on POSIX, so that a kill reaches every child it started.
    detached: process.platform !== 'win32',
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 64 * 1024) stderr += chunk;
  });
  let failure: Error | undefined;
  let ended = false;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      failure = error;
      ended = true;
      resolve();
    });
    child.once('exit', () => {
      ended = true;
      resolve();
    });
  });
  // The browser must never outlive csi: not when csi ends on an error, nor on Ctrl-C
  // (the browser has its own process group, so the terminal's signal does not reach it).
  const killOnExit = () => kill();
  const signals: [NodeJS.Signals, number][] = [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]];
  const onSignal = (signal: NodeJS.Signals) => {
    kill();
    rmSync(profile, { recursive: true, force: true });
    process.exit(signals.find(([s]) => s === signal)?.[1] ?? 1);
  };
  process.once('exit', killOnExit);
  for (const [signal] of signals) process.once(signal, onSignal);
  const kill = () => {
    if (ended || child.pid === undefined) return;
    try {
      if (process.platform === 'win32') child.kill('SIGKILL');
      else process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      kill();
      await exited;
      trace('browser stopped');
      process.off('exit', killOnExit);
      for (const [signal] of signals) process.off(signal, onSignal);
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    })());
  const [input, output] = [child.stdio[3] as Writable, child.stdio[4] as Readable];
  input.on('error', () => undefined); // a write to a browser that has gone; the connection reports it
  return {
    executablePath,
    input,
    output,
    stderr: () => stderr,
    exited,
    stop,
    kill,
    failure: () => failure,
  };
}
