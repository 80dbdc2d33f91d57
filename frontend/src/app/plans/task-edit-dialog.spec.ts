import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  PlanDetail,
  PlanTask,
  PlanTaskStatus,
} from '../../../../backend/protocol/payloads/plans.ts';
import { BackendError, FakeTransport } from '../../testing/fake-transport';
import { PROTOCOL_TRANSPORT } from '../core/transport-provider';
import { TaskEditDialog, type TaskEditData } from './task-edit-dialog';
import { TaskHands } from './task-hands';

const task = (id: string, dependencies: string[] = []): PlanTask => ({
  id,
  title: `Task ${id}`,
  description: `Do ${id}`,
  details: '',
  acceptanceCriteria: ['it works'],
  testStrategy: '',
  dependencies,
  priority: 'medium',
  size: 'M',
  role: 'builder',
  model: null,
  files: ['a.txt'],
  status: 'pending',
  external: {},
});

function status(fields: Partial<PlanTaskStatus> = {}): PlanTaskStatus {
  return {
    taskId: 'a',
    state: 'needs_user',
    level: 'user',
    attempts: 3,
    spentUsd: 0,
    budgetUsd: null,
    remainingUsd: null,
    branch: 'troika/task-a',
    mergedCommit: null,
    reason: 'Needs you: the gates failed',
    agentId: null,
    overlaps: [],
    ...fields,
  };
}

const detail: PlanDetail = {
  plan: {
    id: 'p1',
    slug: 'parts',
    name: 'Parts',
    goal: '',
    state: 'blocked',
    stateReason: null,
    integrationBranch: 'troika/plan-parts',
    budgetUsd: null,
    spentUsd: 0,
    remainingUsd: null,
    taskCount: 2,
    mergedCount: 0,
    createdAt: 1,
  },
  tasks: [{ ...task('a'), description: 'Write a.txt without the bug' }, task('b', ['a'])],
  status: [status(), status({ taskId: 'b', state: 'waiting', reason: null, branch: null })],
  dryRun: { waves: [['a'], ['b']], holds: [], estimate: { tasks: [], totalUsd: 0, basis: '' } },
};

const text = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim();

function type(el: HTMLElement, field: string, value: string): void {
  const input = el.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-field="${field}"]`);
  if (!input) throw new Error(`No field ${field}`);
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

describe('TaskEditDialog', () => {
  let transport: FakeTransport;
  let close: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    transport = new FakeTransport();
    close = vi.fn();
    const data: TaskEditData = { planId: 'p1', task: task('a'), others: ['b'] };
    TestBed.configureTestingModule({
      providers: [
        { provide: PROTOCOL_TRANSPORT, useValue: transport },
        { provide: MAT_DIALOG_DATA, useValue: data },
        { provide: MatDialogRef, useValue: { close } },
      ],
    });
  });

  function render() {
    const fixture = TestBed.createComponent(TaskEditDialog);
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const save = () => el.querySelector<HTMLButtonElement>('[data-save]')!;
    return { fixture, el, save };
  }

  it('shows the task’s fields, saves only what changed, and closes with the plan', async () => {
    transport.handle('plans.editTask', () => detail);
    const { fixture, el, save } = render();
    expect(el.querySelector<HTMLTextAreaElement>('[data-field="description"]')?.value).toBe('Do a');
    expect(el.querySelector<HTMLTextAreaElement>('[data-field="criteria"]')?.value).toBe(
      'it works',
    );
    expect(save().disabled).toBe(true);

    type(el, 'description', 'Write a.txt without the bug');
    type(el, 'files', 'a.txt\n\nsrc/*.ts\n');
    fixture.detectChanges();
    expect(save().disabled).toBe(false);
    save().click();
    await vi.waitFor(() => expect(close).toHaveBeenCalled());
    expect(transport.sent.find((r) => r.method === 'plans.editTask')?.params).toEqual({
      id: 'p1',
      taskId: 'a',
      changes: { description: 'Write a.txt without the bug', files: ['a.txt', 'src/*.ts'] },
    });
    expect((close.mock.calls[0]?.[0] as PlanDetail).tasks[0]?.description).toBe(
      'Write a.txt without the bug',
    );
  });

  it('shows the backend’s named refusal (a cycle) and stays open', async () => {
    transport.handle('plans.editTask', () => {
      throw new BackendError(
        'invalid_params',
        'The edit makes the plan invalid: Dependency cycle: a → b → a (each task waits for the one before it)',
      );
    });
    const { fixture, el, save } = render();
    type(el, 'dependencies', 'b');
    fixture.detectChanges();
    save().click();
    await vi.waitFor(() => {
      fixture.detectChanges();
      expect(text(el.querySelector('[role="alert"]'))).toContain('Dependency cycle: a → b → a');
    });
    expect(transport.sent.at(-1)?.params).toMatchObject({ changes: { dependencies: ['b'] } });
    expect(close).not.toHaveBeenCalled();
  });
});

describe('TaskHands', () => {
  let transport: FakeTransport;

  beforeEach(() => {
    transport = new FakeTransport();
    TestBed.configureTestingModule({
      providers: [{ provide: PROTOCOL_TRANSPORT, useValue: transport }],
    });
  });

  function render(s: PlanTaskStatus) {
    const fixture = TestBed.createComponent(TaskHands);
    fixture.componentRef.setInput('planId', 'p1');
    fixture.componentRef.setInput('status', s);
    fixture.componentRef.setInput('tasks', detail.tasks);
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const button = (label: string) =>
      [...el.querySelectorAll('button')].find((b) => text(b) === label);
    return { fixture, el, button };
  }

  it('takes a task that needs you over and opens a shell in its worktree', async () => {
    transport.handle('plans.takeOver', () => ({ branch: 'troika/task-a', worktree: '/w/a' }));
    transport.handle('pty.spawn', () => ({ id: 'pty1', pid: 1, shell: '/bin/sh' }));
    const { fixture, el, button } = render(status());
    expect(button('Edit')).toBeDefined();
    button('Take over')!.click();
    await vi.waitFor(() => {
      fixture.detectChanges();
      expect(text(el.querySelector('[data-worktree]'))).toBe('shell opened in /w/a');
    });
    expect(transport.sent.find((r) => r.method === 'pty.spawn')?.params).toMatchObject({
      cwd: '/w/a',
      name: 'Task a',
    });
  });

  it('a task taken over shows it, with Done and Give back instead of Edit', async () => {
    transport.handle('plans.handBack', () => detail);
    const { fixture, el, button } = render(status({ reason: 'Taken over by you' }));
    expect(text(el.querySelector('[data-taken-over]'))).toBe('taken over by you');
    expect(button('Edit')).toBeUndefined();
    expect(button('Give back')).toBeDefined();
    const changed = vi.fn();
    fixture.componentInstance.changed.subscribe(changed);
    button('Done, run the gates')!.click();
    await vi.waitFor(() => expect(changed).toHaveBeenCalled());
    expect(transport.sent.at(-1)).toMatchObject({
      method: 'plans.handBack',
      params: { id: 'p1', taskId: 'a' },
    });
  });

  it('a merged task has no hands on it', () => {
    const { button } = render(status({ state: 'merged', reason: null }));
    expect(button('Edit')).toBeUndefined();
    expect(button('Take over')).toBeUndefined();
  });
});
