import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  inject,
  signal,
  type OnInit,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogRef } from '@angular/material/dialog';
import {
  PlanDraftListSchema,
  PlanDraftSchema,
  type PlanDraft,
} from '../../../../backend/protocol/payloads/plan-drafts.ts';
import type { PlanDetail } from '../../../../backend/protocol/payloads/plans.ts';
import { Agents } from '../agents/agents';
import { messageOf } from '../agents/format';
import { checkResult } from '../core/inbound';
import { ProtocolClient } from '../core/protocol-client';
import { DraftEditor } from './draft-editor';

/** How many of the planner's latest steps the proposing state lists. */
const STEPS_SHOWN = 6;

/** A tool call as a line: what the planner looked at. */
export function describeStep(name: string, input: unknown): string {
  const i = (input ?? {}) as Record<string, unknown>;
  const arg = [i['path'], i['pattern'], i['glob'], i['name']].find((v) => typeof v === 'string');
  const label: Record<string, string> = {
    str_replace_based_edit_tool: 'read',
    search_files: 'search',
    list_files: 'list',
    submit_plan: 'submitted the plan',
    finish: 'finished',
  };
  return `${label[name] ?? name}${typeof arg === 'string' ? ` ${arg}` : ''}`;
}

/**
 * "New plan from a goal": the goal and the workspace start the planner agent
 * (architect, read-only), whose progress shows while it explores (its latest
 * steps, its submissions and what the last rejected one was told, a link to
 * its panel); its plan then opens as a draft to edit and approve.
 */
@Component({
  selector: 'tk-plan-propose',
  imports: [MatButtonModule, DraftEditor],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="propose" aria-labelledby="propose-title">
      <h3 id="propose-title">New plan from a goal</h3>
      <form class="form" (submit)="$event.preventDefault(); propose()">
        <label for="propose-goal">Goal</label>
        <textarea
          id="propose-goal"
          rows="2"
          placeholder="What should the plan achieve?"
          [value]="goal()"
          (input)="goal.set($any($event.target).value)"
        ></textarea>
        <label for="propose-workspace">Workspace folder</label>
        <input
          id="propose-workspace"
          placeholder="/home/you/project"
          [value]="workspace()"
          (input)="workspace.set($any($event.target).value)"
        />
        <button
          mat-flat-button
          type="submit"
          [disabled]="busy() || !goal().trim() || !workspace().trim()"
        >
          Propose plan
        </button>
      </form>
      @if (error(); as e) {
        <p class="error" role="alert">{{ e }}</p>
      }
      @if (draft(); as d) {
        <div class="draft" [attr.data-state]="d.state">
          <p class="state" role="status">
            <strong>{{ stateLabel(d) }}</strong>
            @if (d.stateReason) {
              · {{ d.stateReason }}
            }
          </p>
          @if (d.state === 'proposing') {
            <div class="progress" aria-label="Planner progress">
              <p>
                Submissions {{ d.submissions }} of {{ d.maxSubmissions }}
                @if (d.agentId) {
                  <button mat-button type="button" (click)="showPanel(d.agentId)">
                    Show the planner's panel
                  </button>
                }
              </p>
              <ol class="steps" aria-label="Planner steps">
                @for (s of steps(); track $index) {
                  <li>{{ s }}</li>
                }
              </ol>
            </div>
          }
          @if (d.state !== 'approved') {
            <button mat-button type="button" class="discard" (click)="discard(d)">
              {{ d.state === 'proposing' ? 'Stop the planner and discard' : 'Discard draft' }}
            </button>
          }
          @if (d.lastError && d.state !== 'approved') {
            <p class="rejected">Last submission: {{ d.lastError }}</p>
          }
          @if (d.state === 'ready' || (d.state === 'failed' && d.tasks.length > 0)) {
            <tk-draft-editor [draft]="d" (edited)="draft.set($event)" (approved)="done($event)" />
          }
          @if (approvedPlan(); as p) {
            <p class="approved" role="status">
              Approved: the plan "{{ p.plan.name }}" ({{ p.tasks.length }} tasks) is saved and ready
              to start under Saved plans.
            </p>
          }
        </div>
      }
    </section>
  `,
  styles: `
    .propose {
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      padding-bottom: 8px;
      margin-bottom: 8px;
    }
    h3 {
      margin: 0 0 6px;
    }
    .form {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 4px 8px;
      align-items: center;
    }
    .form button {
      grid-column: 2;
      justify-self: start;
    }
    textarea,
    input {
      font: var(--mat-sys-body-medium);
      padding: 4px;
      background: var(--mat-sys-surface);
      color: var(--mat-sys-on-surface);
      border: 1px solid var(--mat-sys-outline);
      border-radius: 4px;
    }
    .steps {
      font: var(--mat-sys-body-small);
      font-family: var(--tk-mono, monospace);
      margin: 0;
    }
    .error,
    .rejected {
      color: var(--mat-sys-error);
    }
  `,
})
export class PlanPropose implements OnInit {
  readonly #client = inject(ProtocolClient);
  readonly #agents = inject(Agents);
  readonly #destroy = inject(DestroyRef);
  readonly #dialog = inject(MatDialogRef, { optional: true });
  readonly goal = signal('');
  readonly workspace = signal('');
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  /** The draft shown: the one proposed here, else the newest not yet approved. */
  readonly draft = signal<PlanDraft | null>(null);
  readonly steps = signal<string[]>([]);
  readonly approvedPlan = signal<PlanDetail | null>(null);

  ngOnInit(): void {
    this.#destroy.onDestroy(
      this.#client.on('plans.draftChanged', ({ draftId }) => {
        if (draftId === this.draft()?.id) void this.#reload(draftId);
      }),
    );
    this.#destroy.onDestroy(
      this.#client.on('agent.transcript', ({ agentId, entry }) => {
        if (agentId !== this.draft()?.agentId || entry.kind !== 'tool_call') return;
        this.steps.update((s) => [...s, describeStep(entry.name, entry.input)].slice(-STEPS_SHOWN));
      }),
    );
    void this.#latest();
  }

  stateLabel(d: PlanDraft): string {
    switch (d.state) {
      case 'proposing':
        return 'Proposing';
      case 'ready':
        return 'Draft ready for review';
      case 'failed':
        return 'No valid plan yet';
      case 'approved':
        return 'Approved';
    }
  }

  async propose(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.approvedPlan.set(null);
    this.steps.set([]);
    try {
      const answer = await this.#client.request('plans.propose', {
        goal: this.goal().trim(),
        workspace: this.workspace().trim(),
      });
      const draft = checkResult('plans.propose', PlanDraftSchema, answer);
      this.draft.set(draft);
      // Changes may have been announced before the answer came: read it again.
      await this.#reload(draft.id);
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.busy.set(false);
    }
  }

  /** Forgets the draft (stopping its planner if it is still at work); the next open one, if any, shows. */
  async discard(d: PlanDraft): Promise<void> {
    try {
      await this.#client.request('plans.discardDraft', { id: d.id });
      this.draft.set(null);
      this.steps.set([]);
      await this.#latest();
    } catch (error) {
      this.error.set(messageOf(error));
    }
  }

  showPanel(agentId: string): void {
    this.#agents.show(agentId);
    this.#dialog?.close();
  }

  done(plan: PlanDetail): void {
    this.approvedPlan.set(plan);
    const id = this.draft()?.id;
    if (id) void this.#reload(id);
  }

  async #reload(id: string): Promise<void> {
    try {
      const answer = await this.#client.request('plans.draft', { id });
      if (this.draft()?.id === id)
        this.draft.set(checkResult('plans.draft', PlanDraftSchema, answer));
    } catch (error) {
      this.error.set(messageOf(error));
    }
  }

  async #latest(): Promise<void> {
    try {
      const answer = await this.#client.request('plans.drafts', {});
      const open = checkResult('plans.drafts', PlanDraftListSchema, answer).drafts.find(
        (d) => d.state !== 'approved',
      );
      if (open && this.draft() === null) this.draft.set(open);
    } catch (error) {
      this.error.set(messageOf(error));
    }
  }
}
