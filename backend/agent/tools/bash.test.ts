import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { NodePtyHost } from '../testing/node-pty-host.ts';
import { bashTool } from './bash.ts';
import { prepareShellLaunch } from './shell-integration.ts';
import { ShellSession } from './shell-session.ts';
import type { ToolContext } from './tool.ts';

const dir = mkdtempSync(join(tmpdir(), 'troika-bash-'));
const host = new NodePtyHost();
const sessions: ShellSession[] = [];
after(async () => {
  for (const s of sessions) s.dispose();
  await host.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function openShell(): ShellSession {
  const launch = prepareShellLaunch({ stateDir: dir, sourceUserRc: false, shell: '/bin/bash' });
  const terminal = host.open({
    agentId: 'a',
    name: 't',
    cwd: dir,
    file: launch.file,
    args: launch.args,
    env: launch.env,
  });
  const session = new ShellSession(terminal, { dialect: launch.dialect, scriptDir: dir });
  sessions.push(session);
  return session;
}

let shell = openShell();
const context = (overrides: Partial<ToolContext['limits']> = {}): ToolContext => ({
  workDir: dir,
  signal: new AbortController().signal,
  limits: { commandTimeoutMs: 10_000, maxOutputChars: 30_000, ...overrides },
  shell: async () => shell,
  restartShell: async () => (shell = openShell()),
  askUser: () => Promise.reject(new Error('unused')),
});

describe('bash tool', () => {
  test('returns the output of a successful command', async () => {
    const result = await bashTool.run({ command: 'echo hi' }, context());
    assert.deepEqual(result, { content: 'hi', isError: false });
  });

  test('a failing command reports its exit code', async () => {
    const result = await bashTool.run({ command: 'ls /definitely-missing-dir' }, context());
    assert.match(result.content, /Exit code: 2$/);
  });

  test('very long output is truncated with a note saying how much was cut', async () => {
    const result = await bashTool.run(
      { command: 'seq 1 20000' },
      context({ maxOutputChars: 1000 }),
    );
    assert.ok(result.content.startsWith('1\n2\n3\n'));
    assert.match(result.content, /\d+ characters \(\d+ lines\) cut from the middle/);
    assert.match(result.content, /20000$/);
  });

  test('a command past its timeout is interrupted and reported as an error', async () => {
    const result = await bashTool.run({ command: 'sleep 20' }, context({ commandTimeoutMs: 300 }));
    assert.equal(result.isError, true);
    assert.match(
      result.content,
      /did not finish within 0\.3 s and was interrupted with Ctrl-C \(exit code 130\)/,
    );
  });

  test('restart gives a fresh shell', async () => {
    await bashTool.run({ command: 'export MARK=before' }, context());
    const restarted = await bashTool.run({ restart: true }, context());
    assert.equal(restarted.content, 'The shell was restarted.');
    const result = await bashTool.run({ command: 'echo "[$MARK]"' }, context());
    assert.equal(result.content, '[]');
  });
});
