/**
 * Landing end to end: web mode in Chromium against the scripted Messages API
 * server; an agent commits in its worktree, the user merges it from the
 * panel. Screenshots go to test-results/ (landing-*.png).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { saveScreenshot } from './support/chromium.ts';
import { openConsole, startAgent, waitForStatus, type AgentRequest } from './support/console.ts';
import { consoleSuite } from './support/suite.ts';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim();

/** The agent writes `file` and commits it on its branch, then finishes with a report. */
function commitsThenFinishes(file: string, text: string, summary: string) {
  return ({ step }: AgentRequest) =>
    step === 0
      ? {
          toolUses: [
            {
              name: 'bash',
              input: {
                command: `printf '${text}\\n' > ${file} && git add ${file} && git -c user.email=a@b -c user.name=Agent commit -qm 'agent: ${file}'`,
              },
            },
          ],
        }
      : { toolUses: [{ name: 'finish', input: { status: 'COMPLETE', summary } }] };
}

const resolvesConflict = (request: AgentRequest) => {
  if (request.step < 2)
    return commitsThenFinishes('README.md', 'agent line', 'Changed the README.')(request);
  if (request.step === 2)
    return {
      toolUses: [
        {
          name: 'bash',
          input: {
            command: `printf 'user line\\nagent line\\n' > README.md && git add README.md && git -c user.email=a@b -c user.name=Agent commit -q --no-edit`,
          },
        },
      ],
    };
  return {
    toolUses: [{ name: 'finish', input: { status: 'COMPLETE', summary: 'Kept both lines.' } }],
  };
};

const scenarios = {
  'land-clean': commitsThenFinishes('feature.txt', 'feature', 'Added feature.txt with a line.'),
  'land-dirty': commitsThenFinishes('README.md', 'agent readme', 'Rewrote the README.'),
  'land-gate': commitsThenFinishes('gated.txt', 'gated', 'Added gated.txt.'),
  'land-conflict': resolvesConflict,
};

describe('landing', () => {
  const suite = consoleSuite(scenarios);

  test('a clean squash merge from the panel lands one commit with provenance trailers', async () => {
    const repo = suite.workspaces.repo('land-clean');
    const before = git(repo, 'rev-parse', 'main');
    const { context, page } = await openConsole(suite.browser, suite.app);
    const panel = await startAgent(page, {
      task: 'land-clean: add a feature file',
      workspace: repo,
    });
    await waitForStatus(panel, /done/i);
    await panel.getByRole('button', { name: 'Merge' }).click();
    const dialog = page.getByRole('dialog', { name: /Merge into main/ });
    await dialog.getByText(/Clean merge: 1 file \(feature\.txt\)/).waitFor();
    const message = dialog.getByLabel('Commit message');
    assert.match(await message.inputValue(), /Added feature\.txt with a line\./);
    await message.fill('Add the feature file\n\nReviewed in Troika.');
    await dialog.getByRole('radio', { name: /Squash/ }).check();
    await saveScreenshot(page, 'landing-preview');
    await dialog.getByRole('button', { name: 'Merge into main' }).click();
    await dialog.getByText(/Landed on main as [0-9a-f]{12}/).waitFor();
    await saveScreenshot(page, 'landing-landed');

    assert.equal(git(repo, 'rev-parse', 'main^'), before, 'one squash commit on top of main');
    assert.equal(readFileSync(join(repo, 'feature.txt'), 'utf8'), 'feature\n');
    assert.equal(git(repo, 'status', '--porcelain'), '', 'the checkout is clean, not half-merged');
    const body = git(repo, 'log', '-1', '--format=%B', 'main');
    assert.match(body, /^Add the feature file\n\nReviewed in Troika\./);
    assert.match(body, /^Troika-Agent: troika\/land-clean-add-a-feature-file-[0-9a-f]{4}$/m);
    assert.match(body, /^Troika-Task: land-clean: add a feature file$/m);
    assert.match(body, /^Troika-Model: \S+$/m);
    assert.match(body, /^Troika-Tokens: \d+$/m);
    assert.match(body, /^Troika-Cost: \$\d+\.\d{4}$/m);
    assert.match(body, /^Troika-Gates: none found$/m);
    // The agent's terminal is still open in its panel: its worktree goes once that is gone, not under it.
    assert.match(git(repo, 'branch', '--list', 'troika/*'), /troika\/land-clean-/);
    await context.close();
  });

  test('a merge is refused while the checkout has uncommitted edits it would touch, and they stay', async () => {
    const repo = suite.workspaces.repo('land-dirty');
    const { context, page } = await openConsole(suite.browser, suite.app);
    const panel = await startAgent(page, {
      task: 'land-dirty: rewrite the readme',
      workspace: repo,
    });
    await waitForStatus(panel, /done/i);
    writeFileSync(join(repo, 'README.md'), 'my unsaved notes\n');
    const before = git(repo, 'rev-parse', 'main');
    await panel.getByRole('button', { name: 'Merge' }).click();
    const dialog = page.getByRole('dialog', { name: /Merge into main/ });
    await dialog
      .getByRole('alert')
      .filter({ hasText: 'main has uncommitted changes the merge would touch: README.md' })
      .waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Merge into main' }).count(), 0);
    await saveScreenshot(page, 'landing-refused');
    assert.equal(git(repo, 'rev-parse', 'main'), before);
    assert.equal(readFileSync(join(repo, 'README.md'), 'utf8'), 'my unsaved notes\n');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The Worktrees view lists the unlanded branch and will not drop it without the file list confirmed.
    await page.getByRole('button', { name: 'Worktrees' }).click();
    const worktrees = page.getByRole('dialog', { name: 'Worktrees' });
    const entry = worktrees.getByRole('listitem').filter({ hasText: 'troika/land-dirty-rewrite' });
    await entry.getByText('commits not in its target').waitFor();
    await entry.getByRole('button', { name: 'Remove…' }).click();
    await entry
      .getByRole('alert')
      .filter({ hasText: 'deletes this work for good: README.md' })
      .waitFor();
    await entry.getByRole('button', { name: 'Yes, delete this work' }).click();
    await entry.waitFor({ state: 'detached' });
    await worktrees
      .getByRole('listitem')
      .filter({ hasText: 'troika/land-clean-' })
      .getByText('Cleaned up automatically once its agent')
      .waitFor();
    assert.equal(git(repo, 'branch', '--list', 'troika/*'), '');
    assert.equal(readFileSync(join(repo, 'README.md'), 'utf8'), 'my unsaved notes\n');
    await context.close();
  });

  test('a failing gate shows its output and keeps the merge out; merge anyway lands and is recorded', async () => {
    const repo = suite.workspaces.repo('land-gate');
    mkdirSync(join(repo, '.troika'));
    writeFileSync(
      join(repo, '.troika', 'project.json'),
      JSON.stringify({
        detect: false,
        gates: [{ name: 'check', command: 'echo checking-the-gate; exit 3', timeoutSeconds: 30 }],
      }),
    );
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'gates');
    const before = git(repo, 'rev-parse', 'main');
    const { context, page } = await openConsole(suite.browser, suite.app);
    const panel = await startAgent(page, { task: 'land-gate: add a gated file', workspace: repo });
    await waitForStatus(panel, /done/i);
    await panel.getByRole('button', { name: 'Merge' }).click();
    const dialog = page.getByRole('dialog', { name: /Merge into main/ });
    await dialog.getByText('echo checking-the-gate; exit 3').waitFor();
    await dialog.getByRole('button', { name: 'Merge into main' }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: 'Gate failed: check (failed). Nothing landed.' })
      .waitFor();
    await dialog.locator('.xterm-rows').filter({ hasText: 'checking-the-gate' }).waitFor();
    await saveScreenshot(page, 'landing-gate-failed');
    assert.equal(git(repo, 'rev-parse', 'main'), before, 'nothing landed');
    await dialog.getByRole('button', { name: 'Merge anyway' }).click();
    await dialog
      .getByText(/Landed on main as [0-9a-f]{12} \(merged anyway despite failed gates\)/)
      .waitFor();
    assert.match(
      git(repo, 'log', '-1', '--format=%B', 'main'),
      /^Troika-Gates: failed: check \(failed\); merged anyway$/m,
    );
    await context.close();
  });

  test('a conflict is shown with both sides, handed to the agent, resolved, and then lands', async () => {
    const repo = suite.workspaces.repo('land-conflict', { 'README.md': 'start\n' });
    const { context, page } = await openConsole(suite.browser, suite.app);
    const panel = await startAgent(page, {
      task: 'land-conflict: change the readme',
      workspace: repo,
    });
    await waitForStatus(panel, /done/i);
    writeFileSync(join(repo, 'README.md'), 'user line\n');
    git(repo, 'commit', '-q', '-am', 'user edit');
    await panel.getByRole('button', { name: 'Merge' }).click();
    const dialog = page.getByRole('dialog', { name: /Merge into main/ });
    const conflict = dialog.getByRole('region', { name: 'Conflict in README.md' });
    await conflict.getByText('user line').waitFor();
    await conflict.getByText('agent line').waitFor();
    await saveScreenshot(page, 'landing-conflict');
    await dialog.getByRole('button', { name: 'Ask the agent to resolve' }).click();
    await dialog.getByText(/Clean merge: 1 file \(README\.md\)/).waitFor({ timeout: 40_000 });
    assert.equal(
      readFileSync(join(repo, 'README.md'), 'utf8'),
      'user line\n',
      'the checkout untouched meanwhile',
    );
    await dialog.getByRole('button', { name: 'Merge into main' }).click();
    await dialog.getByText(/Landed on main/).waitFor();
    assert.equal(readFileSync(join(repo, 'README.md'), 'utf8'), 'user line\nagent line\n');
    await context.close();
  });
});
