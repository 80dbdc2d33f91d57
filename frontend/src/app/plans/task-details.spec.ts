import { TestBed } from '@angular/core/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TaskDiff, TaskGates } from '../../../../backend/protocol/payloads/plan-task-view.ts';
import type { PlanTaskStatus } from '../../../../backend/protocol/payloads/plans.ts';
import { FakeTransport } from '../../testing/fake-transport';
import { PROTOCOL_TRANSPORT } from '../core/transport-provider';
import { TaskDetails } from './task-details';

const merged: PlanTaskStatus = {
  taskId: '2',
  state: 'merged',
  level: 'retry',
  attempts: 2,
  spentUsd: 0.5,
  budgetUsd: null,
  remainingUsd: null,
  branch: 'troika/part-beta-1a2b',
  mergedCommit: 'abcdef0123456789abcdef0123456789abcdef01',
  reason: null,
  agentId: 'agent-7',
  overlaps: [],
};

const diff: TaskDiff = {
  planId: 'p1',
  taskId: '2',
  available: true,
  reason: null,
  source: 'merge',
  branch: 'troika/part-beta-1a2b',
  base: '111111111111',
  head: 'abcdef012345',
  note: null,
  files: [
    {
      path: 'parts/b.txt',
      oldPath: null,
      status: 'added',
      additions: 1,
      deletions: 0,
      binary: false,
      patch:
        'diff --git a/parts/b.txt b/parts/b.txt\nnew file mode 100644\n--- /dev/null\n+++ b/parts/b.txt\n@@ -0,0 +1 @@\n+b\n',
      truncated: false,
    },
    {
      path: 'README.md',
      oldPath: null,
      status: 'modified',
      additions: 1,
      deletions: 1,
      binary: false,
      patch:
        'diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-old title\n+new title\n',
      truncated: false,
    },
    {
      path: 'big.txt',
      oldPath: null,
      status: 'added',
      additions: 90000,
      deletions: 0,
      binary: false,
      patch: '',
      truncated: true,
    },
  ],
  totals: { files: 3, additions: 90002, deletions: 1 },
  omitted: { files: 1, bytes: 3 * 1024 * 1024 },
};

const longOutput = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n');
const gates: TaskGates = {
  planId: 'p1',
  taskId: '2',
  attempts: [
    {
      attempt: 1,
      level: 'retry',
      model: 'claude-sonnet-5-5',
      startedAt: 1,
      runs: [
        {
          where: 'task',
          passed: false,
          at: 2,
          durationMs: 1530,
          output: '$ npm run test (failed)\nBUG found in b.txt',
          checks: [
            {
              name: 'test',
              command: 'npm run test',
              status: 'failed',
              exitCode: 1,
              durationMs: 1530,
              output: `${longOutput}\nBUG found in b.txt`,
            },
          ],
        },
      ],
    },
    {
      attempt: 2,
      level: 'retry',
      model: 'claude-sonnet-5-5',
      startedAt: 3,
      runs: [
        {
          where: 'task',
          passed: true,
          at: 4,
          durationMs: 420,
          output: '',
          checks: [
            {
              name: 'test',
              command: 'npm run test',
              status: 'passed',
              exitCode: 0,
              durationMs: 420,
              output: 'parts ok',
            },
          ],
        },
        // Recorded before each command was kept: the combined output only.
        {
          where: 'integration',
          passed: true,
          at: 5,
          durationMs: null,
          output: 'parts ok (integrated)',
          checks: [],
        },
      ],
    },
  ],
};

describe('TaskDetails', () => {
  let transport: FakeTransport;

  beforeEach(() => {
    transport = new FakeTransport();
    transport.handle('plans.taskDiff', () => diff);
    transport.handle('plans.taskGates', () => gates);
    TestBed.configureTestingModule({
      providers: [{ provide: PROTOCOL_TRANSPORT, useValue: transport }],
    });
  });

  const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim();
  /** Laid out side by side (flex gaps, no spaces between): each leaf's text, spaced. */
  const words = (el: Element | null | undefined): string =>
    !el
      ? ''
      : el.children.length === 0
        ? (text(el) ?? '')
        : [...el.children].map(words).filter(Boolean).join(' ');

  async function render(status: PlanTaskStatus = merged) {
    const fixture = TestBed.createComponent(TaskDetails);
    fixture.componentRef.setInput('planId', 'p1');
    fixture.componentRef.setInput('status', status);
    fixture.componentRef.setInput('title', 'Part Beta');
    fixture.componentRef.setInput('stateLabel', 'merged');
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const settle = async (ready: () => boolean, what: string) =>
      vi.waitFor(() => {
        fixture.detectChanges();
        if (!ready()) throw new Error(`Not shown yet (${what}): ${el.textContent}`);
      });
    const openTab = async (label: string, pane: string) => {
      const tab = [...el.querySelectorAll<HTMLElement>('[role="tab"]')].find(
        (t) => text(t) === label,
      );
      tab?.click();
      await settle(() => el.querySelector(`[data-pane="${pane}"]`) !== null, label);
    };
    return { fixture, el, settle, openTab };
  }

  it('asks for the task’s diff and gate runs, and its Panel tab leads to the agent’s panel', async () => {
    const { fixture, el } = await render();
    const revealed = vi.fn();
    fixture.componentInstance.reveal.subscribe(revealed);
    await vi.waitFor(() =>
      expect(transport.sent.map((r) => r.method).sort()).toEqual([
        'plans.taskDiff',
        'plans.taskGates',
      ]),
    );
    expect(transport.sent[0]?.params).toEqual({ id: 'p1', taskId: '2' });
    const panel = el.querySelector('[data-pane="panel"]');
    expect(text(panel)).toContain('merged · attempts 2');
    expect(text(panel)).toContain('Merged as abcdef012345');
    const button = [...(panel?.querySelectorAll('button') ?? [])].find((b) =>
      text(b)?.startsWith('Show its agent'),
    );
    button?.click();
    expect(revealed).toHaveBeenCalledTimes(1);
  });

  it('Diff lists the files with their counts and shows the chosen one coloured by line, saying what was left out', async () => {
    const { el, openTab, settle, fixture } = await render();
    await openTab('Diff', 'diff');
    await settle(() => el.querySelector('[data-file]') !== null, 'files');
    const files = [...el.querySelectorAll('[data-file]')].map(words);
    expect(files).toEqual(['A parts/b.txt +1 −0', 'M README.md +1 −1', 'A big.txt +90000 −0']);
    expect(text(el.querySelector('[data-diff-summary]'))).toBe(
      'Merge abcdef012345 on the plan’s branch: 3 files +90002 −1',
    );
    expect(text(el.querySelector('[data-diff-omitted]'))).toBe(
      'The diff is too large to show whole: 1 file cut or left out, 3.0 MB not shown.',
    );
    const lines = (kind: string) =>
      [...el.querySelectorAll(`.line[data-kind="${kind}"]`)].map((l) => l.textContent?.trim());
    expect(lines('add')).toEqual(['+b']);

    (el.querySelector('[data-file="README.md"]') as HTMLElement).click();
    fixture.detectChanges();
    expect(lines('del')).toEqual(['-old title']);
    expect(lines('add')).toEqual(['+new title']);

    (el.querySelector('[data-file="big.txt"]') as HTMLElement).click();
    fixture.detectChanges();
    expect(words(el.querySelector('.file-head'))).toBe('big.txt left out: the diff is too large');
    expect(el.querySelector('tk-diff-view')).toBeNull();
  });

  it('Gates shows each attempt’s runs: the failing command with its exit, time and output, then the passing ones', async () => {
    const { el, openTab, settle, fixture } = await render();
    await openTab('Gates', 'gates');
    await settle(() => el.querySelector('[data-attempt]') !== null, 'attempts');
    const attempts = [...el.querySelectorAll('[data-attempt]')];
    expect(attempts.map((a) => text(a.querySelector('h5')))).toEqual([
      'Attempt 1 · claude-sonnet-5-5',
      'Attempt 2 · claude-sonnet-5-5',
    ]);
    const first = attempts[0]!;
    expect(words(first.querySelector('.run-head'))).toBe(
      'failed Gates in the task’s worktree 1.5 s',
    );
    expect(words(first.querySelector('.check-head'))).toBe('failed $ npm run test exit 1 · 1.5 s');
    // Long output shows its end (where the failure is) until "Show all".
    const pre = () => first.querySelector('pre');
    expect(pre()?.textContent).toContain('BUG found in b.txt');
    expect(pre()?.textContent).not.toContain('line 1\n');
    expect(text(first.querySelector('.more'))).toBe('29 earlier lines hidden Show all');
    (first.querySelector('.more button') as HTMLButtonElement).click();
    fixture.detectChanges();
    expect(pre()?.textContent?.startsWith('line 1\n')).toBe(true);

    const second = attempts[1]!;
    expect([...second.querySelectorAll('.run')].map((r) => r.getAttribute('data-where'))).toEqual([
      'task',
      'integration',
    ]);
    expect(words(second.querySelector('.check-head'))).toBe('passed $ npm run test 420 ms');
    expect(words(second.querySelector('[data-where="integration"] .run-head'))).toBe(
      'passed Gates on the merge into the plan’s branch',
    );
    expect(text(second.querySelector('[data-where="integration"] pre'))).toBe(
      'parts ok (integrated)',
    );
  });

  it('a task without a branch says why there is no diff; a malformed answer is named, not shown', async () => {
    transport.handle('plans.taskDiff', () => ({
      ...diff,
      available: false,
      reason: 'No branch yet: the task has not started, so there is no work to show.',
      files: [],
    }));
    transport.handle('plans.taskGates', () => ({ planId: 'p1', taskId: '3', attempts: 'none' }));
    const waiting = {
      ...merged,
      taskId: '3',
      state: 'waiting' as const,
      branch: null,
      mergedCommit: null,
      agentId: null,
      attempts: 0,
    };
    const { el, openTab, settle } = await render(waiting);
    expect(text(el.querySelector('[data-pane="panel"]'))).toContain(
      'No agent has worked on this task yet.',
    );
    await openTab('Diff', 'diff');
    await settle(() => el.querySelector('[data-diff-reason]') !== null, 'reason');
    expect(text(el.querySelector('[data-diff-reason]'))).toMatch(/^No branch yet/);
    await openTab('Gates', 'gates');
    await settle(() => el.querySelector('[role="alert"]') !== null, 'error');
    expect(text(el.querySelector('[role="alert"]'))).toMatch(
      /The backend's answer to "plans.taskGates" was malformed: attempts/,
    );
  });
});
