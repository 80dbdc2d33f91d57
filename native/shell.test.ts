import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultShell, type ShellEnvironment } from './shell.ts';

const base: ShellEnvironment = {
  platform: 'linux',
  env: {},
  exists: () => true,
  loginShell: () => undefined,
};

test('linux uses $SHELL when it exists', () => {
  assert.equal(defaultShell({ ...base, env: { SHELL: '/usr/bin/zsh' } }).file, '/usr/bin/zsh');
});

test('linux falls back to bash when $SHELL is missing', () => {
  const shell = defaultShell({
    ...base,
    env: { SHELL: '/nope/fish' },
    exists: (f) => f === '/bin/bash',
  });
  assert.equal(shell.file, '/bin/bash');
});

test('macOS runs the login shell as a login shell', () => {
  assert.deepEqual(defaultShell({ ...base, platform: 'darwin', loginShell: () => '/bin/zsh' }), {
    file: '/bin/zsh',
    args: ['-l'],
  });
});

test('windows prefers PowerShell 7 and falls back to Windows PowerShell', () => {
  const win = {
    ...base,
    platform: 'win32' as const,
    env: { SystemRoot: 'C:\\Windows', ProgramFiles: 'C:\\Program Files' },
  };
  assert.match(
    defaultShell({ ...win, exists: () => false }).file,
    /WindowsPowerShell\\v1\.0\\powershell\.exe$/,
  );
  assert.match(defaultShell(win).file, /PowerShell\\7\\pwsh\.exe$/);
});
