import { inject, Injectable, signal } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import type { ParamsOf } from '../../../../backend/protocol/index.ts';

/**
 * The console's dialogs, each loaded on first use (they are not needed for
 * the first paint), and which agent the keyboard shortcuts act on.
 */
@Injectable({ providedIn: 'root' })
export class ConsoleActions {
  readonly #dialog = inject(MatDialog);
  readonly #selected = signal<string | null>(null);
  /** The agent the shortcuts act on: the panel last focused or chosen with Alt+Shift+1…3. */
  readonly selected = this.#selected.asReadonly();

  select(id: string | null): void {
    this.#selected.set(id);
  }

  /** Opens the new-agent dialog, optionally filled in (a rerun from history). */
  async newAgent(prefill?: Partial<ParamsOf<'agent.start'>>): Promise<void> {
    if (this.#dialog.openDialogs.length > 0) return;
    const { NewAgentDialog } = await import('../agents/new-agent-dialog');
    this.#dialog.open(NewAgentDialog, {
      data: prefill ?? {},
      width: '640px',
      maxWidth: '95vw',
      autoFocus: 'first-tabbable',
      ariaLabelledBy: 'new-agent-title',
    });
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
