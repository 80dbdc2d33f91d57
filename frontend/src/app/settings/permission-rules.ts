import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { PermissionRuleView } from '../../../../backend/protocol/index.ts';
import { messageOf } from '../agents/format';
import { ProtocolClient } from '../core/protocol-client';

const SCOPES: Record<PermissionRuleView['scope'], string> = {
  user: '~/.claude/settings.json',
  project: '.claude/settings.json',
  local: '.claude/settings.local.json',
};

/**
 * Claude Code's permission rules that feed the approval gate: the user's, and
 * a project's for a folder typed here; merged, each with the file it came from.
 */
@Component({
  selector: 'tk-permission-rules',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p class="note">
      Rules from Claude Code's settings files. A deny refuses, an ask asks, an allow lets a command
      run that Troika would ask about (never one it refuses, nor a write outside the workspace).
    </p>
    <label class="folder">
      Project folder
      <input
        #folder
        type="text"
        placeholder="/path/to/repository"
        (change)="load(folder.value)"
        aria-label="Project folder for its permission rules"
      />
    </label>
    @if (rules(); as list) {
      @if (list.length === 0) {
        <p role="status">No permission rules in these files.</p>
      } @else {
        <ul aria-label="Claude Code permission rules">
          @for (r of list; track $index) {
            <li [attr.data-decision]="r.decision">
              <span class="decision">{{ r.decision }}</span>
              <code class="what">{{ r.rule }}</code>
              <span class="from" [title]="r.source"
                >{{ scopes[r.scope] }}{{ r.note ? ' — ' + r.note : '' }}</span
              >
            </li>
          }
        </ul>
      }
    }
    @for (p of problems(); track p) {
      <p class="error" role="alert">{{ p }}</p>
    }
  `,
  styles: `
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      font: var(--mat-sys-body-small);
    }
    li {
      display: grid;
      grid-template-columns: 4.5em minmax(0, 1fr) minmax(0, 1fr);
      gap: 8px;
      padding: 3px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .decision {
      font: var(--mat-sys-label-small);
      color: var(--mat-sys-on-surface-variant);
    }
    [data-decision='deny'] .decision {
      color: var(--mat-sys-error);
    }
    .what,
    .from {
      overflow-wrap: anywhere;
    }
    .folder {
      display: flex;
      gap: 8px;
      align-items: center;
      margin-bottom: 8px;
      font: var(--mat-sys-body-small);
    }
    .folder input {
      flex: 1;
    }
    .note {
      margin: 0 0 8px;
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
})
export class PermissionRules {
  readonly #client = inject(ProtocolClient);
  readonly scopes = SCOPES;
  readonly rules = signal<PermissionRuleView[] | null>(null);
  readonly problems = signal<string[]>([]);

  constructor() {
    this.load('');
  }

  load(folder: string): void {
    const workspace = folder.trim();
    this.#client
      .request('settings.permissionRules', workspace === '' ? {} : { workspace })
      .then(({ rules, problems }) => {
        this.rules.set(rules);
        this.problems.set(problems);
      })
      .catch((error: unknown) =>
        this.problems.set([`Could not load the permission rules: ${messageOf(error)}`]),
      );
  }
}
