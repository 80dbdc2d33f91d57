import { inject, Injectable, signal } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import type { ParamsOf } from '../../../../backend/protocol/index.ts';
import { Agents } from '../agents/agents';
import type { AgentStore } from '../agents/agent-store';
import { taskTitle } from '../agents/format';
import { ProtocolClient } from '../core/protocol-client';
import { confirmAction } from './confirm-dialog';

/**
 * The console's dialogs, each loaded on first use (they are not needed for
 * the first paint), and which agent the keyboard shortcuts act on.
 */
@Injectable({ providedIn: 'root' })
export class ConsoleActions {
  readonly #dialog = inject(MatDialog);
  readonly #agents = inject(Agents);
  readonly #client = inject(ProtocolClient);
  readonly #selected = signal<string | null>(null);
  /** The agent the shortcuts act on: the panel last focused or chosen with Alt+Shift+1…3. */
  readonly selected = this.#selected.asReadonly();

  select(id: string | null): void {
    this.#selected.set(id);
  }

  /** Opens the new-agent dialog, optionally filled in (a rerun from history). */
  async newAgent(prefill?: Partial<ParamsOf<'agent.start'>>): Promise<void> {
    // Every slot is held: the toolbar says why; a form the backend would refuse is never opened.
    if (this.#dialog.openDialogs.length > 0 || this.#agents.slotsTaken() !== null) return;
    const { NewAgentDialog } = await import('../agents/new-agent-dialog');
    this.#dialog.open(NewAgentDialog, {
      data: prefill ?? {},
      width: '640px',
      maxWidth: '95vw',
      // The dialog focuses its Task field itself, never over a field the user already chose.
      autoFocus: false,
      ariaLabelledBy: 'new-agent-title',
    });
  }

  /** Stops an agent after saying what stopping it ends (a running command, a reply, a held call). */
  async stop(agent: AgentStore): Promise<void> {
    if (!agent.active() || this.#dialog.openDialogs.length > 0) return;
    const summary = agent.summary();
    const items = agent.transcript.items();
    const lost: string[] = [];
    if (items.some((i) => i.kind === 'tool' && i.running))
      lost.push('The command running in its terminal is interrupted (Ctrl-C).');
    if (items.some((i) => i.kind === 'assistant' && i.streaming))
      lost.push('The reply it is writing now is dropped.');
    if (summary.pendingApproval)
      lost.push(`The held ${summary.pendingApproval.tool} call does not run.`);
    if (summary.pendingQuestion) lost.push('Its question goes unanswered.');
    if (agent.queued().length > 0)
      lost.push(`${agent.queued().length} queued message(s) are not delivered.`);
    lost.push(
      `The run ends here; Resume continues it from its transcript. Its files stay as they are${summary.branch ? ` on branch ${summary.branch}` : ''}.`,
    );
    const go = await confirmAction(this.#dialog, {
      title: `Stop "${taskTitle(summary.task, 50)}"?`,
      lost,
      action: 'Stop the agent',
    });
    if (go) await agent.stop();
  }

  /** Empties a panel; when the agent's work is not merged anywhere, says so and where it stays first. */
  async closePanel(agent: AgentStore): Promise<void> {
    if (this.#dialog.openDialogs.length > 0) return;
    const changes = await this.#client.request('changes.get', { id: agent.id }).catch(() => null);
    const files = changes?.available ? changes.files : [];
    const commits = changes?.available ? changes.commits : 0;
    if (files.length > 0 || commits > 0) {
      const uncommitted = files.filter((f) => f.uncommitted);
      const names = (list: readonly { path: string }[]) =>
        list.length > 4
          ? `${list
              .slice(0, 4)
              .map((f) => f.path)
              .join(', ')} and ${list.length - 4} more`
          : list.map((f) => f.path).join(', ');
      const lost = [
        `Its work is not merged into your branch: ${files.length} changed file${files.length === 1 ? '' : 's'} (${names(files)})${commits > 0 ? `, ${commits} commit${commits === 1 ? '' : 's'}` : ''} on ${changes?.branch ?? 'its branch'}.`,
      ];
      if (uncommitted.length > 0)
        lost.push(
          `${uncommitted.length} of them are not committed (${names(uncommitted)}); they stay in its worktree.`,
        );
      lost.push('Nothing is deleted: the run stays in History, where its changes can be opened.');
      const go = await confirmAction(this.#dialog, {
        title: `Close the panel of "${taskTitle(agent.summary().task, 50)}"?`,
        lost,
        action: 'Close panel',
      });
      if (!go) return;
    }
    this.#agents.closePanel(agent.id);
  }

  async changes(agentId: string): Promise<void> {
    if (this.#dialog.openDialogs.length > 0) return;
    const { ChangesDialog } = await import('../changes/changes-dialog');
    this.#dialog.open(ChangesDialog, {
      data: { agentId },
      width: '1100px',
      maxWidth: '96vw',
      height: '85vh',
      ariaLabelledBy: 'changes-title',
    });
  }

  /** "Merge into <branch>": opens over another dialog too (Changes, History), since it is asked for from there. */
  async merge(agentId: string): Promise<void> {
    const { MergeDialog } = await import('../landing/merge-dialog');
    this.#dialog.open(MergeDialog, {
      data: { agentId },
      width: '900px',
      maxWidth: '96vw',
      ariaLabelledBy: 'merge-title',
    });
  }

  async worktrees(): Promise<void> {
    if (this.#dialog.openDialogs.length > 0) return;
    const { WorktreesDialog } = await import('../landing/worktrees-dialog');
    this.#dialog.open(WorktreesDialog, {
      width: '900px',
      maxWidth: '96vw',
      maxHeight: '88vh',
      ariaLabelledBy: 'worktrees-title',
    });
  }

  async history(): Promise<void> {
    if (this.#dialog.openDialogs.length > 0) return;
    const { HistoryDialog } = await import('../history/history-dialog');
    this.#dialog.open(HistoryDialog, {
      width: '1200px',
      maxWidth: '96vw',
      height: '88vh',
      ariaLabelledBy: 'history-title',
    });
  }

  /** The plan view: a tasks.json checked, its waves and estimate (running a plan waits for landing). */
  async plans(planId?: string): Promise<void> {
    if (this.#dialog.openDialogs.length > 0) return;
    const { PlanDialog } = await import('../plans/plan-dialog');
    this.#dialog.open(PlanDialog, {
      data: { planId: planId ?? null },
      width: '1240px',
      maxWidth: '98vw',
      height: '88vh',
      ariaLabelledBy: 'plan-title',
    });
  }

  async settings(): Promise<void> {
    if (this.#dialog.openDialogs.length > 0) return;
    const { SettingsDialog } = await import('../settings/settings-dialog');
    this.#dialog.open(SettingsDialog, {
      width: '860px',
      maxWidth: '96vw',
      maxHeight: '90vh',
      ariaLabelledBy: 'settings-title',
    });
  }
}
