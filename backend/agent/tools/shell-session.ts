/**
 * Runs the agent's commands in its terminal, visibly, and learns where each
 * command's output starts and ends and its exit status from shell-integration
 * markers. When the shell does not integrate (sh, PowerShell, a broken rc),
 * each command is wrapped to print the same markers itself. When no end
 * marker arrives (a TUI, a subshell, a command that never ends), the timeout
 * interrupts it and the output seen so far is returned with the exit status
 * unknown: a command never hangs the agent.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentTerminal, TerminalSubscription } from '../terminal.ts';
import { MarkerParser, type TerminalPiece } from './osc-markers.ts';
import type { ShellDialect } from './shell-integration.ts';
import { terminalToText } from './terminal-text.ts';

/** How long a new shell gets to print its first integrated prompt (a user's rc can be slow). */
export const INTEGRATION_DETECT_MS = 5_000;
/** After Ctrl-C, how long to wait for the shell to report the command's end before giving up on it. */
export const INTERRUPT_GRACE_MS = 2_000;
/** Raw output kept from each end of a command's output; the model sees far less (truncate.ts). */
const CAPTURE_EDGE_CHARS = 200_000;
/** Commands typed as-is when short and plain; others go through a script file, which no line editor can mangle. */
const MAX_TYPED_COMMAND_CHARS = 1_000;

export interface CommandResult {
  /** Plain text (colours removed) of what the command printed. */
  output: string;
  /** Characters dropped from the middle before `output` was made (very long output). */
  droppedChars: number;
  /** Null when unknown: no end marker arrived. */
  exitCode: number | null;
  timedOut: boolean;
  /** Stopped by {@link ShellSession.interrupt} or the abort signal. */
  interrupted: boolean;
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

export class ShellSession {
  readonly terminal: AgentTerminal;
  readonly #dialect: ShellDialect;
  readonly #scriptDir: string;
  readonly #parser = new MarkerParser();
  readonly #subscriptions: TerminalSubscription[];
  readonly #pieceListeners = new Set<(piece: TerminalPiece) => void>();
  readonly #exitListeners = new Set<() => void>();
  readonly #ready: Promise<boolean>;
  #integrated = false;
  #exited = false;
  #busy = false;
  #scripts = 0;

  /** How this shell reads commands. */
  get dialect(): ShellDialect {
    return this.#dialect;
  }

  constructor(
    terminal: AgentTerminal,
    options: { dialect: ShellDialect; scriptDir: string; detectMs?: number },
  ) {
    this.terminal = terminal;
    this.#dialect = options.dialect;
    this.#scriptDir = options.scriptDir;
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
    this.#ready = this.#detect(options.detectMs ?? INTEGRATION_DETECT_MS);
  }

  /** Resolves once the shell is usable; true when it reports markers by itself. */
  ready(): Promise<boolean> {
    return this.#ready;
  }

  get alive(): boolean {
    return !this.#exited && this.terminal.alive;
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
    if (!this.alive) {
      return {
        output: '',
        droppedChars: 0,
        exitCode: null,
        timedOut: false,
        interrupted: false,
        shellExited: true,
        framed: false,
      };
    }
    if (options.signal?.aborted) {
      return {
        output: '',
        droppedChars: 0,
        exitCode: null,
        timedOut: false,
        interrupted: true,
        shellExited: false,
        framed: false,
      };
    }
    this.#busy = true;
    try {
      await this.#ready;
      return await this.#run(command, options);
    } finally {
      this.#busy = false;
    }
  }

  dispose(): void {
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
        resolve(integrated);
      };
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
    // eslint-disable-next-line no-control-regex -- a control character (tab, newline) would be interpreted by the line editor
    const plain = command.length <= MAX_TYPED_COMMAND_CHARS && !/[\x00-\x1f\x7f]/.test(command);
    if (this.#integrated && plain) return command;
    const file = join(
      this.#scriptDir,
      `command-${++this.#scripts}.${this.#dialect === 'powershell' ? 'ps1' : 'sh'}`,
    );
    writeFileSync(file, `${command}\n`);
    const quoted = `'${file.replace(/'/g, this.#dialect === 'powershell' ? "''" : `'\\''`)}'`;
    if (this.#integrated) return `. ${quoted}`;
    if (this.#dialect === 'powershell') {
      const esc = '[char]27';
      return `Write-Host -NoNewline (${esc}+']633;C'+[char]7); . ${quoted}; $s = if ($?) { if ($LASTEXITCODE) { $LASTEXITCODE } else { 0 } } else { 1 }; Write-Host -NoNewline (${esc}+']633;D;'+$s+[char]7)`;
    }
    return `printf '\\033]633;C\\007'; . ${quoted}; printf '\\033]633;D;%s\\007' "$?"`;
  }

  #run(command: string, options: RunOptions): Promise<CommandResult> {
    return new Promise<CommandResult>((resolve) => {
      const framedCapture = new Capture();
      const rawCapture = new Capture();
      let started = false;
      let interrupted = false;
      let timedOut = false;
      let graceTimer: ReturnType<typeof setTimeout> | undefined;

      const finish = (exitCode: number | null, shellExited: boolean) => {
        clearTimeout(timer);
        clearTimeout(graceTimer);
        this.#pieceListeners.delete(onPiece);
        this.#exitListeners.delete(onExit);
        options.signal?.removeEventListener('abort', onAbort);
        const capture = started ? framedCapture : rawCapture;
        resolve({
          output: capture.text(),
          droppedChars: capture.dropped,
          exitCode,
          timedOut,
          interrupted,
          shellExited,
          framed: started && exitCode !== null,
        });
      };
      const onPiece = (piece: TerminalPiece) => {
        if (piece.kind === 'text') {
          rawCapture.add(piece.text);
          if (started) framedCapture.add(piece.text);
        } else if (piece.code === 'C') started = true;
        else if (piece.code === 'D' && started) finish(piece.exitCode ?? null, false);
      };
      const onExit = () => finish(null, true);
      const stop = () => {
        this.interrupt();
        graceTimer = setTimeout(() => finish(null, false), INTERRUPT_GRACE_MS);
      };
      const onAbort = () => {
        interrupted = true;
        stop();
      };
      const timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, options.timeoutMs);

      this.#pieceListeners.add(onPiece);
      this.#exitListeners.add(onExit);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.terminal.write(`${this.#typed(command)}\r`);
    });
  }
}
