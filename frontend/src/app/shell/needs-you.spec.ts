import { TestBed } from '@angular/core/testing';
import { Title } from '@angular/platform-browser';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PlanNeedsYou } from '../../../../backend/protocol/payloads/plans.ts';
import { agentSummary } from '../../testing/fixtures';
import { FakeTransport } from '../../testing/fake-transport';
import { Attention } from '../agents/attention';
import { NeedsYou } from '../agents/needs-you';
import { PROTOCOL_TRANSPORT } from '../core/transport-provider';
import { ConsoleToolbar } from './console-toolbar';

const escalated: PlanNeedsYou = {
  planId: 'p1',
  planName: 'Users API',
  taskId: '3',
  title: 'Users page',
  reason: 'The gates failed in the task’s worktree',
  attempts: 4,
  agentId: 'a9',
};

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the "needs you" list', () => {
  let transport: FakeTransport;
  let planTasks: PlanNeedsYou[];

  beforeEach(() => {
    transport = new FakeTransport();
    planTasks = [];
    transport.handle('plans.needsYou', () => ({ tasks: planTasks }));
    TestBed.configureTestingModule({
      providers: [{ provide: PROTOCOL_TRANSPORT, useValue: transport }],
    });
  });

  it('gathers agents waiting and plan tasks escalated to the user, in the toolbar and the window title', async () => {
    const fixture = TestBed.createComponent(ConsoleToolbar);
    TestBed.inject(Attention);
    const needsYou = TestBed.inject(NeedsYou);
    fixture.detectChanges();
    const chip = () => fixture.nativeElement.querySelector('button.waiting') as HTMLElement | null;
    expect(chip()).toBeNull();

    planTasks = [escalated];
    transport.emit('plans.changed', { planId: 'p1' });
    await settle();
    fixture.detectChanges();
    expect(chip()?.textContent?.trim()).toBe('1 needs you');
    expect(TestBed.inject(Title).getTitle()).toBe('(1) Troika — waiting');

    const waiting = agentSummary({
      id: 'a2',
      state: 'waiting_approval',
      pendingApproval: {
        toolUseId: 't1',
        tool: 'bash',
        input: { command: 'rm -rf build' },
        reason: 'recursive forced delete',
        preview: 'rm -rf build',
      },
    });
    transport.emit('agent.state', {
      agentId: 'a2',
      state: 'waiting_approval',
      reason: null,
      agent: waiting,
    });
    await settle();
    fixture.detectChanges();
    expect(chip()?.textContent?.trim()).toBe('2 need you');
    expect(needsYou.items().map((i) => [i.kind, i.body])).toEqual([
      ['approval', 'rm -rf build'],
      ['escalation', 'Users API · Users page: The gates failed in the task’s worktree'],
    ]);
    expect(TestBed.inject(Title).getTitle()).toBe('(2) Troika — waiting');

    chip()?.click();
    fixture.detectChanges();
    const entries = [...document.querySelectorAll('[data-needs-you]')].map((e) => [
      e.getAttribute('data-needs-you'),
      e.textContent?.replace(/\s+/g, ' ').trim(),
    ]);
    expect(entries).toEqual([
      ['approval', 'Approval rm -rf build'],
      ['escalation', 'Plan task Users API · Users page: The gates failed in the task’s worktree'],
    ]);

    planTasks = [];
    transport.emit('plans.changed', { planId: 'p1' });
    await settle();
    expect(needsYou.items().map((i) => i.kind)).toEqual(['approval']);
  });
});
