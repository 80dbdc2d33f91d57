/**
 * An {@link AgentTerminalHost} straight over node-pty, for tests of the
 * runtime's terminal use without the app's PTY manager.
 */
import { randomUUID } from 'node:crypto';
import { loadNodePty, type IPty } from '../../../native/node-pty.ts';
import type { AgentTerminal, AgentTerminalHost, AgentTerminalSpawn } from '../terminal.ts';

class NodePtyTerminal implements AgentTerminal {
  readonly id = randomUUID();
  readonly pty: IPty;
  readonly pid: number;
  readonly exited: Promise<void>;
  alive = true;

  constructor(pty: IPty) {
    this.pty = pty;
    this.pid = pty.pid;
    this.exited = new Promise((resolve) =>
      pty.onExit(() => {
        this.alive = false;
        resolve();
      }),
    );
  }

  write(data: string): void {
    this.pty.write(data);
  }

  onData(listener: (output: { data: string }) => void) {
    return this.pty.onData((data) => listener({ data }));
  }

  onExit(listener: (exit: { exitCode: number }) => void) {
    return this.pty.onExit(({ exitCode }) => listener({ exitCode }));
  }
}

export class NodePtyHost implements AgentTerminalHost {
  readonly terminals = new Map<string, NodePtyTerminal>();
  /** Everything written by the runtime to each terminal, to assert on what the user saw typed. */
  readonly output = new Map<string, string>();

  open(spawn: AgentTerminalSpawn): AgentTerminal {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && k !== 'ANTHROPIC_API_KEY') env[k] = v;
    const pty = loadNodePty().spawn(spawn.file, spawn.args, {
      name: 'xterm-256color',
      cols: 120,
      rows: 30,
      cwd: spawn.cwd,
      env: { ...env, TERM: 'xterm-256color', ...spawn.env },
    });
    const terminal = new NodePtyTerminal(pty);
    this.terminals.set(terminal.id, terminal);
    this.output.set(terminal.id, '');
    terminal.onData(({ data }) =>
      this.output.set(terminal.id, (this.output.get(terminal.id) ?? '') + data),
    );
    return terminal;
  }

  async close(id: string): Promise<void> {
    const terminal = this.terminals.get(id);
    if (!terminal) return;
    this.terminals.delete(id);
    if (terminal.alive) {
      terminal.pty.kill('SIGKILL');
      await terminal.exited;
    }
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.terminals.keys()].map((id) => this.close(id)));
  }
}
