import { TestBed } from '@angular/core/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlanDetail, PlanTaskStatus } from '../../../../backend/protocol/payloads/plans.ts';
import { FakeTransport } from '../../testing/fake-transport';
import { PROTOCOL_TRANSPORT } from '../core/transport-provider';
import { PlanRun } from './plan-run';

function status(taskId: string, fields: Partial<PlanTaskStatus> = {}): PlanTaskStatus {
  return {
    taskId,
    state: 'waiting',
    level: 'retry',
    attempts: 0,
    spentUsd: 0,
    budgetUsd: 1,
    remainingUsd: 1,
    branch: null,
    mergedCommit: null,
    reason: null,
    agentId: null,
    overlaps: [],
    ...fields,
  };
}

const task = (id: string, dependencies: string[] = []) => ({
  id,
  title: `Task ${id}`,
  description: `Do ${id}`,
  details: '',
  acceptanceCriteria: [],
  testStrategy: '',
  dependencies,
  priority: 'medium' as const,
  size: 'M' as const,
  role: 'builder' as const,
  model: null,
  files: [],
  status: 'pending',
  external: {},
});

const detail: PlanDetail = {
  plan: {
    id: 'p1',
    slug: 'parts',
    name: 'Parts',
    goal: '',
    state: 'running',
    stateReason: null,
    integrationBranch: 'troika/plan-parts',
    budgetUsd: 3,
    spentUsd: 1.75,
    remainingUsd: 1.25,
    taskCount: 3,
    mergedCount: 1,
    createdAt: 1,
  },
  tasks: [task('a'), task('b'), task('c', ['a', 'b'])],
  status: [
    status('a', {
      state: 'running',
      attempts: 1,
      spentUsd: 0.25,
      remainingUsd: 0.75,
      overlaps: [{ withTaskId: 'b', files: ['src/shared.ts'] }],
    }),
    status('b', {
      state: 'needs_user',
      attempts: 4,
      spentUsd: 1.5,
      remainingUsd: -0.5,
      overlaps: [{ withTaskId: 'a', files: ['src/shared.ts'] }],
    }),
    status('c'),
  ],
  dryRun: {
    waves: [['a', 'b'], ['c']],
    holds: [],
    estimate: { tasks: [], totalUsd: 0, basis: '' },
  },
};

describe('PlanRun', () => {
  let transport: FakeTransport;

  beforeEach(() => {
    transport = new FakeTransport();
    transport.handle('plans.get', () => detail);
    TestBed.configureTestingModule({
      providers: [{ provide: PROTOCOL_TRANSPORT, useValue: transport }],
    });
  });

  async function render() {
    const fixture = TestBed.createComponent(PlanRun);
    fixture.componentRef.setInput('planId', 'p1');
    fixture.detectChanges();
    await vi.waitFor(() => {
      fixture.detectChanges();
      const el = fixture.nativeElement as HTMLElement;
      if (!el.querySelector('[data-wave]')) throw new Error(`Not shown yet: ${el.textContent}`);
    });
    return fixture.nativeElement as HTMLElement;
  }

  const text = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim();

  it('shows the waves as columns with each task’s state, budget and live overlap', async () => {
    const el = await render();
    const waves = [...el.querySelectorAll('[data-wave]')].map((w) =>
      [...w.querySelectorAll('[data-task]')].map(
        (t) => `${t.getAttribute('data-task')}:${t.getAttribute('data-state')}`,
      ),
    );
    expect(waves).toEqual([['a:running', 'b:needs_user'], ['c:waiting']]);
    expect(text(el.querySelector('[data-plan-budget]'))).toBe('$1.75 of $3.00 spent · $1.25 left');
    const budget = (id: string) => text(el.querySelector(`[data-task="${id}"] [data-task-budget]`));
    expect(budget('a')).toBe('attempts 1 · $0.2500 of $1.00 · $0.7500 left');
    expect(budget('b')).toBe('attempts 4 · $1.50 of $1.00 · $0.5000 over');
    expect(text(el.querySelector('[data-task="a"] [data-overlap]'))).toBe(
      'overlaps b in src/shared.ts',
    );
    expect(el.querySelector('[data-task="c"] [data-overlap]')).toBeNull();
    const actions = [...el.querySelectorAll('[data-task="b"] .task-actions button')].map(text);
    expect(actions).toEqual(['Retry', 'Skip', 'Edit', 'Take over']);
  });

  it('clicking a task opens its details (Panel, Diff, Gates) under the graph; clicking it again closes them', async () => {
    // plans.taskDiff and plans.taskGates are left unanswered: this is about opening and closing.
    const el = await render();
    const card = () => el.querySelector('[data-task="c"] button.task') as HTMLButtonElement;
    expect(el.querySelector('[data-task-details]')).toBeNull();
    card().click();
    await vi.waitFor(() => {
      TestBed.tick();
      expect(el.querySelector('[data-task-details]')).not.toBeNull();
    });
    expect(card().getAttribute('aria-expanded')).toBe('true');
    expect(text(el.querySelector('[data-task-details] header strong'))).toBe('c · Task c');
    expect([...el.querySelectorAll('[data-task-details] [role="tab"]')].map(text)).toEqual([
      'Panel',
      'Diff',
      'Gates',
    ]);
    expect(
      transport.sent.filter((r) => r.method === 'plans.taskDiff').map((r) => r.params),
    ).toEqual([{ id: 'p1', taskId: 'c' }]);
    card().click();
    await vi.waitFor(() => {
      TestBed.tick();
      expect(el.querySelector('[data-task-details]')).toBeNull();
    });
  });

  it('downloads the plan’s pull-request description as a .md file', async () => {
    transport.handle('plans.describe', () => ({ fileName: 'plan-parts.md', text: '# Parts\n' }));
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this.download);
    });
    const el = await render();
    const button = [...el.querySelectorAll('button')].find(
      (b) => text(b) === 'PR description',
    ) as HTMLButtonElement;
    button.click();
    await vi.waitFor(() => expect(clicked).toEqual(['plan-parts.md']));
    expect(transport.sent.filter((r) => r.method === 'plans.describe')).toHaveLength(1);
    click.mockRestore();
  });
});
