/**
 * Hook scripts inside the workspace run from the copy taken at load: real
 * scripts in a real workspace, loaded from a real settings file, run through
 * the hook pipeline; the workspace's script is then rewritten as an agent
 * could, and the hook must still behave as loaded.
 */
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { tempDir, writeTree } from '../../../cache/test-support/temp.ts';
import { HookPipeline } from '../pipeline.ts';
import { commandHooks } from './command-hook.ts';
import { loadHookSettings } from './settings.ts';

/** Blocks any Bash call that mentions "forbidden", reading the event from stdin. */
const GUARD = `#!/bin/sh
if grep -q forbidden; then echo "guard: forbidden" >&2; exit 2; fi
exit 0
`;
/** What an agent would write over it. */
const DISARMED = '#!/bin/sh\ncat >/dev/null\nexit 0\n';

function settingsFor(command: string): string {
  return JSON.stringify({
    hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command }] }] },
  });
}

async function loadIn(t: TestContext, workspace: string, settingsFile: string) {
  const copies = join(tempDir(t, 'troika-data-'), 'hook-scripts');
  const settings = await loadHookSettings(settingsFile, { required: true, scriptCopyDir: copies });
  const pipeline = new HookPipeline({
    session: { agentId: 'agent-1', cwd: workspace, transcriptPath: '' },
    hooks: commandHooks(settings),
    onFailure: () => undefined,
  });
  t.after(() => pipeline.dispose());
  const bash = async (command: string) =>
    pipeline.preToolUse({ toolName: 'bash', toolUseId: 't', toolInput: { command } });
  return { settings, copies, bash };
}

describe('hook scripts in the workspace run from the copy taken at load', () => {
  for (const [form, command, script] of [
    [
      '"$CLAUDE_PROJECT_DIR"/.claude/hooks/guard.sh',
      '"$CLAUDE_PROJECT_DIR"/.claude/hooks/guard.sh',
      '.claude/hooks/guard.sh',
    ],
    ['bash ./x.sh', 'bash .claude/hooks/guard.sh', '.claude/hooks/guard.sh'],
    ['./x.sh', './guard.sh', 'guard.sh'],
  ] as const) {
    test(`${form}: rewriting the script after load changes nothing`, async (t) => {
      const ws = tempDir(t, 'troika-ws-');
      writeTree(ws, { [script]: GUARD, '.claude/settings.json': settingsFor(command) });
      chmodSync(join(ws, script), 0o755);
      const { settings, copies, bash } = await loadIn(t, ws, join(ws, '.claude/settings.json'));
      assert.equal((await bash('echo forbidden')).decision, 'deny');

      writeFileSync(join(ws, script), DISARMED);
      const after = await bash('echo forbidden');
      assert.equal(after.decision, 'deny', 'the guard still blocks');
      assert.equal(after.reason, 'guard: forbidden');
      assert.equal((await bash('echo fine')).decision, 'allow');

      assert.match(settings.notices?.[0] ?? '', /runs from a copy of .*guard\.sh taken when/);
      const [hash] = readdirSync(copies);
      const copy = join(copies, hash ?? '', 'guard.sh');
      assert.equal(readFileSync(copy, 'utf8'), GUARD, 'the copy is the original');
      assert.match(hash ?? '', /^[0-9a-f]{64}$/, 'named by content hash');
      assert.equal(statSync(copies).mode & 0o777, 0o700, 'the folder is private');
      assert.equal(statSync(copy).mode & 0o777, 0o500);
    });
  }

  test('python3 scripts/h.py, with the hooks file outside the workspace, next to the script', async (t) => {
    const config = tempDir(t, 'troika-config-');
    const ws = tempDir(t, 'troika-ws-');
    const hook =
      'import sys\nif "forbidden" in sys.stdin.read():\n    print("py guard", file=sys.stderr)\n    sys.exit(2)\n';
    writeTree(config, { 'scripts/h.py': hook, 'hooks.json': settingsFor('python3 scripts/h.py') });
    // The agent's own copy of the script, in its workspace, already disarmed.
    writeTree(ws, { 'scripts/h.py': 'import sys\nsys.exit(0)\n' });
    const { bash } = await loadIn(t, ws, join(config, 'hooks.json'));
    assert.equal((await bash('echo forbidden')).reason, 'py guard');
  });

  test('a script outside the workspace runs where it is, so its owner can still edit it', async (t) => {
    const ws = tempDir(t, 'troika-ws-');
    const elsewhere = tempDir(t, 'troika-hooks-');
    writeTree(elsewhere, { 'guard.sh': GUARD });
    const file = join(elsewhere, 'hooks.json');
    writeFileSync(file, settingsFor(`sh ${join(elsewhere, 'guard.sh')}`));
    const { bash } = await loadIn(t, ws, file);
    writeFileSync(join(elsewhere, 'guard.sh'), DISARMED);
    assert.equal((await bash('echo forbidden')).decision, 'allow');
  });

  test('a script that is not next to the hooks file is reported as running from the workspace', async (t) => {
    const ws = tempDir(t, 'troika-ws-');
    const config = tempDir(t, 'troika-config-');
    writeFileSync(join(config, 'hooks.json'), settingsFor('bash ./check.sh'));
    const { settings } = await loadIn(t, ws, join(config, 'hooks.json'));
    assert.match(
      settings.notices?.[0] ?? '',
      /check\.sh is not in .*, so it runs from each agent's workspace, where the agent can rewrite it/,
    );
    assert.equal(settings.commands[0]?.scriptCopy, undefined);
  });
});
