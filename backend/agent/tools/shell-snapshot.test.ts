/**
 * Shell snapshots with a made-up home folder and real bash and zsh in a real
 * terminal: the agent's shell has the rc's aliases, functions, options and
 * exported variables, without its prompt hooks or the secrets Troika keeps
 * out of terminals; the rc runs once for many shells and again after it
 * changes; an rc that hangs or fails leaves the shell to source it itself.
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { AgentTerminalSession, snapshotFor } from '../terminal-session.ts';
import { NodePtyHost } from '../testing/node-pty-host.ts';
import { shellSnapshot } from './shell-snapshot.ts';

const root = mkdtempSync(join(tmpdir(), 'troika-snapshot-'));
after(() => rmSync(root, { recursive: true, force: true }));
// The rc files are the made-up home's: this file runs in its own process.
const home = join(root, 'home');
mkdirSync(join(home, 'bin'), { recursive: true });
process.env['HOME'] = home;
process.env['ZDOTDIR'] = home;
writeFileSync(join(home, 'bin', 'mytool'), '#!/bin/sh\necho tool-on-path\n', { mode: 0o755 });

const SECRET = 'sk-ant-rc-secret-0123456789';

/** What both rc files do: count their runs, and set up an alias, a function and variables. */
const COMMON_RC = `echo run >> "$HOME/rc-runs"
alias hi='echo alias-ok'
greet() { echo "func-ok $1"; }
export TROIKA_TEST_VAR=from-rc
export PATH="$HOME/bin:$PATH"
export ANTHROPIC_API_KEY=${SECRET}
`;

const shells = [
  {
    file: '/bin/bash',
    rc: '.bashrc',
    text: `${COMMON_RC}shopt -s globstar
PROMPT_COMMAND='echo hook >> "$HOME/hook-ran"'
`,
    option: 'shopt -q globstar && echo option-on',
  },
  {
    file: '/usr/bin/zsh',
    rc: '.zshrc',
    text: `${COMMON_RC}setopt extendedglob
precmd() { echo hook >> "$HOME/hook-ran"; }
`,
    option: '[[ -o extendedglob ]] && echo option-on',
  },
];

for (const shell of shells) {
  const name = shell.file.split('/').pop() ?? '';
  describe(`${name}: the user's rc as a snapshot`, () => {
    const snapshotDir = join(root, `${name}-snapshots`);
    const hosts: NodePtyHost[] = [];
    const terminals: AgentTerminalSession[] = [];
    afterEach(async () => {
      for (const terminal of terminals.splice(0)) await terminal.close();
      for (const host of hosts.splice(0)) await host.dispose();
    });

    function open(): AgentTerminalSession {
      const host = new NodePtyHost();
      const work = mkdtempSync(join(root, `${name}-work-`));
      const terminal = new AgentTerminalSession(
        `agent-${terminals.length}`,
        work,
        host,
        {
          stateDir: join(work, '.state'),
          sourceUserRc: true,
          snapshotDir,
          shell: shell.file,
          detectMs: 10_000,
        },
        () => undefined,
      );
      hosts.push(host);
      terminals.push(terminal);
      return terminal;
    }

    const runs = () => readFileSync(join(home, 'rc-runs'), 'utf8').split('\n').filter(Boolean);

    test('the shell has what the rc set up, not its prompt hook or the API key', async () => {
      rmSync(join(home, 'rc-runs'), { force: true });
      rmSync(join(home, 'hook-ran'), { force: true });
      writeFileSync(join(home, shell.rc), shell.text);
      const session = await open().shell();
      const command = `hi; greet x; echo "var=$TROIKA_TEST_VAR"; mytool; ${shell.option}; echo "key=\${ANTHROPIC_API_KEY:-none}"`;
      const result = await session.run(command, { timeoutMs: 10_000 });
      assert.equal(result.exitCode, 0, result.output);
      assert.deepEqual(result.output.trim().split(/\r?\n/), [
        'alias-ok',
        'func-ok x',
        'var=from-rc',
        'tool-on-path',
        'option-on',
        'key=none',
      ]);
      await session.run('true', { timeoutMs: 10_000 });
      assert.equal(existsSync(join(home, 'hook-ran')), false, 'the prompt hook did not run');
      const snapshot = await snapshotFor({ sourceUserRc: true, snapshotDir, shell: shell.file });
      assert.ok(snapshot);
      // The environment stays in memory: neither the variable nor the key is in the file.
      const text = readFileSync(snapshot.file, 'utf8');
      assert.doesNotMatch(text, /from-rc|sk-ant-rc-secret/);
      assert.equal(statSync(snapshot.file).mode & 0o777, 0o600);
      assert.equal(snapshot.env['ANTHROPIC_API_KEY'], undefined);
      assert.deepEqual(runs(), ['run'], 'the rc ran once, for the snapshot');
    });

    test('shells share one snapshot until the rc changes', async () => {
      rmSync(join(home, 'rc-runs'), { force: true });
      writeFileSync(join(home, shell.rc), shell.text);
      const [one, two] = await Promise.all([open().shell(), open().shell()]);
      for (const session of [one, two])
        assert.equal((await session.run('hi', { timeoutMs: 10_000 })).output.trim(), 'alias-ok');
      assert.deepEqual(runs(), ['run']);

      writeFileSync(join(home, shell.rc), `${shell.text}alias bye='echo changed-ok'\n`);
      const later = new Date(Date.now() + 5_000);
      utimesSync(join(home, shell.rc), later, later);
      const three = await open().shell();
      assert.equal((await three.run('bye', { timeoutMs: 10_000 })).output.trim(), 'changed-ok');
      assert.deepEqual(runs(), ['run', 'run']);
    });

    test('an rc that hangs or exits early is sourced by the shell instead, and said once', async () => {
      const reasons: string[] = [];
      writeFileSync(join(home, shell.rc), 'sleep 30\n');
      const hung = await shellSnapshot({
        shell: shell.file,
        dir: join(root, `${name}-hung`),
        timeoutMs: 500,
        onFallback: (reason) => reasons.push(reason),
      });
      assert.equal(hung, null);
      writeFileSync(join(home, shell.rc), 'exit 3\n');
      const later = new Date(Date.now() + 10_000);
      utimesSync(join(home, shell.rc), later, later);
      const failed = await shellSnapshot({
        shell: shell.file,
        dir: join(root, `${name}-hung`),
        onFallback: (reason) => reasons.push(reason),
      });
      assert.equal(failed, null);
      assert.equal(reasons.length, 2);
      assert.match(reasons[0] ?? '', /took over 1 s|took over 0 s/);
      assert.match(reasons[1] ?? '', /exited with code 3/);
    });
  });
}
