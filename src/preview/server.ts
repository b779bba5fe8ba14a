import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { watch } from 'chokidar';
import type { FSWatcher } from 'chokidar';
import { configFileFor, resolveSettings } from '../config.js';
import type { SettingFlags, Settings } from '../config.js';
import { CsiError } from '../errors.js';
import { renderReport } from '../pipeline.js';
import { failureSummary, PREVIEW_CSP, PREVIEW_SCRIPT, previewPage, problemsPage, REPORT_CSP } from './pages.js';

/** The port csi preview listens on unless told otherwise. */
import { DEFAULT_PORT } from './port.js';

export { DEFAULT_PORT };

/** Saves arrive as bursts of events (write, rename, chmod): wait this long for the burst to end. */
const SETTLE_MS = 40;

export interface PreviewOptions {
  /** Same settings as build-report: data dir, config file, theme. */
  flags: SettingFlags;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** 0 picks a free port. Default 4177. */
  port?: number | undefined;
  /** Told after every build, good or not. */
  onBuild?: ((build: BuildOutcome) => void) | undefined;
  /** Told the settings each build reads (the same route as every command). */
  onSettings?: ((settings: Settings) => void) | undefined;
}

/** What one rebuild came to. */
export interface BuildOutcome {
  version: number;
  ok: boolean;
  /** The error that stopped the build, when not ok. */
  error?: unknown;
  ms: number;
  summary: string;
}

export interface Preview {
  /** http://127.0.0.1:PORT/ */
  url: string;
  /** The most recent build. */
  latest(): BuildOutcome;
  /** Stops watching and serving; resolves when everything is closed. */
  close(): Promise<void>;
}

/** Ignore editors' swap and backup files, and hidden folders, inside what is watched. */
function isNoise(path: string): boolean {
  const name = basename(path);
  return name.startsWith('.') || name.endsWith('~') || /\.(swp|swx|tmp)$/.test(name) || name === 'node_modules';
}

/**
 * A data folder that is not there is a mistake in how csi was asked, not a build that
 * failed: said once, and nothing is served (a folder that goes later is a failed build).
 */
async function requireDataDir(flags: PreviewOptions['flags'], env: PreviewOptions['env'], cwd: string): Promise<void> {
  const { dataDir } = await resolveSettings(flags, env, cwd);
  await readdir(dataDir).catch((cause: unknown) => {
    throw new CsiError(`data directory "${dataDir}" cannot be read`, {
      code: 'NO_DATA_DIR',
      kind: 'usage',
      cause,
      hint: 'give the folder that holds report.yaml, e.g. csi preview data',
    });
  });
}

/**
 * Serves the report on 127.0.0.1 and rebuilds it whenever a data, config or
 * theme file changes. While the data is invalid the page lists the problems.
 */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const { flags, env, cwd } = options;
  await requireDataDir(flags, env, cwd);
  const state: PreviewState = { version: 0, page: '', outcome: { version: 0, ok: false, ms: 0, summary: 'starting' }, listeners: new Set() };
  const watched = new Set<string>();
  let watcher: FSWatcher | undefined;

  const watchAlso = (paths: (string | undefined)[]) => {
    const fresh = paths.filter((p): p is string => !!p && !watched.has(p));
    for (const p of fresh) watched.add(p);
    if (fresh.length > 0) watcher?.add(fresh);
  };

  const build = async () => {
    const started = Date.now();
    let error: unknown;
    try {
      const settings = await resolveSettings(flags, env, cwd);
      options.onSettings?.(settings);
      watchAlso([settings.dataDir, settings.theme, ...settings.files]);
      state.page = (await renderReport({ dataDir: settings.dataDir, theme: settings.theme, branding: settings.branding, statuses: settings.statuses, meetings: settings.meetings })).html;
    } catch (caught) {
      error = caught;
      state.page = problemsPage(caught, cwd);
    }
    const version = ++state.version;
    const ms = Date.now() - started;
    const time = new Date().toLocaleTimeString('en-GB');
    state.outcome = error === undefined
      ? { version, ok: true, ms, summary: `built at ${time} in ${ms} ms: save any data, config or theme file to rebuild` }
      : { version, ok: false, ms, error, summary: `${time}: ${failureSummary(error)}` };
    for (const res of state.listeners) res.write(buildEvent(state));
    options.onBuild?.(state.outcome);
  };

  // One build at a time; changes during a build cause one more build after it.
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const rebuild = () => {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await build();
      } while (again);
      running = undefined;
    })();
  };
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(rebuild, SETTLE_MS);
  };

  // Before the first build, so a config that fails to load is still watched and can be fixed.
  watchAlso([await configFileFor(flags, env, cwd)]);
  await build();
  watcher = watch([...watched], { ignoreInitial: true, depth: 2, ignored: (path) => !watched.has(path) && isNoise(path) });
  watcher.on('all', changed);
  await new Promise<void>((resolve) => watcher!.once('ready', () => resolve()));

  const server = createServer((req, res) => respond(req, res, state, port));
  let port = 0;
  port = await listen(server, options.port ?? DEFAULT_PORT, watcher);

  return {
    url: `http://127.0.0.1:${port}/`,
    latest: () => state.outcome,
    close: async () => {
      clearTimeout(timer);
      await watcher?.close();
      await running;
      for (const res of state.listeners) res.end();
      state.listeners.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What the preview serves: the latest build's page and outcome, and the pages waiting to hear of the next. */
interface PreviewState {
  version: number;
  page: string;
  outcome: BuildOutcome;
  listeners: Set<ServerResponse>;
}

/** The server-sent event that tells the preview page a build ended. */
const buildEvent = ({ version, outcome }: PreviewState) => `event: build\ndata: ${JSON.stringify({ version, ok: outcome.ok, summary: outcome.summary })}\n\n`;

/** Answers one request: the preview page, the report, its script, or the build events. */
function respond(req: IncomingMessage, res: ServerResponse, state: PreviewState, port: number): void {
  // Only pages asked for by this machine's own name: no DNS rebinding from a web page.
  if (req.headers.host !== `127.0.0.1:${port}` && req.headers.host !== `localhost:${port}`) {
    res.writeHead(403, { 'Content-Type': 'text/plain' }).end('csi preview answers only on 127.0.0.1\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  const send = (type: string, body: string, csp?: string) =>
    res
      .writeHead(200, {
        'Content-Type': `${type}; charset=utf-8`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        ...(csp ? { 'Content-Security-Policy': csp } : {}),
      })
      .end(req.method === 'HEAD' ? undefined : body);
  switch (path) {
    case '/':
      send('text/html', previewPage(state.version, state.outcome.summary), PREVIEW_CSP);
      return;
    case '/report.html':
      send('text/html', state.page, REPORT_CSP);
      return;
    case '/preview.js':
      send('text/javascript', PREVIEW_SCRIPT);
      return;
    case '/events':
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(buildEvent(state));
      state.listeners.add(res);
      req.on('close', () => state.listeners.delete(res));
      return;
    default:
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  }
}

/** Listens on 127.0.0.1 and returns the port; a port that cannot be had ends the watcher and is an environment error. */
async function listen(server: Server, port: number, watcher: FSWatcher): Promise<number> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  } catch (cause) {
    await watcher.close();
    const code = (cause as NodeJS.ErrnoException).code;
    throw new CsiError(`cannot listen on 127.0.0.1:${port}${code ? ` (${code})` : ''}`, {
      code: 'PORT_UNAVAILABLE',
      kind: 'environment',
      cause,
      hint: 'choose another port with --port, or --port 0 for any free one',
    });
  }
  return (server.address() as AddressInfo).port;
}
