/** Agent terminals are ordinary PTY sessions of the app's manager (kind "agent"), so the UI lists and shows them like any other. */
import type { PtyManager } from '../pty/pty-manager.ts';
import type { AgentTerminalHost } from './terminal.ts';

/** The size an agent's terminal starts at, before a view attaches and resizes it. */
const INITIAL_COLS = 120;
const INITIAL_ROWS = 32;

export function ptyAgentTerminalHost(manager: PtyManager): AgentTerminalHost {
  return {
    open: (spawn) =>
      manager.spawn({
        kind: 'agent',
        name: spawn.name,
        cols: INITIAL_COLS,
        rows: INITIAL_ROWS,
        cwd: spawn.cwd,
        shell: spawn.file,
        args: spawn.args,
        env: spawn.env,
      }),
    close: async (id) => {
      if (manager.get(id)) await manager.close(id);
    },
  };
}
