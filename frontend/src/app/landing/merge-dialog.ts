import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import type {
  GateResult,
  LandMode,
  LandResult,
  MergePreview,
} from '../../../../backend/protocol/index.ts';
import { messageOf } from '../agents/format';
import { ProtocolClient } from '../core/protocol-client';
import { TerminalView } from '../terminal/terminal-view';
import { LiveTerminalSource } from './live-terminal-source';

/** States in which the agent is still at work (see backend/agent/summary.ts). */
const ACTIVE = new Set(['running', 'paused', 'waiting_approval', 'waiting_answer']);

/**
 * "Merge into <branch>": the merge computed first (clean, or each conflicting
 * file with both sides), then squash or merge commit with an editable
 * message, the repository's gates run on the result with their output live
 * in a terminal, and what happened.
 */
@Component({
  selector: 'tk-merge-dialog',
  imports: [MatDialogModule, MatButtonModule, TerminalView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title id="merge-title">
      Merge into <code>{{ preview()?.target ?? '…' }}</code>
    </h2>
    <mat-dialog-content class="content">
      @if (preview(); as p) {
        <div class="row">
          <span
            >From <code>{{ p.source }}</code> ({{ p.commits }} commit{{
              p.commits === 1 ? '' : 's'
            }}) into</span
          >
          <select
            class="tk-input"
            aria-label="Target branch"
            [value]="p.target"
            [disabled]="busy()"
            (change)="retarget($any($event.target).value)"
          >
            @for (b of p.branches; track b) {
              <option [value]="b" [selected]="b === p.target">
                {{ b }}{{ b === p.startedFrom ? ' (started from)' : '' }}
              </option>
            }
          </select>
          @if (p.checkedOutAt) {
            <span class="note">checked out in {{ p.checkedOutAt }}</span>
          }
        </div>
        @if (p.upToDate) {
          <p class="ok" role="status">{{ p.target }} already holds this work.</p>
        } @else if (!p.clean) {
          <p class="error" role="alert">
            The merge conflicts in {{ p.conflicts.length }} file{{
              p.conflicts.length === 1 ? '' : 's'
            }}. Ask the agent to resolve it (the merge runs in its worktree), or resolve it by hand
            in the agent's terminal, then look again.
          </p>
          @if (resolving()) {
            <p class="note" role="status">
              The agent is resolving the conflict in {{ resolving()?.join(', ') }}; the merge is
              computed again when it finishes.
            </p>
          }
          @for (c of p.conflicts; track c.path) {
            <section class="conflict" [attr.aria-label]="'Conflict in ' + c.path">
              <h3>{{ c.path }}</h3>
              @if (c.binary) {
                <p class="note">Binary file: the sides are not shown.</p>
              } @else {
                <div class="sides">
                  <figure>
                    <figcaption>{{ p.target }}</figcaption>
                    <pre class="side ours">{{ c.ours ?? '(deleted)' }}</pre>
                  </figure>
                  <figure>
                    <figcaption>{{ p.source }}</figcaption>
                    <pre class="side theirs">{{ c.theirs ?? '(deleted)' }}</pre>
                  </figure>
                </div>
              }
            </section>
          }
        } @else {
          <p class="ok" role="status">
            Clean merge: {{ p.files.length }} file{{ p.files.length === 1 ? '' : 's' }} ({{
              filesLabel()
            }}).
          </p>
        }
        @if (p.blockedBy.length > 0) {
          <p class="error" role="alert">
            {{ p.target }} has uncommitted changes the merge would touch:
            {{ p.blockedBy.join(', ') }}. Commit or stash them first.
          </p>
        }
        @if (p.uncommitted.length > 0) {
          <p class="warn" role="status">
            Not part of the merge (uncommitted in the agent's worktree; keep them in Changes first):
            {{ p.uncommitted.join(', ') }}
          </p>
        }
        @if (p.clean && !p.upToDate) {
          <fieldset class="mode">
            <legend>How</legend>
            <label
              ><input
                type="radio"
                name="mode"
                value="squash"
                [checked]="mode() === 'squash'"
                (change)="mode.set('squash')"
              />
              Squash into one commit</label
            >
            <label
              ><input
                type="radio"
                name="mode"
                value="merge"
                [checked]="mode() === 'merge'"
                (change)="mode.set('merge')"
              />
              Merge commit (keeps the agent's commits)</label
            >
          </fieldset>
          <label class="message-label" for="merge-message">Commit message</label>
          <textarea
            id="merge-message"
            class="tk-input message"
            rows="5"
            [value]="message()"
            (input)="message.set($any($event.target).value)"
          ></textarea>
          <p class="note">
            Provenance (agent, task, model, persona, tokens, cost, run, gates) is added as trailers.
          </p>
          <div class="gates">
            <label
              ><input
                type="checkbox"
                [checked]="runGates()"
                (change)="runGates.set($any($event.target).checked)"
              />
              Run the gates first</label
            >
            @if (p.gates.length === 0) {
              <span class="note">No checks found in this repository.</span>
            } @else {
              <ul aria-label="Gates">
                @for (g of p.gates; track g.name) {
                  <li>
                    <code>{{ g.command }}</code>
                    <span class="note">{{ g.source }} · {{ g.timeoutMs / 1000 }} s</span>
                    @if (gateStatus()[g.name]; as s) {
                      <span class="gate-status" [attr.data-status]="s">{{ s }}</span>
                    }
                  </li>
                }
              </ul>
            }
          </div>
        }
        @if (showOutput()) {
          <tk-terminal-view class="output" [source]="output" label="gate output" />
        }
      } @else if (!error()) {
        <p class="note" role="status">Computing the merge…</p>
      }
      @if (!result() && progress(); as step) {
        <p class="note" role="status">{{ step }}</p>
      }
      @if (result(); as r) {
        @if (r.landed) {
          <p class="ok result" role="status">
            Landed on {{ r.target }} as {{ r.commit?.slice(0, 12)
            }}{{ r.mergedAnyway ? ' (merged anyway despite failed gates)' : ''
            }}{{ r.cleaned ? '; the agent’s worktree and branch were cleaned up' : '' }}.
          </p>
        } @else {
          <p class="error result" role="alert">{{ r.reason }}</p>
        }
      }
      @if (error(); as e) {
        <p class="error" role="alert">{{ e }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions>
      @if (canMerge()) {
        <button mat-flat-button type="button" [disabled]="busy()" (click)="land(false)">
          Merge into {{ preview()?.target }}
        </button>
      }
      @if (preview() && !preview()?.clean && !resolving()) {
        <button mat-flat-button type="button" [disabled]="busy()" (click)="resolve()">
          Ask the agent to resolve
        </button>
        <button
          mat-stroked-button
          type="button"
          [disabled]="busy()"
          (click)="retarget(preview()?.target ?? '')"
        >
          Look again
        </button>
      }
      @if (gatesFailed()) {
        <button
          mat-stroked-button
          type="button"
          class="danger"
          [disabled]="busy()"
          (click)="land(true)"
        >
          Merge anyway
        </button>
      }
      <span class="spacer"></span>
      <button mat-button type="button" mat-dialog-close>Close</button>
    </mat-dialog-actions>
  `,
  styles: `
    .content {
      display: flex;
      flex-direction: column;
      gap: 8px;
      max-height: 75vh;
    }
    .row {
      display: flex;
      gap: 8px;
      align-items: center;
      flex-wrap: wrap;
    }
    .sides {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 8px;
    }
    figure {
      margin: 0;
      min-width: 0;
    }
    .side {
      max-height: 220px;
      overflow: auto;
      margin: 0;
      padding: 6px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 4px;
      font:
        12px/1.4 ui-monospace,
        monospace;
    }
    .conflict h3 {
      margin: 4px 0;
      font: var(--mat-sys-title-small);
    }
    .mode {
      display: flex;
      gap: 16px;
      border: none;
      padding: 0;
      margin: 0;
    }
    .message {
      width: 100%;
      font-family: ui-monospace, monospace;
    }
    .gates {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .gates li {
      display: flex;
      gap: 8px;
      align-items: baseline;
      flex-wrap: wrap;
    }
    .gates ul {
      margin: 4px 0;
      padding-left: 18px;
    }
    .gate-status[data-status='passed'] {
      color: light-dark(#116329, #7ee2a8);
    }
    .gate-status:not([data-status='passed']) {
      color: var(--mat-sys-error);
    }
    .output {
      height: 240px;
    }
    .note {
      color: var(--mat-sys-on-surface-variant);
    }
    .ok {
      color: light-dark(#116329, #7ee2a8);
    }
    .warn {
      color: light-dark(#7a4d00, #f0c674);
    }
    .error {
      color: var(--mat-sys-error);
    }
    .danger {
      color: var(--mat-sys-error);
    }
    .spacer {
      flex: 1;
    }
  `,
})
export class MergeDialog {
  readonly #client = inject(ProtocolClient);
  readonly #data = inject<{ agentId: string }>(MAT_DIALOG_DATA);
  readonly preview = signal<MergePreview | null>(null);
  readonly result = signal<LandResult | null>(null);
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);
  readonly mode = signal<LandMode>('squash');
  readonly message = signal('');
  readonly runGates = signal(true);
  readonly progress = signal<string | null>(null);
  readonly gateStatus = signal<Record<string, GateResult['status']>>({});
  readonly showOutput = signal(false);
  readonly output = new LiveTerminalSource();
  /** The files the agent is resolving, while it does. */
  readonly resolving = signal<string[] | null>(null);
  #runId = '';

  readonly filesLabel = computed(() => {
    const files = this.preview()?.files ?? [];
    return files.length > 6 ? `${files.slice(0, 6).join(', ')}, …` : files.join(', ');
  });
  readonly canMerge = computed(() => {
    const p = this.preview();
    return (
      p !== null && p.clean && !p.upToDate && p.blockedBy.length === 0 && !this.result()?.landed
    );
  });
  readonly gatesFailed = computed(() => {
    const r = this.result();
    return r !== null && !r.landed && r.gates.some((g) => g.status !== 'passed') && this.canMerge();
  });

  constructor() {
    const offs = [
      this.#client.on('landing.output', (e) => {
        if (e.runId === this.#runId) this.output.write(e.data);
      }),
      this.#client.on('landing.progress', (e) => {
        if (e.runId === this.#runId) this.progress.set(e.message);
      }),
      this.#client.on('agent.state', (e) => {
        // The agent finished its conflict task (or stopped): compute the merge again.
        if (e.agentId === this.#data.agentId && this.resolving() && !ACTIVE.has(e.state)) {
          this.resolving.set(null);
          void this.#load(this.preview()?.target);
        }
      }),
      this.#client.on('landing.gate', (e) => {
        if (e.runId === this.#runId) this.gateStatus.update((s) => ({ ...s, [e.gate]: e.status }));
      }),
    ];
    inject(DestroyRef).onDestroy(() => offs.forEach((off) => off()));
    void this.#load();
  }

  retarget(target: string): void {
    void this.#load(target);
  }

  async resolve(): Promise<void> {
    const p = this.preview();
    if (!p) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const handed = await this.#client.request('landing.resolve', {
        id: this.#data.agentId,
        target: p.target,
      });
      this.resolving.set(handed.files);
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.busy.set(false);
    }
  }

  async land(anyway: boolean): Promise<void> {
    const p = this.preview();
    if (!p) return;
    this.busy.set(true);
    this.error.set(null);
    this.result.set(null);
    this.gateStatus.set({});
    this.#runId = crypto.randomUUID();
    this.showOutput.set(this.runGates() && p.gates.length > 0);
    try {
      const message = this.message().trim();
      const result = await this.#client.request('landing.land', {
        id: this.#data.agentId,
        target: p.target,
        mode: this.mode(),
        gates: this.runGates(),
        mergeAnyway: anyway,
        expectTip: p.targetTip,
        runId: this.#runId,
        ...(message && { message }),
      });
      this.result.set(result);
      if (result.landed) this.progress.set(null);
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.busy.set(false);
    }
  }

  async #load(target?: string): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.result.set(null);
    try {
      const preview = await this.#client.request(
        'landing.preview',
        target ? { id: this.#data.agentId, target } : { id: this.#data.agentId },
      );
      this.preview.set(preview);
      if (!this.message()) this.message.set(preview.message);
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.busy.set(false);
    }
  }
}
