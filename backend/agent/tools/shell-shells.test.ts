/**
 * The shells people have, for real, in a real PTY: bash, zsh (macOS's
 * default) and fish each report markers and exit codes, run multi-line
 * commands through a script file, and recover from a command that ignores
 * Ctrl-C and from an `exec` that drops the integration, through the bash tool
 * and the agent's terminal session as the agent uses them.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { isRunning } from '../../pty/process-alive.ts';
import { AgentTerminalSession } from '../terminal-session.ts';
import { NodePtyHost } from '../testing/node-pty-host.ts';
import { bashTool } from './bash.ts';
import type { ShellGraces } from './shell-escalation.ts';
import type { ToolContext } from './tool.ts';

const dir = mkdtempSync(join(tmpdir(), 'troika-shells-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const graces: ShellGraces = { interruptMs: 300, termMs: 300, killMs: 300, checkMs: 100 };

interface ShellCase {
  file: string;
  multiLine: string;
  /** A command that ignores Ctrl-C and prints the pid of the process that does. */
  immune: string;
  /** A command after which the shell no longer reports commands' ends. */
  dropIntegration: string;
}

const posixMultiLine =
  'x=1\nif [ $x = 1 ]; then\n\techo "tab ok!"\nfi\nthree() { return 3; }; three';
const cases: ShellCase[] = [
  {
    file: '/bin/bash',
    multiLine: posixMultiLine,
    immune: `trap '' INT; sh -c 'echo "pid=$$"; exec sleep 100000'`,
    dropIntegration: 'PROMPT_COMMAND=',
  },
  {
    file: '/usr/bin/zsh',
    multiLine: posixMultiLine,
    immune: `trap '' INT; sh -c 'echo "pid=$$"; exec sleep 100000'`,
    dropIntegration: 'add-zsh-hook -d precmd __troika_precmd',
  },
  {
    file: '/usr/bin/fish',
    multiLine:
      'set x 1\nif test $x = 1\n\techo "tab ok!"\nend\nfunction three; return 3; end; three',
    // fish's `trap` only sets a handler, which a child does not inherit; sh's ignore is inherited.
    immune: `sh -c 'trap "" INT; echo "pid=$$"; exec sleep 100000'`,
    dropIntegration: 'functions -e __troika_postexec',
  },
];

for (const shellCase of cases) {
  const name = shellCase.file.split('/').pop() ?? '';
  describe(`${name} in a real terminal`, () => {
    let host: NodePtyHost;
    let terminal: AgentTerminalSession;
    let work: string;
    afterEach(async () => {
      await terminal.close();
      await host.dispose();
    });

    function open(): void {
      host = new NodePtyHost();
      work = mkdtempSync(join(dir, `${name}-`));
      terminal = new AgentTerminalSession(
        'agent-1',
        work,
        host,
        {
          stateDir: join(work, '.state'),
          sourceUserRc: false,
          shell: shellCase.file,
          detectMs: 5_000,
          graces,
        },
        () => undefined,
      );
    }

    const context = (commandTimeoutMs: number, signal?: AbortSignal): ToolContext => ({
      workDir: work,
      signal: signal ?? new AbortController().signal,
      limits: { commandTimeoutMs, maxOutputChars: 30_000 },
      shell: () => terminal.shell(),
      restartShell: (notice) => terminal.restart(notice),
      askUser: () => Promise.reject(new Error('unused')),
    });

    test('reports markers by itself, and the exit codes 0, 1 and 42', async () => {
      open();
      assert.equal(await (await terminal.shell()).ready(), true);
      const shell = await terminal.shell();
      for (const [command, code] of [
        ['echo zero', 0],
        ['false', 1],
        [`sh -c 'exit 42'`, 42],
      ] as const) {
        const result = await shell.run(command, { timeoutMs: 10_000 });
        assert.equal(result.framed, true, command);
        assert.equal(result.exitCode, code, command);
      }
    });

    test('a multi-line command with tabs runs through a script file', async () => {
      open();
      const shell = await terminal.shell();
      const result = await shell.run(shellCase.multiLine, { timeoutMs: 10_000 });
      assert.equal(result.output.trim(), 'tab ok!');
      assert.equal(result.exitCode, 3);
      assert.match(host.output.get(terminal.ptyId ?? '') ?? '', /command-1\.(sh|fish)/);
    });

    test('a command that ignores Ctrl-C is killed and the next command runs at once', async () => {
      open();
      const result = await bashTool.run({ command: shellCase.immune }, context(500));
      assert.equal(result.isError, true);
      assert.match(
        result.content,
        /did not finish within 0.5 s; it ignored Ctrl-C and was killed \(SIGTERM\)/,
      );
      const pid = Number(/pid=(\d+)/.exec(result.content)?.[1]);
      assert.equal(isRunning(pid), false);
      const next = await bashTool.run({ command: 'echo ok' }, context(10_000));
      assert.deepEqual(next, { content: 'ok', isError: false });
    });

    test('an exec that drops the integration restarts the shell in the agent folder', async () => {
      open();
      await bashTool.run({ command: 'cd / && export TROIKA_MARK=set' }, context(10_000));
      const firstPty = terminal.ptyId;
      const result = await bashTool.run({ command: 'exec sh' }, context(60_000));
      assert.equal(result.isError, true);
      assert.match(result.content, /replaced by another program \(exec\)/);
      assert.match(
        result.content,
        new RegExp(
          `restarted in ${work}; environment variables and shell state set earlier are gone`,
        ),
      );
      assert.notEqual(terminal.ptyId, firstPty);
      const next = await bashTool.run(
        { command: 'echo "ok $PWD [$TROIKA_MARK]"' },
        context(10_000),
      );
      assert.deepEqual(next, { content: `ok ${work} []`, isError: false });
      // The developer sees why in the new terminal.
      assert.match(host.output.get(terminal.ptyId ?? '') ?? '', /Troika restarted this shell/);
    });

    test('a shell that stops reporting the end of commands is restarted at the timeout', async () => {
      open();
      const result = await bashTool.run({ command: shellCase.dropIntegration }, context(500));
      assert.equal(result.isError, true);
      assert.match(result.content, /lost its integration: it no longer reported when commands end/);
      assert.match(result.content, /The shell was restarted in /);
      const next = await bashTool.run({ command: 'echo ok' }, context(10_000));
      assert.deepEqual(next, { content: 'ok', isError: false });
    });

    test('stopping the agent kills a command that ignores Ctrl-C', async () => {
      open();
      const pidFile = join(work, 'pid');
      const stop = new AbortController();
      const running = bashTool.run(
        // A function, as `$$` in a replacement string would stand for a single `$`.
        { command: shellCase.immune.replace('echo "pid=$$"', () => `echo $$ > ${pidFile}`) },
        context(60_000, stop.signal),
      );
      await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
      const pid = Number(readFileSync(pidFile, 'utf8'));
      assert.equal(isRunning(pid), true);
      stop.abort();
      const result = await running;
      assert.match(result.content, /interrupted by the user; it ignored Ctrl-C and was killed/);
      assert.equal(isRunning(pid), false);
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
