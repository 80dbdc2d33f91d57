import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { NodePtyHost } from '../testing/node-pty-host.ts';
import { prepareShellLaunch } from './shell-integration.ts';
import { ShellSession } from './shell-session.ts';

const dir = mkdtempSync(join(tmpdir(), 'troika-shell-'));
const host = new NodePtyHost();
const sessions: ShellSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) s.dispose();
  await host.dispose();
});
after(() => rmSync(dir, { recursive: true, force: true }));

function open(
  shell: string | undefined,
  detectMs = shell === '/bin/sh' ? 1000 : 3000,
): ShellSession {
  const stateDir = mkdtempSync(join(dir, 'state-'));
  const launch = prepareShellLaunch({ stateDir, sourceUserRc: false, shell });
  const terminal = host.open({
    agentId: 'a',
    name: 't',
    cwd: dir,
    file: launch.file,
    args: launch.args,
    env: launch.env,
  });
  const session = new ShellSession(terminal, {
    dialect: launch.dialect,
    scriptDir: stateDir,
    detectMs,
  });
  sessions.push(session);
  return session;
}

describe('shell session (bash with integration)', () => {
  test('bash reports markers by itself', async () => {
    assert.equal(await open('/bin/bash').ready(), true);
  });

  test('output between the markers and the exit code are reported', async () => {
    const shell = open('/bin/bash');
    const result = await shell.run('echo hello; echo world; false', { timeoutMs: 10_000 });
    assert.equal(result.output.trim(), 'hello\nworld');
    assert.equal(result.exitCode, 1);
    assert.equal(result.framed, true);
  });

  test('the echoed command line is not part of the output', async () => {
    const shell = open('/bin/bash');
    const result = await shell.run('printf "%s\\n" only-this', { timeoutMs: 10_000 });
    assert.equal(result.output.trim(), 'only-this');
  });

  test('a multi-line command with tabs runs as one', async () => {
    const shell = open('/bin/bash');
    const result = await shell.run(
      'x=1\nif [ $x = 1 ]; then\n\techo "tab ok!"\nfi\nexit_code_test() { return 3; }; exit_code_test',
      {
        timeoutMs: 10_000,
      },
    );
    assert.equal(result.output.trim(), 'tab ok!');
    assert.equal(result.exitCode, 3);
  });

  test('state persists between commands, as in a terminal', async () => {
    const shell = open('/bin/bash');
    await shell.run('cd /tmp && export TROIKA_X=42', { timeoutMs: 10_000 });
    const result = await shell.run('echo "$PWD $TROIKA_X"', { timeoutMs: 10_000 });
    assert.equal(result.output.trim(), '/tmp 42');
  });

  test('a command that outlives its timeout is interrupted and says so', async () => {
    const shell = open('/bin/bash');
    const result = await shell.run('echo started; sleep 30', { timeoutMs: 500 });
    assert.equal(result.timedOut, true);
    assert.match(result.output, /started/);
    assert.equal(result.exitCode, 130);
    const next = await shell.run('echo still usable', { timeoutMs: 10_000 });
    assert.equal(next.output.trim(), 'still usable');
  });

  test('aborting interrupts the running command', async () => {
    const shell = open('/bin/bash');
    const controller = new AbortController();
    const running = shell.run('sleep 30', { timeoutMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    const result = await running;
    assert.equal(result.interrupted, true);
    assert.equal(result.timedOut, false);
  });

  test('a shell that exits during a command is reported', async () => {
    const shell = open('/bin/bash');
    const result = await shell.run('exit 7', { timeoutMs: 10_000 });
    assert.equal(result.shellExited, true);
    assert.equal(shell.alive, false);
  });
});

describe('shell session (sh without integration)', () => {
  test('sh is detected as not integrated', async () => {
    assert.equal(await open('/bin/sh').ready(), false);
  });

  test('wrapped commands still report output and exit code', async () => {
    const shell = open('/bin/sh');
    const result = await shell.run('echo from-sh; (exit 4)', { timeoutMs: 10_000 });
    assert.equal(result.output.trim(), 'from-sh');
    assert.equal(result.exitCode, 4);
  });

  test('when no marker ever arrives, the timeout returns what was seen with the exit code unknown', async () => {
    const shell = open('/bin/sh');
    await shell.ready();
    // `cat` waits for input forever and swallows the wrapper's end marker.
    const result = await shell.run('cat', { timeoutMs: 500 });
    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, null);
  });
});
