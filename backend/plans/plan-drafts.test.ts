import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PlanDraft } from '../protocol/payloads/plan-drafts.ts';
import { INTERRUPTED_PLANNER, PlanDrafts } from './plan-drafts.ts';

const draft = (id: string, state: PlanDraft['state'], createdAt: number): PlanDraft => ({
  id,
  name: id,
  goal: 'g',
  workspace: '/w',
  state,
  stateReason: null,
  agentId: null,
  model: 'architect',
  submissions: 0,
  maxSubmissions: 3,
  lastError: null,
  tasks: [],
  problems: [],
  dryRun: null,
  planId: null,
  createdAt,
  updatedAt: createdAt,
});

test('drafts outlive a restart; one whose planner was at work is failed with the reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'troika-drafts-'));
  try {
    const drafts = new PlanDrafts(dir);
    drafts.insert(draft('old', 'ready', 1));
    drafts.insert(draft('mid', 'proposing', 2));
    drafts.markPlanner('agent-1');
    writeFileSync(join(dir, 'broken.json'), '{ not json');
    const again = new PlanDrafts(dir);
    assert.deepEqual(
      again.list().map((d) => [d.id, d.state, d.stateReason]),
      [
        ['mid', 'failed', INTERRUPTED_PLANNER],
        ['old', 'ready', null],
      ],
    );
    assert.ok(again.isPlanner('agent-1'));
    assert.ok(!again.isPlanner('agent-2'));
    again.remove('old');
    assert.deepEqual(
      new PlanDrafts(dir).list().map((d) => d.id),
      ['mid'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
