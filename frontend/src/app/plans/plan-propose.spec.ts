/**
 * "New plan from a goal" through the real ProtocolClient (its border check
 * included) against a scripted backend: propose, the planner's progress while
 * it explores, its draft, a task edited (title, dependencies, size, files),
 * an edit with a cycle named, then approve.
 */
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PlanDraft } from '../../../../backend/protocol/payloads/plan-drafts.ts';
import type { PlanDetail, PlanTask } from '../../../../backend/protocol/payloads/plans.ts';
import { BackendError, FakeTransport } from '../../testing/fake-transport';
import { PROTOCOL_TRANSPORT } from '../core/transport-provider';
import { PlanPropose } from './plan-propose';

const task = (id: string, dependencies: string[] = []): PlanTask => ({
  id,
  title: `Task ${id}`,
  description: `Do ${id}`,
  details: '',
  acceptanceCriteria: [`${id} works`],
  testStrategy: 'npm test',
  dependencies,
  priority: 'medium',
  size: 'S',
  role: 'builder',
  model: null,
  files: [`src/${id}.ts`],
  status: 'pending',
  external: {},
});

const estimate = (tasks: PlanTask[]) => ({
  tasks: tasks.map((t) => ({
    taskId: t.id,
    size: t.size,
    model: 'claude-sonnet-5-5',
    inputTokens: 1,
    outputTokens: 1,
    costUsd: 0.1,
  })),
  totalUsd: 0.1 * tasks.length,
  basis: 'sizes times typical tokens',
});

function draft(patch: Partial<PlanDraft> = {}): PlanDraft {
  return {
    id: 'd1',
    name: '',
    goal: 'Greet',
    workspace: '/repo',
    state: 'proposing',
    stateReason: 'The planner is exploring the repository',
    agentId: 'agent-1',
    model: 'architect',
    submissions: 0,
    maxSubmissions: 3,
    lastError: null,
    tasks: [],
    problems: [],
    dryRun: null,
    planId: null,
    createdAt: 1,
    updatedAt: 1,
    ...patch,
  };
}

const proposed = [task('a'), task('b', ['a'])];
const ready = draft({
  state: 'ready',
  stateReason: 'The planner proposed this plan',
  name: 'Greeting',
  submissions: 2,
  lastError: 'The plan was not accepted (submission 1 of 3): Dependency cycle: a → b → a.',
  tasks: proposed,
  dryRun: { waves: [['a'], ['b']], holds: [], estimate: estimate(proposed) },
});

describe('PlanPropose', () => {
  let transport: FakeTransport;
  let fixture: ComponentFixture<PlanPropose>;
  let current: PlanDraft;
  const el = () => fixture.nativeElement as HTMLElement;
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 0));
      fixture.detectChanges();
      await fixture.whenStable();
    }
  };
  const type = (target: Element | null, value: string) => {
    const input = target as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event(input.tagName === 'SELECT' ? 'change' : 'input'));
  };
  const button = (label: string) =>
    [...el().querySelectorAll('button')].find((b) => b.textContent?.trim() === label) as
      HTMLButtonElement | undefined;

  beforeEach(() => {
    transport = new FakeTransport();
    current = draft();
    transport.handle('plans.drafts', () => ({ drafts: [] }));
    transport.handle('plans.propose', () => current);
    transport.handle('plans.draft', () => current);
    TestBed.configureTestingModule({
      providers: [{ provide: PROTOCOL_TRANSPORT, useValue: transport }],
    });
    fixture = TestBed.createComponent(PlanPropose);
    fixture.detectChanges();
  });

  it('proposes from a goal, shows the planner at work, edits a task and approves the draft', async () => {
    await settle();
    type(el().querySelector('#propose-goal'), 'Greet in two languages');
    type(el().querySelector('#propose-workspace'), '/repo');
    fixture.detectChanges();
    button('Propose plan')?.click();
    await settle();
    expect(transport.sent.find((r) => r.method === 'plans.propose')?.params).toEqual({
      goal: 'Greet in two languages',
      workspace: '/repo',
    });
    expect(el().querySelector('[role=status]')?.textContent).toContain(
      'The planner is exploring the repository',
    );

    transport.emit('agent.transcript', {
      agentId: 'agent-1',
      entry: {
        kind: 'tool_call',
        toolUseId: 't1',
        name: 'str_replace_based_edit_tool',
        input: { command: 'view', path: 'README.md' },
      },
    });
    current = draft({ submissions: 1, lastError: ready.lastError });
    transport.emit('plans.draftChanged', { draftId: 'd1' });
    await settle();
    expect(el().querySelector('[aria-label="Planner steps"]')?.textContent).toContain(
      'read README.md',
    );
    expect(el().textContent).toContain('Submissions 1 of 3');
    expect(el().querySelector('.rejected')?.textContent).toContain('Dependency cycle: a → b → a');

    current = ready;
    transport.emit('plans.draftChanged', { draftId: 'd1' });
    await settle();
    expect(el().textContent).toContain('Draft ready for review');
    expect(el().querySelectorAll('[aria-label="Draft tasks"] fieldset')).toHaveLength(2);
    expect(el().querySelectorAll('tk-plan-waves [role=listitem]')).toHaveLength(2);

    // An edit that makes a cycle: the backend names it and approval waits.
    let edits: PlanTask[][] = [];
    transport.handle('plans.editDraft', (params: { tasks: PlanTask[] }) => {
      edits = [...edits, params.tasks];
      const cyclic = params.tasks.some((t) => t.id === 'a' && t.dependencies.includes('b'));
      current = cyclic
        ? {
            ...ready,
            state: 'failed',
            tasks: params.tasks,
            dryRun: null,
            problems: [
              {
                kind: 'cycle',
                taskIds: ['a', 'b'],
                message: 'Dependency cycle: a → b → a (each task waits for the one before it)',
              },
            ],
          }
        : { ...ready, tasks: params.tasks };
      return current;
    });
    const rows = () => el().querySelectorAll('[aria-label="Draft tasks"] fieldset');
    type(rows()[0]?.querySelector('label:nth-of-type(5) input') ?? null, 'b');
    fixture.detectChanges();
    button('Save edits')?.click();
    await settle();
    expect(edits[0]?.find((t) => t.id === 'a')?.dependencies).toEqual(['b']);
    expect(el().querySelector('[aria-label="Problems"]')?.textContent).toContain(
      'Dependency cycle: a → b → a',
    );

    // Fixed, and task b edited: title, size, files; Approve saves the edit first.
    type(rows()[0]?.querySelector('label:nth-of-type(5) input') ?? null, '');
    type(rows()[1]?.querySelector('label:nth-of-type(2) input') ?? null, 'Greet in French');
    type(rows()[1]?.querySelector('select') ?? null, 'XS');
    type(
      rows()[1]?.querySelector('label:nth-of-type(6) input') ?? null,
      'src/fr.ts, src/i18n/*.json',
    );
    fixture.detectChanges();
    let approvedId = '';
    transport.handle('plans.approve', ({ id }: { id: string }): PlanDetail => {
      if (current.problems.length > 0) throw new BackendError('invalid_params', 'problems');
      approvedId = id;
      current = { ...current, state: 'approved', planId: 'p1' };
      return {
        plan: {
          id: 'p1',
          slug: 'greeting',
          name: 'Greeting',
          goal: 'Greet',
          state: 'draft',
          stateReason: null,
          integrationBranch: 'troika/plan-greeting',
          budgetUsd: null,
          remainingUsd: null,
          spentUsd: 0,
          taskCount: 2,
          mergedCount: 0,
          createdAt: 1,
        },
        tasks: current.tasks,
        status: [],
        dryRun: { waves: [['a'], ['b']], holds: [], estimate: estimate(current.tasks) },
      };
    });
    button('Approve plan')?.click();
    await settle();
    const b = edits[1]?.find((t) => t.id === 'b');
    expect([b?.title, b?.size, b?.files, b?.dependencies]).toEqual([
      'Greet in French',
      'XS',
      ['src/fr.ts', 'src/i18n/*.json'],
      ['a'],
    ]);
    expect(b?.acceptanceCriteria).toEqual(['b works']);
    expect(edits[1]?.find((t) => t.id === 'a')?.dependencies).toEqual([]);
    expect(approvedId).toBe('d1');
    expect(el().querySelector('.approved')?.textContent).toContain(
      'Approved: the plan "Greeting" (2 tasks) is saved and ready to start',
    );
  });

  it('shows the newest open draft when it opens, and discards it', async () => {
    const older = draft({ id: 'd0', state: 'failed', tasks: proposed, createdAt: 0 });
    let drafts = [ready, older];
    transport.handle('plans.drafts', () => ({ drafts }));
    transport.handle('plans.discardDraft', ({ id }: { id: string }) => {
      drafts = drafts.filter((d) => d.id !== id);
      return { discarded: true };
    });
    fixture = TestBed.createComponent(PlanPropose);
    fixture.detectChanges();
    await settle();
    expect(el().textContent).toContain('Draft ready for review');
    button('Discard draft')?.click();
    await settle();
    expect(
      transport.sent.filter((r) => r.method === 'plans.discardDraft').map((r) => r.params),
    ).toEqual([{ id: 'd1' }]);
    expect(el().textContent).toContain('No valid plan yet');
  });
});
