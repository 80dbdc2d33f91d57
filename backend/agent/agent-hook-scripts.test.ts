/**
 * A project's own hook script guards the agent working in it: the hooks file
 * is the repository's `.claude/settings.json`, its script is committed in
 * `.claude/hooks/`, and the agent, in its worktree, rewrites that script.
 * The hook must go on behaving as loaded. Real SDK against the local
 * Messages server, real git, PTY and database.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { writeTree } from '../../cache/test-support/temp.ts';
import { Harness, resultText } from './testing/harness.ts';

let h: Harness | undefined;
let repo: string | undefined;
afterEach(async () => {
  await h?.dispose();
  if (repo) rmSync(repo, { recursive: true, force: true });
  h = undefined;
  repo = undefined;
});

const GUARD = `#!/bin/sh
if grep -q forbidden; then echo "project guard: no forbidden commands" >&2; exit 2; fi
exit 0
`;

function projectRepo(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'troika-project-')));
  writeTree(dir, {
    'README.md': 'x',
    '.claude/hooks/guard.sh': GUARD,
    '.claude/settings.json': JSON.stringify({
      hooks: {
        PreToolUse: [
          {
            matcher: 'Bash',
            hooks: [{ type: 'command', command: '"$CLAUDE_PROJECT_DIR"/.claude/hooks/guard.sh' }],
          },
        ],
      },
    }),
  });
  chmodSync(join(dir, '.claude/hooks/guard.sh'), 0o755);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('-c', 'user.email=t@e', '-c', 'user.name=t', 'commit', '-q', '-m', 'init');
  return dir;
}

test("an agent that rewrites the project's hook script does not disarm the hook", async () => {
  repo = projectRepo();
  h = await Harness.start({
    server: {
      script: [
        {
          toolUses: [
            {
              name: 'bash',
              input: { command: "printf '#!/bin/sh\\nexit 0\\n' > .claude/hooks/guard.sh" },
            },
          ],
        },
        { toolUses: [{ name: 'bash', input: { command: 'echo forbidden' } }] },
        { text: 'Blocked, as expected.' },
      ],
    },
    hooks: { hooksFile: join(repo, '.claude/settings.json') },
  });
  const started = await h.manager.start({ task: 'try it', workspace: repo });
  await h.waitForState(started.id, 'done');

  assert.notEqual(started.workDir, repo, 'the agent works in its own worktree');
  assert.equal(
    readFileSync(join(started.workDir, '.claude/hooks/guard.sh'), 'utf8'),
    '#!/bin/sh\nexit 0\n',
    'the agent did rewrite the script in its worktree',
  );
  const [blocked] = h.toolResults(2);
  assert.equal(blocked?.is_error, true);
  assert.match(resultText(blocked?.content), /project guard: no forbidden commands/);

  const note = h
    .eventsOf('agent.hook', started.id)
    .find((report) => report.event === 'Load' && report.outcome === 'note');
  assert.match(note?.message ?? '', /\.claude\/hooks\/guard\.sh runs from a copy of .* taken when/);
  assert.equal(note?.effect, null);
});
