import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { setTalkSettings, taskReviews } from './plan-talk.ts';
import type { PlanPorts, ReviewOutcome, ReviewRequest } from './ports.ts';
import type { ReviewVerdict } from './review-verdict.ts';
import { task } from './testing/fixtures.ts';
import { planHarness, type Harness } from './testing/plan-harness.ts';

const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.dispose();
});

const writes = (path: string) => () => ({ [path]: `${path}\n` });

const APPROVE: ReviewVerdict = { verdict: 'approve', summary: 'Fine.', findings: [], risks: [] };
const CHANGES: ReviewVerdict = {
  verdict: 'request_changes',
  summary: 'Not yet.',
  findings: [
    {
      file: 'x.txt',
      startLine: 1,
      endLine: 2,
      severity: 'blocker',
      claim: 'Wrong value',
      evidence: 'x.txt says x',
      suggestedFix: 'Say y',
    },
  ],
  risks: [],
};

/** Plugs a scripted reviewer into the harness's ports; returns the requests it got. */
function reviewer(
  h: Harness,
  verdict: (r: ReviewRequest) => ReviewVerdict | null | 'stopped',
): ReviewRequest[] {
  const seen: ReviewRequest[] = [];
  (h.ports as PlanPorts).review = async (request): Promise<ReviewOutcome> => {
    seen.push(request);
    const v = verdict(request);
    if (v === 'stopped')
      return {
        verdict: null,
        failure: 'it was stopped before it answered (Stopped by the user)',
        stopped: true,
        costUsd: 0.5,
        model: 'm',
      };
    return {
      verdict: v,
      failure: v ? null : 'It never called submit_review',
      costUsd: 0.5,
      model: 'm',
    };
  };
  return seen;
}

describe('review between the gates and the merge queue', () => {
  test('passes follow the size: none for S, one for M, two for XL; an approved task merges', async () => {
    const h = await planHarness(
      [task('s', { size: 'S' }), task('m', { size: 'M' }), task('xl', { size: 'XL' })],
      { s: writes('s.txt'), m: writes('m.txt'), xl: writes('xl.txt') },
    );
    harnesses.push(h);
    const seen = reviewer(h, () => APPROVE);
    await h.runner.start();
    assert.equal(await h.runner.settled(), 'done');
    assert.deepEqual(seen.map((r) => [r.task.id, r.round, r.pass, r.model]).sort(), [
      ['m', 1, 1, 'reviewer'],
      ['xl', 1, 1, 'reviewer'],
      ['xl', 1, 2, 'reviewer'],
    ]);
    // The reviewer's cost is the task's.
    assert.equal(h.runner.progress('xl').spentUsd, 0.01 + 2 * 0.5);
  });

  test('requests for changes go back to the builder with the findings, two rounds, then the task needs the user', async () => {
    const h = await planHarness([task('m')], { m: writes('x.txt') });
    harnesses.push(h);
    reviewer(h, () => CHANGES);
    await h.runner.start();
    assert.equal(await h.runner.settled(), 'blocked');
    const p = h.runner.progress('m');
    assert.equal(p.state, 'needs_user');
    assert.equal(p.reason, 'The reviewer still requests changes after 2 round(s)');
    // Three versions built: the first, then one per round of changes, each told the findings.
    assert.deepEqual(
      h.ports.calls.map((c) => c.feedback?.includes('[blocker] x.txt:1-2: Wrong value') ?? false),
      [false, true, true],
    );
    const reviews = taskReviews(h.store.evidence(h.planId), 'm');
    assert.deepEqual(
      reviews.map((r) => [r.round, r.verdict]),
      [
        [1, 'request_changes'],
        [2, 'request_changes'],
        [3, 'request_changes'],
      ],
    );
    assert.equal(reviews[0]?.findings[0]?.claim, 'Wrong value');
  });

  test('the user sending the task back gives it new rounds', async () => {
    const h = await planHarness([task('m')], { m: writes('x.txt') });
    harnesses.push(h);
    let calls = 0;
    reviewer(h, () => (++calls <= 3 ? CHANGES : APPROVE));
    await h.runner.start();
    assert.equal(await h.runner.settled(), 'blocked');
    h.runner.retryTask('m');
    assert.equal(await h.runner.settled(), 'done');
    assert.equal(h.runner.progress('m').state, 'merged');
  });

  test('a reviewer that gives no verdict leaves the task to the user', async () => {
    const h = await planHarness([task('m')], { m: writes('x.txt') });
    harnesses.push(h);
    reviewer(h, () => null);
    await h.runner.start();
    assert.equal(await h.runner.settled(), 'blocked');
    assert.equal(
      h.runner.progress('m').reason,
      'The reviewer gave no verdict: It never called submit_review',
    );
  });

  test('a reviewer stopped from its panel leaves the task to the user; a retry goes back to the same builder, then to review', async () => {
    const h = await planHarness([task('m')], { m: writes('x.txt') });
    harnesses.push(h);
    let calls = 0;
    reviewer(h, () => (++calls === 1 ? 'stopped' : APPROVE));
    await h.runner.start();
    assert.equal(await h.runner.settled(), 'blocked');
    const p = h.runner.progress('m');
    assert.equal(p.state, 'needs_user');
    assert.match(
      p.reason ?? '',
      /^The reviewer was stopped before its verdict \(it was stopped before it answered \(Stopped by the user\)\); the work is kept on \S+: retry the task/,
    );
    h.runner.retryTask('m');
    assert.equal(await h.runner.settled(), 'done');
    // The retry went to the builder with its work (feedback, not a fresh start), then the reviewer approved.
    assert.match(h.ports.calls[1]?.feedback ?? '', /its review was stopped/);
    assert.equal(calls, 2);
  });

  test('plan settings turn review on for a small task and off for a medium one', async () => {
    const h = await planHarness([task('s', { size: 'S' }), task('m')], {
      s: writes('s.txt'),
      m: writes('m.txt'),
    });
    harnesses.push(h);
    setTalkSettings(h.store, h.planId, { reviewTasks: ['s'], reviewPasses: { M: 0 } });
    const seen = reviewer(h, () => APPROVE);
    await h.runner.start();
    assert.equal(await h.runner.settled(), 'done');
    assert.deepEqual(
      seen.map((r) => r.task.id),
      ['s'],
    );
  });
});
