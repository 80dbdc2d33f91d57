/**
 * `pty/bench/` owns the terminal benchmark.
 *
 * Terminal benchmark: `npm run bench:pty`. One run, against web mode (a child
 * process) and the built app in headless Chromium. Prints one JSON line per
 * section, then the summary object (figures, goals, whether each was met) as
 * the last line. Needs `npm run build:web` first. The stream is run in
 * rounds (PTY_BENCH_ROUNDS, 3), each a pipeline then a direct run; the
 * summary gives medians.
 *
 * - pipeline: `cat` of a 100 MB file in a shell opened from the UI, until the
 *   marker printed after it is on screen (PTY → batching/flow control →
 *   downlink (streamed response, bytes) → xterm.js, acknowledged after parsing
 *   over the uplink WebSocket).
 * - xterm direct: in the same page, a second xterm.js with the same options and
 *   size parses the same characters, written straight in (its own ceiling).
 * - raw PTY: node-pty reading the same `cat`, nothing else.
 * - echo: 1,000 keystrokes at a bash prompt, each a `pty.write` sent from the
 *   page and timed to its echo event's arrival there (loopback, through the
 *   backend and the PTY). Also, as a supporting figure, 200 keystrokes typed
 *   into the app: keydown to the echo painted in the terminal (xterm.js
 *   renders on the next animation frame, so this includes up to a frame).
 * - CPU by process over the pipeline and the direct run (Linux), to show
 *   where a pipeline's time goes on a machine with few cores, and the page's
 *   and the backend's main threads as the scheduler saw them: CPU, time spent
 *   waiting for a core, switches.
 * - peak RSS: the web-mode process's high-water mark (VmHWM) over the run.
 *
 * Both terminals use xterm.js's DOM renderer (WebGL is off in this Chromium),
 * so the comparison is like for like.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { loadNodePty } from '../../../native/node-pty.ts';
import { readRawOutput } from '../raw-output.ts';
import { benchBlock } from './bench-data.ts';
import {
  busiestMainThread,
  cpuSince,
  sampleProcesses,
  type ThreadSchedule,
} from './process-cpu.ts';
import type { PageGlobals } from './page-globals.ts';
import { launchChromium } from '../../../e2e/support/chromium.ts';
import { WebApp } from '../../../e2e/support/web-app.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const XTERM_UMD = join(ROOT, 'node_modules/@xterm/xterm/lib/xterm.js');
const STATIC_ROOT = join(ROOT, 'dist/web/browser');

/** The stream size. */
const STREAM_MB = Number(process.env['STREAM_MB'] ?? 100);
const KEYSTROKES = 1000;
/** Through the UI each keystroke costs a frame or two: fewer, for the supporting figure. */
const UI_KEYSTROKES = 200;
/** Readline's line is cleared this often, so it never wraps. */
const CLEAR_LINE_EVERY = 100;
const UNICODE11_UMD = join(ROOT, 'node_modules/@xterm/addon-unicode11/lib/addon-unicode11.js');
/** The app's terminal options (frontend/src/app/terminal/xterm-options.ts) that bear on parsing and painting. */
const XTERM_OPTIONS = {
  allowProposedApi: true,
  scrollback: 10_000,
  fontFamily:
    'ui-monospace, "Cascadia Mono", "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
  fontSize: 13,
  cursorBlink: true,
};
/** Direct writes: chunk size and how many may wait unparsed, as a flow-controlled writer would. */
const DIRECT_CHUNK_CHARS = 64 * 1024;
const DIRECT_MAX_PENDING = 16;
/** How often the backend's memory is read while the stream runs. */
const RSS_SAMPLE_MS = 100;
/**
 * Rounds of pipeline-then-direct, each over the whole stream. The figures are
 * medians over rounds, the ratio the median of each round's own ratio: on a
 * shared 2-core machine xterm.js's own rate drifts by a fifth between
 * minutes, so a pipeline is compared with the direct run right after it.
 */
const ROUNDS = Number(process.env['PTY_BENCH_ROUNDS'] ?? 3);
/** If set, a folder: the page's CPU profiles of the last round's pipeline and direct phases are written there (open in Chrome DevTools). */
const PROFILE_DIR = process.env['PTY_BENCH_PROFILE'];
/** If set, a folder: Chromium traces of the last round's pipeline and direct phases are written there (open in Perfetto). */
const TRACE_DIR = process.env['PTY_BENCH_TRACE'];
const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'disabled-by-default-devtools.timeline.stack',
  'toplevel',
  'blink',
  'v8',
  'loading',
];
/** Printed after the stream; its arrival on screen ends a round's timing. The typed command carries it as $((6*7)), only the output has the number. */
const endMarker = (round: number): string => `bench-done-${round}-42`;
const endCommand = (round: number): string => `echo bench-done-${round}-$((6*7))`;

/**
 * The goals. "RSS bounded under flood" is read as: the backend's
 * resident memory during the second half of the flood (all rounds) peaks no
 * higher than during the first half, give or take garbage collection's swing
 * (`rss_trend` is the ratio of the two peaks).
 */
const GOALS = {
  pipeline_ratio: { goal: 0.9, atLeast: true },
  echo_p99_ms: { goal: 10, atLeast: false },
  rss_trend: { goal: 1.15, atLeast: false },
} as const;

/**
 * The page's main thread over a phase, from Chromium's own counters: how busy
 * it was (wall time in tasks), how much CPU it and its process got, how much
 * was script, and how many layouts (about one per frame) it ran. Explains where a pipeline's time goes.
 */
class MainThreadMeter {
  readonly #session: CDPSession;
  #start: Record<string, number> = {};

  private constructor(session: CDPSession) {
    this.#session = session;
  }

  static async attach(page: Page): Promise<MainThreadMeter> {
    const session = await page.context().newCDPSession(page);
    await session.send('Performance.enable');
    const meter = new MainThreadMeter(session);
    await meter.reset();
    return meter;
  }

  async reset(): Promise<void> {
    this.#start = await this.#read();
  }

  /** With PTY_BENCH_PROFILE set, starts sampling the page's JavaScript. */
  async startProfile(): Promise<void> {
    if (!PROFILE_DIR) return;
    await this.#session.send('Profiler.enable');
    await this.#session.send('Profiler.start');
  }

  /** Writes the profile started by {@link startProfile} as `<name>.cpuprofile`. */
  async stopProfile(name: string): Promise<void> {
    if (!PROFILE_DIR) return;
    const { profile } = await this.#session.send('Profiler.stop');
    mkdirSync(PROFILE_DIR, { recursive: true });
    writeFileSync(join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
  }

  async since(): Promise<Record<string, number>> {
    const now = await this.#read();
    const delta = (name: string): number => (now[name] ?? 0) - (this.#start[name] ?? 0);
    return {
      main_busy_s: rounded(delta('TaskDuration')),
      // CPU time the main thread (and the whole page process, workers included) got: busy minus this is time preempted.
      main_cpu_s: rounded(delta('ThreadTime')),
      page_process_cpu_s: rounded(delta('ProcessTime')),
      main_script_s: rounded(delta('ScriptDuration')),
      main_layouts: delta('LayoutCount'),
    };
  }

  async #read(): Promise<Record<string, number>> {
    const { metrics } = await this.#session.send('Performance.getMetrics');
    return Object.fromEntries(metrics.map(({ name, value }) => [name, value]));
  }
}

function report(section: string, figures: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ section, ...figures }) + '\n');
}

const rounded = (n: number, digits = 2): number => Number(n.toFixed(digits));

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Writes the stream file: the block repeated to at least STREAM_MB. */
function writeStream(file: string, block: string): { bytes: number; repeats: number } {
  const repeats = Math.ceil((STREAM_MB * 1024 * 1024) / Buffer.byteLength(block));
  writeFileSync(file, '');
  const batch = block.repeat(64);
  for (let i = 0; i < repeats; i += 64)
    appendFileSync(file, i + 64 <= repeats ? batch : block.repeat(repeats - i));
  return { bytes: statSync(file).size, repeats };
}

async function rawPtyRate(file: string, bytes: number): Promise<number> {
  const pty = loadNodePty().spawn('/bin/cat', [file], {
    cols: 200,
    rows: 50,
    cwd: tmpdir(),
    env: process.env,
  });
  // Bytes, as the backend reads them (backend/pty/raw-output.ts).
  readRawOutput(pty);
  const started = performance.now();
  let received = 0;
  const data = pty.onData((chunk: string | Buffer) => (received += chunk.length));
  await new Promise<void>((resolve) => pty.onExit(() => resolve()));
  data.dispose();
  const seconds = (performance.now() - started) / 1000;
  report('raw_pty', { seconds: rounded(seconds), bytes: received });
  return bytes / 1024 / 1024 / seconds;
}

/**
 * Installed before the app loads. Times keydown to the terminal's next repaint
 * (the UI echo figure, while `watch`ed), and, once armed with a marker,
 * resolves `done` at the frame that marker is on screen, so a stream's end is
 * timed in the page without polling from outside.
 */
function installProbes(): void {
  const page = globalThis as unknown as PageGlobals;
  const probe: PageGlobals['__probe'] = {
    samples: [],
    since: 0,
    done: undefined,
    watch: () => {},
    unwatch: () => {},
    arm: () => {},
  };
  page.__probe = probe;
  page.document.addEventListener('keydown', () => (probe.since = performance.now()), true);
  // xterm.js's DOM renderer repaints rows by replacing their content: an echo shows as a mutation.
  const repainted = (): void => {
    if (!probe.since) return;
    probe.samples.push(performance.now() - probe.since);
    probe.since = 0;
  };
  let observed: unknown;
  const observer = new page.MutationObserver(repainted);
  probe.watch = () => {
    const rows = page.document.querySelector('[aria-label="Terminal Shell 1"] .xterm-rows');
    if (!rows || rows === observed) return;
    observed = rows;
    observer.observe(rows, { childList: true, subtree: true, characterData: true });
  };
  // Under a flood every frame rewrites every row: mutation records the stream must not pay for.
  probe.unwatch = () => {
    observer.disconnect();
    observed = undefined;
  };
  probe.arm = (marker) => {
    probe.done = new Promise<number>((resolve) => {
      const look = (): void => {
        const rows = page.document.querySelector('[aria-label="Terminal Shell 1"] .xterm-rows');
        const text = (rows?.textContent ?? '').replace(/\u00a0/g, ' ');
        if (text.includes(marker)) resolve(performance.now());
        else page.requestAnimationFrame(look);
      };
      look();
    });
  };
}

/**
 * Keystroke to echo over the protocol, from the page: a second connection made
 * as the app's own (downlink and uplink, backend/server/downlink.ts) writes
 * one character at a time to the shell's session and waits for its output
 * frame. Readline's line is cleared now and then so it never wraps.
 */
async function echoOverProtocol(page: Page, keystrokes: number): Promise<number[]> {
  return page.evaluate(
    async ({ keystrokes, clearEvery }) => {
      const page = globalThis as unknown as PageGlobals;
      type Message = {
        type: string;
        event?: string;
        id?: number;
        data?: { id: string; connectionId?: string };
        result?: unknown;
      };
      const waiters: Array<(message: Message) => void> = [];
      const dispatch = (message: Message): void => {
        for (const waiter of waiters.splice(0)) waiter(message);
      };
      // The downlink's frames (backend/protocol/frames.ts), read just enough for this.
      const downlink = await page.fetch('/downlink');
      const reader = downlink.body.getReader();
      const decoder = new page.TextDecoder();
      let pending = new Uint8Array(0);
      let welcome: (id: string) => void = () => {};
      const connectionId = new Promise<string>((resolve) => (welcome = resolve));
      void (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          const joined = new Uint8Array(pending.length + value.length);
          joined.set(pending);
          joined.set(value, pending.length);
          pending = joined;
          while (pending.length >= 5) {
            const length = new DataView(pending.buffer, pending.byteOffset).getUint32(0, true);
            if (pending.length < 4 + length) break;
            const body = pending.subarray(5, 4 + length);
            if (pending[4] === 1) {
              const message = JSON.parse(decoder.decode(body)) as Message;
              if (message.event === 'system.welcome') welcome(message.data?.connectionId ?? '');
              dispatch(message);
            } else {
              const id = decoder.decode(body.subarray(1, 1 + (body[0] ?? 0)));
              dispatch({ type: 'event', event: 'pty.data', data: { id } });
            }
            pending = pending.subarray(4 + length);
          }
        }
      })();
      const ws = new page.WebSocket(
        `ws://${page.location.host}/ws?connection=${await connectionId}`,
      );
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      let nextId = 1;
      const next = (match: (m: Message) => boolean) =>
        new Promise<void>((resolve) => {
          const wait = (m: Message): void => {
            if (match(m)) resolve();
            else waiters.push(wait);
          };
          waiters.push(wait);
        });
      const request = async (method: string, params: object): Promise<unknown> => {
        const id = nextId++;
        let result: unknown;
        const answered = next((m) => {
          if (m.type === 'response' && m.id === id) result = m.result;
          return m.type === 'response' && m.id === id;
        });
        ws.send(JSON.stringify({ type: 'request', id, method, params }));
        await answered;
        return result;
      };
      const { sessions } = (await request('pty.list', {})) as {
        sessions: Array<{ id: string; name: string }>;
      };
      const session = sessions.find((s) => s.name === 'Shell 1');
      if (!session) throw new Error('no shell to type into');
      const samples: number[] = [];
      for (let i = 0; i < keystrokes; i++) {
        if (i > 0 && i % clearEvery === 0) {
          await request('pty.write', { id: session.id, data: '\x15' });
          await new Promise((resolve) => setTimeout(resolve, 30));
        }
        const echoed = next(
          (m) => m.type === 'event' && m.event === 'pty.data' && m.data?.id === session.id,
        );
        const started = performance.now();
        ws.send(
          JSON.stringify({
            type: 'request',
            id: nextId++,
            method: 'pty.write',
            params: { id: session.id, data: 'a' },
          }),
        );
        await echoed;
        samples.push(performance.now() - started);
      }
      await request('pty.write', { id: session.id, data: '\x15' });
      ws.close();
      await reader.cancel();
      return samples;
    },
    { keystrokes, clearEvery: CLEAR_LINE_EVERY },
  );
}

/**
 * Keydown in the app to the echo painted in its terminal, through xterm.js and
 * the app's own connection. xterm.js paints on the next animation frame, so
 * this includes up to a frame (reported, not a goal).
 */
async function echoThroughUi(page: Page, keystrokes: number): Promise<number[]> {
  for (let i = 0; i < keystrokes; i++) {
    if (i > 0 && i % CLEAR_LINE_EVERY === 0) {
      await page.keyboard.press('Control+u');
      await page.waitForTimeout(30);
      await page.evaluate(() => ((globalThis as unknown as PageGlobals).__probe.since = 0));
    }
    await page.keyboard.press('a');
    await page.waitForFunction(
      (n) => (globalThis as unknown as PageGlobals).__probe.samples.length > n,
      i,
      { polling: 'raf' },
    );
  }
  await page.keyboard.press('Control+u');
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__probe.samples);
}

function percentiles(samples: number[]): { p50: number; p99: number; max: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? NaN,
    n: sorted.length,
  };
}

/** The app terminal's columns and rows, as the backend knows them. */
async function appTerminalSize(page: Page): Promise<{ cols: number; rows: number }> {
  return page.evaluate(async () => {
    const page = globalThis as unknown as PageGlobals;
    const ws = new page.WebSocket(`ws://${page.location.host}/ws`);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const list = await new Promise<{
      sessions: Array<{ name: string; cols: number; rows: number }>;
    }>((resolve) => {
      ws.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as {
          type: string;
          id?: number;
          result?: unknown;
        };
        if (message.type === 'response' && message.id === 1) resolve(message.result as never);
      };
      ws.send(JSON.stringify({ type: 'request', id: 1, method: 'pty.list', params: {} }));
    });
    ws.close();
    const shell = list.sessions.find((s) => s.name === 'Shell 1');
    if (!shell) throw new Error('no Shell 1');
    return { cols: shell.cols, rows: shell.rows };
  });
}

/**
 * Opens the second xterm.js, set up as the app's (same options, unicode11,
 * same columns and rows, same place on screen), hidden until a direct round.
 * It is made once and kept, so like the app's terminal it starts cold in the
 * first round and has a full scrollback in the later ones.
 */
async function openDirect(page: Page, size: { cols: number; rows: number }): Promise<void> {
  await page.addScriptTag({ path: XTERM_UMD });
  await page.addScriptTag({ path: UNICODE11_UMD });
  const box = await page
    .locator('[aria-label="Terminal Shell 1"] .tk-terminal-screen')
    .boundingBox();
  if (!box) throw new Error('the app terminal has no size');
  await page.evaluate(
    ({ box, size, options }) => {
      const page = globalThis as unknown as PageGlobals;
      const host = page.document.createElement('div');
      Object.assign(host.style, {
        position: 'fixed',
        left: `${box.x}px`,
        top: `${box.y}px`,
        width: `${box.width}px`,
        height: `${box.height}px`,
        zIndex: '1000',
        background: '#1e1e1e',
        visibility: 'hidden',
      });
      page.document.body.append(host);
      const terminal = new page.Terminal({ ...options, ...size });
      terminal.loadAddon(new page.Unicode11Addon.Unicode11Addon());
      terminal.unicode.activeVersion = '11';
      terminal.open(host);
      page.__direct = { host, terminal };
    },
    { box, size, options: XTERM_OPTIONS },
  );
}

/** Parses `repeats` × `block` in the terminal {@link openDirect} made, written straight in; returns seconds. */
async function writeDirect(page: Page, block: string, repeats: number): Promise<number> {
  return page.evaluate(
    async ({ block, repeats, chunkChars, maxPending }) => {
      const page = globalThis as unknown as PageGlobals;
      if (!page.__direct) throw new Error('the direct terminal is not open');
      const { host, terminal } = page.__direct;
      host.style['visibility'] = 'visible';
      // What the PTY delivers: its line discipline turns \n into \r\n.
      const data = block.replaceAll('\n', '\r\n');
      const chunks: string[] = [];
      for (let i = 0; i < data.length; i += chunkChars) chunks.push(data.slice(i, i + chunkChars));
      const started = performance.now();
      await new Promise<void>((resolve) => {
        let pending = 0;
        let repeat = 0;
        let index = 0;
        const pump = (): void => {
          while (pending < maxPending && repeat < repeats) {
            const chunk = chunks[index] as string;
            index = (index + 1) % chunks.length;
            if (index === 0) repeat++;
            pending++;
            terminal.write(chunk, () => {
              pending--;
              if (repeat >= repeats && pending === 0) resolve();
              else pump();
            });
          }
        };
        pump();
      });
      await new Promise<void>((resolve) => page.requestAnimationFrame(() => resolve()));
      const seconds = (performance.now() - started) / 1000;
      host.style['visibility'] = 'hidden';
      return seconds;
    },
    { block, repeats, chunkChars: DIRECT_CHUNK_CHARS, maxPending: DIRECT_MAX_PENDING },
  );
}

/** Median of a non-empty list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Where the stream is and what it is, and what a pipeline round needs of the running app. */
interface Run {
  page: Page;
  browser: Browser;
  server: WebApp;
  meter: MainThreadMeter;
  streamFile: string;
  streamMb: number;
  block: string;
  repeats: number;
  /** The backend's resident memory, sampled while streams run. */
  rss: number[];
}

interface PhaseResult {
  mbS: number;
  /** The page's main thread as the scheduler saw it (Linux). */
  pageMain: ThreadSchedule | undefined;
}

/**
 * Starts measuring a phase on the page's main thread and, in the last round
 * (warm, when there are several, as a terminal in use is), its CPU profile
 * and trace if asked for; the function returned ends them and gives the
 * main thread's figures.
 */
async function beginPhase(
  run: Run,
  round: number,
  phase: 'pipeline' | 'direct',
): Promise<() => Promise<Record<string, number>>> {
  const profiled = round === ROUNDS;
  await run.meter.reset();
  if (profiled) {
    await run.meter.startProfile();
    if (TRACE_DIR)
      await run.browser.startTracing(run.page, {
        path: join(TRACE_DIR, `${phase}.json`),
        categories: TRACE_CATEGORIES,
      });
  }
  return async () => {
    if (profiled && TRACE_DIR) await run.browser.stopTracing();
    const main = await run.meter.since();
    if (profiled) await run.meter.stopProfile(phase);
    return main;
  };
}

/**
 * One pipeline round: `cat` of the stream in the app's shell, timed from
 * Enter to the frame the end marker is on screen.
 */
async function pipelineRound(run: Run, round: number): Promise<PhaseResult> {
  const { page, server } = run;
  const endPhase = await beginPhase(run, round, 'pipeline');
  await page.keyboard.type(`cat ${run.streamFile}; ${endCommand(round)}`);
  const sampler = setInterval(() => run.rss.push(server.memoryMb('VmRSS')), RSS_SAMPLE_MS);
  const before = sampleProcesses(process.pid);
  const driverBefore = process.cpuUsage();
  const started = await page.evaluate((marker) => {
    const probe = (globalThis as unknown as PageGlobals).__probe;
    probe.arm(marker);
    return performance.now();
  }, endMarker(round));
  await page.keyboard.press('Enter');
  const ended = await page.evaluate(
    () =>
      (globalThis as unknown as PageGlobals).__probe.done ?? Promise.reject(new Error('no probe')),
  );
  const driver = process.cpuUsage(driverBefore);
  const after = sampleProcesses(process.pid);
  clearInterval(sampler);
  const main = await endPhase();
  const seconds = (ended - started) / 1000;
  const mbS = run.streamMb / seconds;
  const pageMain = busiestMainThread(before, after, 'chromium_renderer');
  report('pipeline', {
    round,
    seconds: rounded(seconds),
    mb_s: rounded(mbS, 1),
    ...main,
    page_main: pageMain ?? null,
    backend_main: busiestMainThread(before, after, 'backend') ?? null,
    // This process: Playwright hears every chunk and WebSocket frame of the page as a DevTools event.
    cpu_s: {
      ...cpuSince(before, after),
      bench_driver: rounded((driver.user + driver.system) / 1e6),
    },
  });
  return { mbS, pageMain };
}

/** One direct round: the second xterm.js in the same page parses the same bytes. */
async function directRound(run: Run, round: number): Promise<PhaseResult> {
  const endPhase = await beginPhase(run, round, 'direct');
  const before = sampleProcesses(process.pid);
  const seconds = await writeDirect(run.page, run.block, run.repeats);
  const after = sampleProcesses(process.pid);
  const pageMain = busiestMainThread(before, after, 'chromium_renderer');
  const main = await endPhase();
  const mbS = run.streamMb / seconds;
  report('xterm_direct', {
    round,
    seconds: rounded(seconds),
    mb_s: rounded(mbS, 1),
    ...main,
    page_main: pageMain ?? null,
    cpu_s: cpuSince(before, after),
  });
  return { mbS, pageMain };
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0] ?? NaN;
  if (!existsSync(STATIC_ROOT))
    throw new Error(
      `The app is not built (${STATIC_ROOT} is missing): run \`npm run build:web\` first`,
    );
  if (!(ROUNDS >= 1)) throw new Error(`PTY_BENCH_ROUNDS must be at least 1, not ${ROUNDS}`);
  const dir = mkdtempSync(join(tmpdir(), 'troika-bench-pty-'));
  const streamFile = join(dir, 'stream.txt');
  const block = benchBlock();
  const { bytes, repeats } = writeStream(streamFile, block);
  const streamMb = bytes / 1024 / 1024;
  report('stream', { mb: rounded(streamMb), repeats, rounds: ROUNDS });

  const rawMbS = await rawPtyRate(streamFile, bytes);
  report('raw_pty', { mb_s: rounded(rawMbS, 1) });

  const server = new WebApp();
  await server.start();
  // WebGL off: both terminals on the DOM renderer, whose text also tells when the stream has arrived.
  const browser = await launchChromium({ webgl: false });
  try {
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      bypassCSP: true,
    });
    await context.addInitScript(installProbes);
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    await page.getByRole('button', { name: 'New shell' }).click();
    const view = page.locator('[aria-label="Terminal Shell 1"]');
    await view.waitFor();
    await page.waitForFunction(() =>
      /[$#]/.test(
        (globalThis as unknown as PageGlobals).document.querySelector(
          '[aria-label="Terminal Shell 1"] .xterm-rows',
        )?.textContent ?? '',
      ),
    );
    await view.click();
    await page.evaluate(() => (globalThis as unknown as PageGlobals).__probe.watch());

    const echo = percentiles(await echoOverProtocol(page, KEYSTROKES));
    report('echo', {
      p50_ms: rounded(echo.p50),
      p99_ms: rounded(echo.p99),
      max_ms: rounded(echo.max),
      keystrokes: echo.n,
    });
    const echoUi = percentiles(await echoThroughUi(page, UI_KEYSTROKES));
    report('echo_ui', {
      p50_ms: rounded(echoUi.p50),
      p99_ms: rounded(echoUi.p99),
      max_ms: rounded(echoUi.max),
      keystrokes: echoUi.n,
    });
    await page.evaluate(() => (globalThis as unknown as PageGlobals).__probe.unwatch());

    await openDirect(page, await appTerminalSize(page));
    const rssBefore = server.memoryMb('VmRSS');
    const run: Run = {
      page,
      browser,
      server,
      meter: await MainThreadMeter.attach(page),
      streamFile,
      streamMb,
      block,
      repeats,
      rss: [],
    };
    const pipelines: PhaseResult[] = [];
    const directs: PhaseResult[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      pipelines.push(await pipelineRound(run, round));
      directs.push(await directRound(run, round));
    }

    const half = Math.floor(run.rss.length / 2);
    const rssPeakFirstHalf = Math.max(rssBefore, ...run.rss.slice(0, half));
    const rssPeakSecondHalf = Math.max(...run.rss.slice(half));
    const ratios = pipelines.map((pipeline, i) => pipeline.mbS / (directs[i] as PhaseResult).mbS);
    const waits = pipelines.flatMap(({ pageMain }) => (pageMain ? [pageMain.wait_s] : []));
    const directWaits = directs.flatMap(({ pageMain }) => (pageMain ? [pageMain.wait_s] : []));
    const figures = {
      pipeline_mb_s: rounded(median(pipelines.map(({ mbS }) => mbS)), 1),
      xterm_direct_mb_s: rounded(median(directs.map(({ mbS }) => mbS)), 1),
      pipeline_ratio: rounded(median(ratios)),
      pipeline_ratio_rounds: ratios.map((ratio) => rounded(ratio)),
      raw_pty_mb_s: rounded(rawMbS, 1),
      echo_p50_ms: rounded(echo.p50),
      echo_p99_ms: rounded(echo.p99),
      echo_ui_p50_ms: rounded(echoUi.p50),
      echo_ui_p99_ms: rounded(echoUi.p99),
      peak_rss_mb: rounded(server.memoryMb('VmHWM'), 1),
      rss_growth_mb: rounded(Math.max(rssPeakFirstHalf, rssPeakSecondHalf) - rssBefore, 1),
      rss_trend: rounded(rssPeakSecondHalf / rssPeakFirstHalf),
      // Seconds the page's main thread was runnable but had no core, median per round (Linux).
      page_main_wait_s: waits.length ? rounded(median(waits)) : null,
      page_main_wait_direct_s: directWaits.length ? rounded(median(directWaits)) : null,
    };
    const goals = Object.fromEntries(
      Object.entries(GOALS).map(([key, { goal, atLeast }]) => {
        const value = figures[key as keyof typeof GOALS];
        return [key, { goal, atLeast, met: atLeast ? value >= goal : value < goal }];
      }),
    );
    process.stdout.write(
      JSON.stringify({
        ...figures,
        stream_mb: rounded(streamMb),
        rounds: ROUNDS,
        renderer: 'dom',
        cores: availableParallelism(),
        // Other work on the machine skews every figure here; a 2-core box shared with builds especially.
        load_avg_1m: [rounded(loadBefore), rounded(loadavg()[0] ?? NaN)],
        echo_measured:
          "pty.write of one character to its echo event, over the protocol from the page; echo_ui_*: keydown to the echo painted in the app's terminal",
        goals,
      }) + '\n',
    );
  } finally {
    await browser.close();
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
