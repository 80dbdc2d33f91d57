import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileToolContext } from '../agent/tools/test-context.ts';
import type { FinishReport } from '../protocol/agent.ts';
import { RoleAgentLog } from './role-agent-log.ts';
import { answerTool } from './role-agent.ts';
import { ReviewInput, submitReviewTool, type ReviewVerdict } from './review-verdict.ts';

const dir = mkdtempSync(join(tmpdir(), 'troika-role-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a reviewer run again after a restart keeps its read-only tools; its verdict can no longer be taken', async () => {
  const file = join(dir, 'plans', 'role-agents.txt');
  new RoleAgentLog(file).mark('rev-1', 'submit_review');
  new RoleAgentLog(file).mark('plan-1', 'answer_question');
  // A new process reads the file.
  const log = new RoleAgentLog(file);
  const tools = log.toolsFor('rev-1');
  assert.ok(tools);
  assert.deepEqual(
    tools.definitions.map((d) => ('name' in d ? d.name : '')),
    ['str_replace_based_edit_tool', 'list_files', 'search_files', 'submit_review'],
  );
  assert.deepEqual(
    log
      .toolsFor('plan-1')
      ?.definitions.map((d) => ('name' in d ? d.name : ''))
      .at(-1),
    'answer_question',
  );
  const context = fileToolContext(dir);
  const result = await tools.run('submit_review', { verdict: 'approve', summary: 'ok' }, context);
  assert.equal(result.isError, true);
  assert.match(result.content, /ended when Troika restarted/);
  const write = await tools.run(
    'str_replace_based_edit_tool',
    { command: 'create', path: 'x.txt', file_text: 'x' },
    context,
  );
  assert.equal(write.isError, true);
  assert.equal(tools.has('bash'), false);
  // Any other agent gets the usual tools.
  assert.equal(log.toolsFor('builder-1'), undefined);
});

test('the answering tool: a malformed verdict is a tool error naming the problem; a valid one is kept and ends the run', async () => {
  const kept: ReviewVerdict[] = [];
  const reports: FinishReport[] = [];
  const tool = answerTool(
    {
      definition: submitReviewTool,
      schema: ReviewInput,
      summary: (v) => `${v.verdict}: ${v.summary}`,
    },
    (v) => kept.push(v),
  );
  const context = {
    ...fileToolContext(dir),
    finish: (report: FinishReport) => {
      reports.push(report);
      return Promise.resolve(null);
    },
  };
  const bad = await tool.run({ verdict: 'request_changes', summary: 'No.' }, context);
  assert.equal(bad.isError, true);
  assert.equal(
    bad.content,
    'Invalid submit_review: findings: request_changes needs at least one finding for the builder to act on. Fix it and call submit_review again.',
  );
  assert.deepEqual(kept, []);
  const good = await tool.run({ verdict: 'approve', summary: 'Meets it.' }, context);
  assert.equal(good.isError, false);
  assert.deepEqual(kept, [{ verdict: 'approve', summary: 'Meets it.', findings: [], risks: [] }]);
  assert.deepEqual(
    reports.map((r) => [r.status, r.summary]),
    [['COMPLETE', 'approve: Meets it.']],
  );
  const again = await tool.run({ verdict: 'approve', summary: 'Twice.' }, context);
  assert.equal(again.isError, true);
  assert.equal(kept.length, 1);
});
