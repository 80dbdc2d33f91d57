import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { shellParagraph } from '../system-prompt.ts';
import { agentShellIdentity, prepareShellLaunch, shellNameOf } from './shell-integration.ts';

const dir = mkdtempSync(join(tmpdir(), 'troika-integration-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('shell launch', () => {
  test('fish loads a generated file through --init-command, skipping the user config only when asked', () => {
    const without = prepareShellLaunch({
      stateDir: dir,
      sourceUserRc: false,
      shell: '/usr/bin/fish',
    });
    const rc = join(dir, 'troika.fish');
    assert.deepEqual(without.args, ['--no-config', '--init-command', `source '${rc}'`, '-i']);
    assert.equal(without.dialect, 'fish');
    const withUser = prepareShellLaunch({
      stateDir: dir,
      sourceUserRc: true,
      shell: '/usr/bin/fish',
    });
    assert.deepEqual(withUser.args, ['--init-command', `source '${rc}'`, '-i']);
    const text = readFileSync(rc, 'utf8');
    assert.match(text, /--on-event fish_preexec\n\s+printf '\\e\]633;C\\a'/);
    assert.match(text, /--on-event fish_postexec\n\s+printf '\\e\]633;D;%s\\a' \$status/);
    assert.match(text, /--on-event fish_prompt\n\s+printf '\\e\]633;A\\a'/);
    assert.match(text, /set -g fish_history ''/);
  });

  test('PowerShell runs without profile, with script files allowed for this process', () => {
    const launch = prepareShellLaunch({
      stateDir: dir,
      platform: 'win32',
      shell: 'C:\\Program Files\\PowerShell\\7\\pwsh.exe',
    });
    assert.deepEqual(launch.args, ['-NoLogo', '-NoProfile', '-ExecutionPolicy', 'Bypass']);
    assert.equal(launch.dialect, 'powershell');
  });

  test('bash and zsh rc files print a restart notice once', () => {
    prepareShellLaunch({ stateDir: dir, sourceUserRc: false, shell: '/bin/bash' });
    prepareShellLaunch({ stateDir: dir, sourceUserRc: false, shell: '/usr/bin/zsh' });
    for (const file of [join(dir, 'bashrc'), join(dir, 'zsh', '.zshrc')]) {
      assert.match(
        readFileSync(file, 'utf8'),
        /\[ -n "\$TROIKA_SHELL_NOTICE" \] && printf '%s\\n' "\$TROIKA_SHELL_NOTICE"; unset TROIKA_SHELL_NOTICE/,
      );
    }
  });
});

describe('which shell the model is told about', () => {
  test('names come from the shell file', () => {
    assert.equal(shellNameOf('/usr/bin/fish'), 'fish');
    assert.equal(shellNameOf('/bin/zsh'), 'zsh');
    assert.equal(shellNameOf('/usr/local/bin/bash'), 'bash');
    assert.equal(shellNameOf('C:\\Program Files\\PowerShell\\7\\pwsh.exe'), 'PowerShell');
    assert.equal(
      shellNameOf('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'),
      'PowerShell',
    );
    assert.equal(shellNameOf('/bin/dash'), 'sh');
  });

  test('macOS runs zsh, Linux bash, and an override wins', () => {
    const exists = () => true;
    assert.deepEqual(agentShellIdentity({ platform: 'darwin', exists }), {
      name: 'zsh',
      os: 'macOS',
    });
    assert.deepEqual(agentShellIdentity({ platform: 'linux', exists }), {
      name: 'bash',
      os: 'Linux',
    });
    assert.deepEqual(agentShellIdentity({ platform: 'linux', exists: () => false }), {
      name: 'sh',
      os: 'Linux',
    });
    assert.deepEqual(agentShellIdentity({ platform: 'linux', shell: '/usr/bin/fish' }), {
      name: 'fish',
      os: 'Linux',
    });
  });

  test('the system prompt names the real shell and OS, and fish and PowerShell syntax', () => {
    const bash = shellParagraph({ name: 'bash', os: 'Linux' }, 300_000);
    assert.match(bash, /real interactive bash shell on Linux/);
    assert.match(bash, /longer than 300 seconds is stopped/);
    const fish = shellParagraph({ name: 'fish', os: 'macOS' }, 300_000);
    assert.match(
      fish,
      /interactive fish shell on macOS .*the tool is named bash, but the shell is fish/,
    );
    assert.match(fish, /Write fish syntax: `set -x NAME value`/);
    const pwsh = shellParagraph({ name: 'PowerShell', os: 'Windows' }, 60_000);
    assert.match(pwsh, /interactive PowerShell shell on Windows/);
    assert.match(pwsh, /Write PowerShell syntax/);
  });
});
