/**
 * Freshness after shell edits: a file changed by a `bash` command (`sed -i`,
 * `git checkout`) and read right after is never answered from the token
 * cache with its old content. The real loop, the real PTY and git, and the
 * token cache with the file watching the app uses on this platform (not
 * `watch: 'none'`): the cache learns of the change from the watcher, and the
 * hook waits for it after every shell command.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { Turn } from '../testing/messages-server/index.ts';
import { Harness, resultText } from './testing/harness.ts';
import type { ToolTiming } from './tool-call.ts';

const FILE = Array.from(
  { length: 80 },
  (_, i) => `export const value${i} = 'one'; // line ${i}`,
).join('\n');
const view: Turn = {
  toolUses: [{ name: 'str_replace_based_edit_tool', input: { command: 'view', path: 'a.ts' } }],
};
const bash = (command: string): Turn => ({ toolUses: [{ name: 'bash', input: { command } }] });
const list: Turn = { toolUses: [{ name: 'list_files', input: {} }] };

let h: Harness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

/** Plays `script` with the token cache on and references off (every read is a full result: cached or fresh). */
async function play(script: Turn[], prepare: (ws: string) => void, approvals = 0) {
  const timings: ToolTiming[] = [];
  h = await Harness.start({
    server: { script: [...script, { text: 'Done.' }] },
    hooks: {
      watch: undefined,
      economy: { global: () => ({ tokenCache: true, references: false, clearing: false }) },
    },
    manager: { onToolTiming: (_id, timing) => timings.push(timing) },
  });
  const ws = h.folder('ws');
  prepare(ws);
  const { id } = await h.manager.start({ task: 'Read, change, read.', workspace: ws });
  // `git checkout -- file` discards changes: the user approves it, as in the app.
  for (let i = 0; i < approvals; i++) {
    const waiting = await h.waitForState(id, 'waiting_approval');
    h.manager.approve(id, waiting.pendingApproval?.toolUseId ?? '');
  }
  await h.waitForState(id, 'done');
  const last = h.server.messageRequests.length - 1;
  const results = h
    .body(last)
    .messages.flatMap((m) => m.content.filter((b) => b['type'] === 'tool_result'))
    .map((b) => resultText(b['content']));
  return { results, timings };
}

const git = (ws: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: ws,
  });

test('a file rewritten by sed -i is read fresh, and the unchanged read before it was a cache hit', async () => {
  const { results, timings } = await play(
    [view, list, view, bash("sed -i 's/one/two/' a.ts"), view],
    (ws) => writeFileSync(join(ws, 'a.ts'), FILE),
  );
  assert.equal(timings[2]?.answeredByHook, true, 'the cache answers an unchanged file');
  assert.match(results[4] ?? '', /value0 = 'two'/);
  assert.doesNotMatch(results[4] ?? '', /'one'/);
  assert.equal(timings[4]?.answeredByHook, false);
});

test('a file restored by git checkout is read as restored, after its edited content was cached', async () => {
  const { results } = await play(
    [view, bash("sed -i 's/one/two/' a.ts"), view, view, bash('git checkout -- a.ts'), view],
    (ws) => {
      writeFileSync(join(ws, 'a.ts'), FILE);
      git(ws, 'init', '-q');
      git(ws, 'add', 'a.ts');
      git(ws, 'commit', '-qm', 'a');
    },
    1,
  );
  assert.match(results[3] ?? '', /value0 = 'two'/, 'the edited content, cached');
  assert.match(results[5] ?? '', /value0 = 'one'/);
  assert.doesNotMatch(results[5] ?? '', /'two'/);
});

test('a file a formatter rewrites in place, to the same size, is read fresh', async () => {
  // As prettier or gofmt write: truncate and write the new text into the same inode, no rename.
  const format =
    "node -e \"const fs=require('fs');fs.writeFileSync('a.ts',fs.readFileSync('a.ts','utf8').replaceAll(\\\"'one'\\\",\\\"'uno'\\\"))\"";
  const { results, timings } = await play([view, list, view, bash(format), view], (ws) =>
    writeFileSync(join(ws, 'a.ts'), FILE),
  );
  assert.equal(timings[2]?.answeredByHook, true, 'the cache answers an unchanged file');
  assert.match(results[4] ?? '', /value0 = 'uno'/);
  assert.doesNotMatch(results[4] ?? '', /'one'/);
  assert.equal(timings[4]?.answeredByHook, false);
});
