/**
 * Runs the agent's commands in its terminal, visibly, and learns where each
 * command's output starts and ends and its exit status from shell-integration
 * markers. When the shell does not integrate (sh, PowerShell, a broken rc),
 * each command is wrapped to print the same markers itself. When a command
 * outlives its timeout or is stopped, it is interrupted, then killed, and a
 * shell that no longer reports its prompt is given up (shell-escalation.ts):
 * a command never hangs the agent, and one stuck command never makes the
 * next ones wait.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentTerminal, TerminalSubscription } from '../terminal.ts';
import { MarkerParser, type TerminalPiece } from './osc-markers.ts';
import { scriptExtension, sourceLine, typeable, wrappedLine } from './shell-commands.ts';
import {
  DEFAULT_GRACES,
  escalate,
  killShell,
  type ShellGraces,
  type ShellLoss,
} from './shell-escalation.ts';
import type { ShellDialect } from './shell-integration.ts';
import { shellProcess, type GroupSignal } from './shell-processes.ts';
import { terminalToText } from './terminal-text.ts';

/** How long a new shell gets to print its first integrated prompt (a user's rc can be slow). */
export const INTEGRATION_DETECT_MS = 5_000;
/** Raw output kept from each end of a command's output; the model sees far less (truncate.ts). */
const CAPTURE_EDGE_CHARS = 200_000;

export interface CommandResult {
  /** Plain text (colours removed) of what the command printed. */
  output: string;
  /** Characters dropped from the middle before `output` was made (very long output). */
  droppedChars: number;
  /** Null when unknown: no end marker arrived. */
  exitCode: number | null;
  timedOut: boolean;
  /** Stopped by the abort signal (the user interrupted or stopped the agent). */
  interrupted: boolean;
  /** Ctrl-C did not end the command: the last signal its process group was sent. */
  killedWith: GroupSignal | null;
  /** The shell had to be given up (and was killed); the caller starts a new one. */
  shellLost: ShellLoss | null;
  /** The shell itself ended during the command. */
  shellExited: boolean;
  /** Whether start/end markers framed the output. */
  framed: boolean;
}

export interface RunOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

class Capture {
  head = '';
  tail = '';
  dropped = 0;

  add(text: string): void {
    if (this.head.length < CAPTURE_EDGE_CHARS) {
      const room = CAPTURE_EDGE_CHARS - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (!text) return;
    this.tail += text;
    if (this.tail.length > CAPTURE_EDGE_CHARS) {
      this.dropped += this.tail.length - CAPTURE_EDGE_CHARS;
      this.tail = this.tail.slice(-CAPTURE_EDGE_CHARS);
    }
  }

  text(): string {
    return terminalToText(this.dropped > 0 ? `${this.head}\n${this.tail}` : this.head + this.tail);
  }
}

const NOT_RUN: CommandResult = {
  output: '',
  droppedChars: 0,
  exitCode: null,
  timedOut: false,
  interrupted: false,
  killedWith: null,
  shellLost: null,
  shellExited: false,
  framed: false,
};

export interface ShellSessionOptions {
  dialect: ShellDialect;
  scriptDir: string;
  detectMs?: number | undefined;
  graces?: Partial<ShellGraces> | undefined;
}

/** What the agent's events and its `bash` calls say when its shell could not start. */
export function shellStartFailure(error: unknown): string {
  return `The agent's shell could not start: ${error instanceof Error ? error.message : String(error)}`;
}

export class ShellSession {
  readonly terminal: AgentTerminal;
  readonly #dialect: ShellDialect;
  readonly #scriptDir: string;
  readonly #graces: ShellGraces;
  readonly #parser = new MarkerParser();
  readonly #subscriptions: TerminalSubscription[];
  readonly #pieceListeners = new Set<(piece: TerminalPiece) => void>();
  readonly #exitListeners = new Set<() => void>();
  readonly #ready: Promise<boolean>;
  /** Ends the wait for the first prompt (the session was disposed meanwhile). */
  #stopDetecting: (() => void) | undefined;
  #integrated = false;
  /** The shell's command line once started: a different one means an `exec` replaced it. */
  #identity: string | null = null;
  #exited = false;
  #lost = false;
  #busy = false;
  #scripts = 0;

  /** How this shell reads commands. */
  get dialect(): ShellDialect {
    return this.#dialect;
  }

  constructor(terminal: AgentTerminal, options: ShellSessionOptions) {
    this.terminal = terminal;
    this.#dialect = options.dialect;
    this.#scriptDir = options.scriptDir;
    this.#graces = { ...DEFAULT_GRACES, ...options.graces };
    this.#subscriptions = [
      terminal.onData(({ data }) => {
        for (const piece of this.#parser.push(data))
          for (const listener of [...this.#pieceListeners]) listener(piece);
      }),
      terminal.onExit(() => {
        this.#exited = true;
        for (const listener of [...this.#exitListeners]) listener();
      }),
    ];
    this.#ready = this.#detect(options.detectMs ?? INTEGRATION_DETECT_MS).then(
      async (integrated) => {
        this.#identity = this.alive ? ((await shellProcess(terminal.pid))?.command ?? null) : null;
        return integrated;
      },
    );
  }

  /** Resolves once the shell is usable; true when it reports markers by itself. */
  ready(): Promise<boolean> {
    return this.#ready;
  }

  /** False once the shell exited or was given up. */
  get alive(): boolean {
    return !this.#exited && !this.#lost && this.terminal.alive;
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** Sends Ctrl-C to whatever runs in the terminal. */
  interrupt(): void {
    if (this.alive) this.terminal.write('\x03');
  }

  async run(command: string, options: RunOptions): Promise<CommandResult> {
    if (this.#busy) throw new Error('A command is already running in this terminal');
    if (!this.alive) return { ...NOT_RUN, shellExited: true };
    if (options.signal?.aborted) return { ...NOT_RUN, interrupted: true };
    this.#busy = true;
    try {
      await this.#ready;
      return await this.#run(command, options);
    } finally {
      this.#busy = false;
    }
  }

  dispose(): void {
    this.#stopDetecting?.();
    for (const s of this.#subscriptions) s.dispose();
    this.#pieceListeners.clear();
    this.#exitListeners.clear();
  }

  #detect(detectMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (integrated: boolean) => {
        clearTimeout(timer);
        this.#pieceListeners.delete(onPiece);
        this.#exitListeners.delete(onExit);
        this.#integrated = integrated;
        this.#stopDetecting = undefined;
        resolve(integrated);
      };
      this.#stopDetecting = () => done(false);
      const onPiece = (piece: TerminalPiece) => {
        if (piece.kind === 'marker' && (piece.code === 'A' || piece.code === 'B')) done(true);
      };
      const onExit = () => done(false);
      const timer = setTimeout(() => done(false), detectMs);
      this.#pieceListeners.add(onPiece);
      this.#exitListeners.add(onExit);
    });
  }

  /** What to type for `command`: itself when it is short and plain, else a sourced script, wrapped when the shell does not integrate. */
  #typed(command: string): string {
    if (this.#integrated && typeable(command)) return command;
    const file = join(
      this.#scriptDir,
      `command-${++this.#scripts}.${scriptExtension(this.#dialect)}`,
    );
    writeFileSync(file, `${command}\n`);
    return this.#integrated ? sourceLine(this.#dialect, file) : wrappedLine(this.#dialect, file);
  }

  #run(command: string, options: RunOptions): Promise<CommandResult> {
    return new Promise<CommandResult>((resolve) => {
      const framedCapture = new Capture();
      const rawCapture = new Capture();
      let started = false;
      let done = false;
      let interrupted = false;
      let timedOut = false;
      let killedWith: GroupSignal | null = null;
      let stopping = false;
      let checking = false;
      const endWaiters = new Set<() => void>();

      const finish = (exitCode: number | null, extra: Partial<CommandResult> = {}) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(check);
        this.#pieceListeners.delete(onPiece);
        this.#exitListeners.delete(onExit);
        options.signal?.removeEventListener('abort', onAbort);
        for (const wake of endWaiters) wake();
        const capture = started ? framedCapture : rawCapture;
        resolve({
          ...NOT_RUN,
          output: capture.text(),
          droppedChars: capture.dropped,
          exitCode,
          timedOut,
          interrupted,
          killedWith,
          framed: started && exitCode !== null,
          ...extra,
        });
      };
      const giveUp = async (loss: ShellLoss) => {
        if (done) return;
        this.#lost = true;
        await killShell(this.terminal.pid);
        finish(null, { shellLost: loss });
      };
      const ended = (ms: number) =>
        new Promise<boolean>((wake) => {
          if (done) return wake(true);
          const timer = setTimeout(() => {
            endWaiters.delete(onEnd);
            wake(done);
          }, ms);
          const onEnd = () => {
            clearTimeout(timer);
            wake(true);
          };
          endWaiters.add(onEnd);
        });
      const onPiece = (piece: TerminalPiece) => {
        if (piece.kind === 'text') {
          rawCapture.add(piece.text);
          if (started) framedCapture.add(piece.text);
        } else if (piece.code === 'C') started = true;
        else if (piece.code === 'D' && started) finish(piece.exitCode ?? null);
      };
      const onExit = () => finish(null, { shellExited: true });
      const stop = () => {
        if (stopping || done) return;
        stopping = true;
        void escalate({
          shellPid: this.terminal.pid,
          integrated: this.#integrated,
          graces: this.#graces,
          interrupt: () => this.interrupt(),
          ended,
          signalled: (signal) => (killedWith = signal),
        }).then((outcome) => {
          if (outcome.kind === 'idle') finish(null);
          else if (outcome.kind === 'lost') return giveUp(outcome.loss);
          return undefined;
        });
      };
      const onAbort = () => {
        interrupted = true;
        stop();
      };
      const timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, options.timeoutMs);
      // An `exec` replaces the shell, and with it the integration: no end marker would ever come.
      const check = setInterval(() => {
        if (checking || stopping || done || this.#identity === null) return;
        checking = true;
        void shellProcess(this.terminal.pid).then((shell) => {
          checking = false;
          if (shell && shell.command !== this.#identity && !stopping) void giveUp('replaced');
        });
      }, this.#graces.checkMs);

      this.#pieceListeners.add(onPiece);
      this.#exitListeners.add(onExit);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.terminal.write(`${this.#typed(command)}\r`);
    });
  }
}
