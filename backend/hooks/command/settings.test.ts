import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { tempDir } from '../../../cache/test-support/temp.ts';
import {
  DEFAULT_COMMAND_TIMEOUT_SECONDS,
  HookSettingsError,
  loadHookSettings,
  parseHookSettings,
} from './settings.ts';

const FILE = '/home/me/.troika/settings.json';

function settingsError(value: unknown): string {
  try {
    parseHookSettings(value, FILE);
  } catch (error) {
    assert.ok(error instanceof HookSettingsError);
    return error.message;
  }
  assert.fail('expected a HookSettingsError');
}

describe('hook settings', () => {
  test('reads command hooks with matcher, command and timeout, in file order', () => {
    const settings = parseHookSettings(
      {
        permissions: { allow: [] },
        hooks: {
          PreToolUse: [
            {
              matcher: 'Bash|Edit',
              hooks: [{ type: 'command', command: './check.sh', timeout: 5 }],
            },
          ],
          Stop: [{ hooks: [{ type: 'command', command: 'npm test' }] }],
        },
      },
      FILE,
    );
    assert.deepEqual(settings.commands, [
      {
        event: 'PreToolUse',
        matcher: 'Bash|Edit',
        command: './check.sh',
        timeoutSeconds: 5,
        origin: `${FILE}: hooks.PreToolUse[0].hooks[0]`,
      },
      {
        event: 'Stop',
        matcher: undefined,
        command: 'npm test',
        timeoutSeconds: DEFAULT_COMMAND_TIMEOUT_SECONDS,
        origin: `${FILE}: hooks.Stop[0].hooks[0]`,
      },
    ]);
    assert.deepEqual(settings.warnings, []);
  });

  test('a command hook without a command is refused, naming the file and the field', () => {
    assert.equal(
      settingsError({ hooks: { PreToolUse: [{ hooks: [{ type: 'command' }] }] } }),
      `${FILE}: hooks.PreToolUse[0].hooks[0].command: a command hook needs a non-empty "command"`,
    );
  });

  test('a negative timeout is refused, naming the field', () => {
    assert.match(
      settingsError({
        hooks: { Stop: [{ hooks: [{ type: 'command', command: 'x', timeout: -1 }] }] },
      }),
      /hooks\.Stop\[0\]\.hooks\[0\]\.timeout: /,
    );
  });

  test('a matcher that is not a valid regular expression is refused', () => {
    assert.match(
      settingsError({ hooks: { PreToolUse: [{ matcher: 'Edit(', hooks: [] }] } }),
      /hooks\.PreToolUse\[0\]\.matcher: not a valid regular expression/,
    );
  });

  test('hooks that is not an object is refused', () => {
    assert.match(settingsError({ hooks: [] }), /^\/home\/me\/\.troika\/settings\.json: hooks: /);
  });

  test('events and hook types Troika does not run are warnings, not errors', () => {
    const settings = parseHookSettings(
      {
        hooks: {
          SubagentStart: [{ hooks: [{ type: 'command', command: 'x' }] }],
          PostToolUse: [{ hooks: [{ type: 'prompt', prompt: 'judge it' }] }],
        },
      },
      FILE,
    );
    assert.deepEqual(settings.commands, []);
    assert.equal(settings.warnings.length, 2);
    assert.match(
      settings.warnings[0] ?? '',
      /hooks\.SubagentStart: Troika does not run SubagentStart hooks \(a plan's agent starts as a whole agent: its SessionStart hooks run\)/,
    );
    assert.match(
      settings.warnings[1] ?? '',
      /hooks\.PostToolUse\[0\]\.hooks\[0\]: Troika runs only "command" hooks, not "prompt"/,
    );
  });

  test('the matcher of a UserPromptSubmit or Stop hook is ignored, as in Claude Code', () => {
    const settings = parseHookSettings(
      { hooks: { Stop: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'x' }] }] } },
      FILE,
    );
    assert.equal(settings.commands[0]?.matcher, undefined);
  });

  test('a SubagentStop hook loads without a warning; its matcher (an agent type) is ignored', () => {
    const settings = parseHookSettings(
      {
        hooks: {
          SubagentStop: [{ matcher: 'reviewer', hooks: [{ type: 'command', command: 'x' }] }],
        },
      },
      FILE,
    );
    assert.deepEqual(settings.warnings, []);
    assert.equal(settings.commands.length, 1);
    assert.equal(settings.commands[0]?.event, 'SubagentStop');
    assert.equal(settings.commands[0]?.matcher, undefined);
  });

  test("a file that is not JSON is refused with the parser's message", async (t) => {
    const file = join(tempDir(t, 'troika-hooks-'), 'settings.json');
    writeFileSync(file, '{ "hooks": ');
    await assert.rejects(loadHookSettings(file), (error: unknown) => {
      assert.ok(error instanceof HookSettingsError);
      assert.match(error.message, /settings\.json: is not valid JSON \(/);
      return true;
    });
  });

  test('a missing file means no hooks, unless required', async (t) => {
    const file = join(tempDir(t, 'troika-hooks-'), 'none.json');
    assert.deepEqual((await loadHookSettings(file)).commands, []);
    await assert.rejects(loadHookSettings(file, { required: true }), /none\.json: cannot be read/);
  });
});
