/**
 * What the agent runtime needs of a terminal: the same PTY the user watches.
 * `backend/pty/`'s `PtySession` has this shape; tests may use any other.
 */

export interface TerminalSubscription {
  dispose(): void;
}

export interface AgentTerminal {
  /** The terminal's id in the PTY manager, so the UI can show it. */
  readonly id: string;
  /** The shell's process id: the runtime reads the terminal's foreground process group through it. */
  readonly pid: number;
  readonly alive: boolean;
  write(data: string): void;
  onData(listener: (output: { data: string }) => void): TerminalSubscription;
  onExit(listener: (exit: { exitCode: number }) => void): TerminalSubscription;
}

export interface AgentTerminalSpawn {
  agentId: string;
  /** A short name for the terminal tab. */
  name: string;
  cwd: string;
  file: string;
  args: string[];
  env: Record<string, string>;
}

/** Opens and closes agent terminals; the app backs it with the PTY manager. */
export interface AgentTerminalHost {
  open(spawn: AgentTerminalSpawn): AgentTerminal;
  /** Ends the terminal's process and forgets it; resolves when it is gone. */
  close(id: string): Promise<void>;
}
