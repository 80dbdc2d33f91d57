/**
 * An agent's terminal: opened through the app's PTY manager (so the user sees
 * it), with shell integration, replaced when the shell exits or the model asks
 * for a restart.
 */
import { mkdirSync } from 'node:fs';
import { SCRUBBED_ENV_VARS, TERM_NAME } from '../pty/constants.ts';
import { killForeground, type ShellGraces } from './tools/shell-escalation.ts';
import { shellSnapshot, type ShellSnapshot } from './tools/shell-snapshot.ts';
import {
  SHELL_NOTICE_ENV,
  agentShellFile,
  prepareShellLaunch,
  shellDialect,
  type ShellDialect,
} from './tools/shell-integration.ts';
import { ShellSession } from './tools/shell-session.ts';
import type { AgentTerminal, AgentTerminalHost } from './terminal.ts';

export interface ShellSettings {
  /** A private folder for this agent's rc files and command scripts. */
  stateDir: string;
  /** Load the user's ~/.bashrc or ~/.zshrc in the agent's shell. */
  sourceUserRc: boolean;
  /**
   * With `sourceUserRc`: where snapshots of those rc files go (shell-snapshot.ts);
   * without, each shell runs them itself.
   */
  snapshotDir?: string | undefined;
  /** Overrides the shell (tests). */
  shell?: string | undefined;
  /** How long to wait for the shell's first integrated prompt. */
  detectMs?: number | undefined;
  /** How long each step of ending a stuck command waits (tests shorten them). */
  graces?: Partial<ShellGraces> | undefined;
}

/** Variables that keep programs from stopping for a person (pagers, editors, prompts). */
const NON_INTERACTIVE_ENV: Record<string, string> = {
  PAGER: 'cat',
  GIT_PAGER: 'cat',
  GIT_EDITOR: 'true',
  GIT_TERMINAL_PROMPT: '0',
};

/**
 * The environment an agent's shell starts in, before its rc runs: the
 * backend's, less what never enters a terminal, with the terminal's type.
 */
function shellBaseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...NON_INTERACTIVE_ENV, TERM: TERM_NAME };
  for (const name of SCRUBBED_ENV_VARS) delete env[name];
  return env;
}

/**
 * The snapshot of the user's rc for shells with these settings (null when
 * the rc is not loaded, or is run by each shell). Asked at start-up too, so
 * the first agent's shell does not wait for it.
 */
export function snapshotFor(
  settings: Pick<ShellSettings, 'sourceUserRc' | 'snapshotDir' | 'shell'>,
): Promise<ShellSnapshot | null> {
  const { sourceUserRc, snapshotDir } = settings;
  if (!sourceUserRc || snapshotDir === undefined) return Promise.resolve(null);
  return shellSnapshot({
    shell: agentShellFile({ shell: settings.shell }),
    dir: snapshotDir,
    env: shellBaseEnv(),
    onFallback: (reason) => process.emitWarning(reason, { code: 'TROIKA_SHELL_SNAPSHOT' }),
  });
}

/** The shell was closed (the agent stopped or was removed) before it finished starting. */
export class ShellClosedError extends Error {
  constructor() {
    super('The shell was closed before it started');
  }
}

export class AgentTerminalSession {
  readonly #agentId: string;
  readonly #cwd: string;
  readonly #host: AgentTerminalHost;
  readonly #settings: ShellSettings;
  readonly #onChange: () => void;
  #terminal: AgentTerminal | undefined;
  #session: ShellSession | undefined;
  #opening: Promise<ShellSession> | undefined;
  /** Counts `close()` calls: an opening that sees one it did not make gives up. */
  #closes = 0;

  constructor(
    agentId: string,
    cwd: string,
    host: AgentTerminalHost,
    settings: ShellSettings,
    onChange: () => void,
  ) {
    this.#agentId = agentId;
    this.#cwd = cwd;
    this.#host = host;
    this.#settings = settings;
    this.#onChange = onChange;
  }

  /** How this agent's shell reads commands (known before it starts: it follows the platform). */
  get dialect(): ShellDialect {
    return this.#session?.dialect ?? shellDialect();
  }

  get ptyId(): string | null {
    return this.#terminal?.id ?? null;
  }

  /** The live shell, once it is ready: the one starting, or a new one when there is none (or the last one exited). */
  ensure(): Promise<ShellSession> {
    if (this.#opening) return this.#opening;
    if (this.#session?.alive) return Promise.resolve(this.#session);
    this.#opening ??= this.#open().finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  shell(): Promise<ShellSession> {
    return this.ensure();
  }

  /**
   * Starts the shell without waiting for it (the model's first request needs
   * none; a `bash` call waits through `shell()`). A start that fails is told
   * to `onFailed`; one cut short by `close()` is not a failure.
   */
  warmUp(onFailed: (error: unknown) => void): void {
    this.ensure().catch((error: unknown) => {
      if (!(error instanceof ShellClosedError)) onFailed(error);
    });
  }

  /** A fresh shell in the agent's folder; it prints `notice` first, for the developer watching. */
  async restart(notice?: string): Promise<ShellSession> {
    // A start in flight ends first, so this restart replaces its shell instead of joining it.
    await this.#opening?.catch(() => undefined);
    await this.close();
    this.#opening ??= this.#open(notice).finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  /** Ends the shell and whatever command runs in its foreground (which may ignore the hangup). */
  async close(): Promise<void> {
    this.#closes += 1;
    const terminal = this.#terminal;
    this.#session?.dispose();
    this.#session = undefined;
    this.#terminal = undefined;
    if (!terminal) return;
    if (terminal.alive) await killForeground(terminal.pid);
    await this.#host.close(terminal.id).catch(() => undefined);
  }

  /** The user's rc as a snapshot, when they are to be loaded and one can be taken. */
  #snapshot(): Promise<ShellSnapshot | null> {
    return snapshotFor(this.#settings);
  }

  async #open(notice?: string): Promise<ShellSession> {
    const closes = this.#closes + 1;
    await this.close();
    // Closed meanwhile (a stop or removal while the last shell ended): no shell is wanted now.
    if (this.#closes !== closes) throw new ShellClosedError();
    mkdirSync(this.#settings.stateDir, { recursive: true });
    const snapshot = await this.#snapshot();
    if (this.#closes !== closes) throw new ShellClosedError();
    const launch = prepareShellLaunch({
      stateDir: this.#settings.stateDir,
      sourceUserRc: this.#settings.sourceUserRc,
      shell: this.#settings.shell,
      snapshot,
    });
    const terminal = this.#host.open({
      agentId: this.#agentId,
      name: `Agent ${this.#agentId.slice(0, 8)}`,
      cwd: this.#cwd,
      file: launch.file,
      args: launch.args,
      env: {
        ...NON_INTERACTIVE_ENV,
        ...launch.env,
        TROIKA_AGENT_ID: this.#agentId,
        ...(notice ? { [SHELL_NOTICE_ENV]: notice } : {}),
      },
    });
    const session = new ShellSession(terminal, {
      dialect: launch.dialect,
      scriptDir: this.#settings.stateDir,
      detectMs: this.#settings.detectMs,
      graces: this.#settings.graces,
    });
    this.#terminal = terminal;
    this.#session = session;
    this.#onChange();
    await session.ready();
    return session;
  }
}
