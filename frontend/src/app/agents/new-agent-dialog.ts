import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { debounceTime, startWith } from 'rxjs';
import {
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  Validators,
  type AbstractControl,
  type AsyncValidatorFn,
  type ValidationErrors,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { ParamsOf, PersonaInfo, WorkspaceInfo } from '../../../../backend/protocol/index.ts';
import { ProtocolClient, RequestError } from '../core/protocol-client';
import { Agents } from './agents';
import { Attention } from './attention';
import { messageOf } from './format';

/** Limits of `agent.start` (backend/protocol/agent.ts), checked here first so the form says what is wrong. */
const MAX_TASK = 100_000;
const MAX_BUDGET = 10_000;
const RECENT_KEY = 'troika.recentWorkspaces';
const RECENT_COUNT = 8;
/** Typing pauses this long before the folder is looked at. */
const INSPECT_DELAY_MS = 250;

function recentWorkspaces(): string[] {
  try {
    const value = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as unknown;
    return Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string').slice(0, RECENT_COUNT)
      : [];
  } catch {
    return [];
  }
}

function remember(workspace: string): void {
  try {
    localStorage.setItem(
      RECENT_KEY,
      JSON.stringify(
        [workspace, ...recentWorkspaces().filter((w) => w !== workspace)].slice(0, RECENT_COUNT),
      ),
    );
  } catch {
    // Storage off: nothing to remember.
  }
}

/**
 * The backend does not run from a folder the user chose, so a relative path
 * (or `~`, which no shell expands here) would name some other folder.
 */
function absolutePath(control: AbstractControl<string>): ValidationErrors | null {
  const path = control.value.trim();
  if (!path || path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\'))
    return null;
  return {
    relative: path.startsWith('~')
      ? `"${path}" starts with ~, which is not expanded here: give the full path, such as /home/you/${path.replace(/^~\/?/, '')}.`
      : `"${path}" is a relative path: give the folder's full path, such as /home/you/${path.replace(/^\.\//, '')}.`,
  };
}

const modelId = Validators.pattern(/^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}$/);

/** Task, workspace folder, persona (automatic or pinned), model and budget; each field says what is wrong with it. */
@Component({
  selector: 'tk-new-agent-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title id="new-agent-title">New agent</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="fields">
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Task</mat-label>
          <textarea
            matInput
            formControlName="task"
            rows="4"
            placeholder="What should the agent do?"
          ></textarea>
          @if (form.controls.task.hasError('required')) {
            <mat-error>Describe the task: the agent starts from it.</mat-error>
          } @else if (form.controls.task.hasError('pattern')) {
            <mat-error>The task is only spaces: describe what the agent should do.</mat-error>
          } @else if (form.controls.task.hasError('maxlength')) {
            <mat-error>The task is too long (at most {{ maxTask }} characters).</mat-error>
          }
        </mat-form-field>

        <div class="row">
          <mat-form-field subscriptSizing="dynamic" class="grow">
            <mat-label>Workspace folder</mat-label>
            <input
              matInput
              formControlName="workspace"
              list="tk-recent-workspaces"
              autocomplete="off"
              placeholder="/home/you/project"
            />
            <datalist id="tk-recent-workspaces">
              @for (w of recent; track w) {
                <option [value]="w"></option>
              }
            </datalist>
            @if (form.controls.workspace.hasError('required')) {
              <mat-error>Give the folder the agent works in.</mat-error>
            } @else if (form.controls.workspace.getError('relative'); as relative) {
              <mat-error>{{ relative }}</mat-error>
            } @else if (form.controls.workspace.hasError('server')) {
              <mat-error>{{ form.controls.workspace.getError('server') }}</mat-error>
            }
            @if (workspaceStatus() === 'VALID' && workspaceHint(); as hint) {
              <mat-hint>{{ hint }}</mat-hint>
            }
          </mat-form-field>
          @if (canBrowse()) {
            <button mat-stroked-button type="button" class="browse" (click)="browse()">
              Browse…
            </button>
          }
        </div>
        @if (workspaceStatus() === 'VALID' && branches().length > 0) {
          <mat-form-field subscriptSizing="dynamic">
            <mat-label>Start from branch</mat-label>
            <mat-select formControlName="baseBranch">
              @for (b of branches(); track b) {
                <mat-option [value]="b">{{ b }}</mat-option>
              }
            </mat-select>
            <mat-hint>The agent starts from its current tip; its work merges back there.</mat-hint>
          </mat-form-field>
        }

        <div class="row">
          <mat-form-field subscriptSizing="dynamic" class="grow">
            <mat-label>Persona</mat-label>
            <mat-select formControlName="persona">
              <mat-option value="">Automatic (chosen from the task)</mat-option>
              @for (p of personas(); track p.name) {
                <mat-option [value]="p.name" class="persona-option" [title]="p.description">
                  <span class="persona-line"
                    ><span class="persona-name">{{ p.name }}</span
                    ><span class="persona-description"> — {{ p.description }}</span></span
                  >
                </mat-option>
              }
            </mat-select>
            @if (form.controls.persona.value === '' && autoPersona(); as auto) {
              <mat-hint data-auto-persona
                >Automatic: {{ auto.name ?? 'no persona' }} —
                {{ auto.reason ?? 'no trigger in the task matches one' }}</mat-hint
              >
            } @else {
              <mat-hint>Pin a role, or let Troika choose one per task.</mat-hint>
            }
          </mat-form-field>
        </div>

        <div class="row">
          <mat-form-field subscriptSizing="dynamic" class="grow">
            <mat-label>Model</mat-label>
            <input matInput formControlName="model" list="tk-models" autocomplete="off" />
            <datalist id="tk-models">
              @for (m of models(); track m) {
                <option [value]="m"></option>
              }
            </datalist>
            @if (form.controls.model.hasError('required')) {
              <mat-error>Choose a model.</mat-error>
            } @else if (form.controls.model.hasError('pattern')) {
              <mat-error
                >A model id is letters, digits and . _ : &#64; / - (for example
                claude-sonnet-4-6).</mat-error
              >
            }
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic" class="budget">
            <mat-label>Budget (USD)</mat-label>
            <input
              matInput
              type="number"
              formControlName="budget"
              min="0.01"
              [max]="maxBudget"
              step="0.5"
              inputmode="decimal"
            />
            @if (form.controls.budget.hasError('min')) {
              <mat-error>The budget must be more than $0.</mat-error>
            } @else if (form.controls.budget.hasError('max')) {
              <mat-error>At most {{ maxBudget }} USD.</mat-error>
            } @else {
              <mat-hint>The agent stops when it is spent. Empty: the default.</mat-hint>
            }
          </mat-form-field>
        </div>
        @if (formError(); as error) {
          <p class="form-error" role="alert">{{ error }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="starting()">
          {{ starting() ? 'Starting…' : 'Start agent' }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .fields {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    mat-form-field {
      width: 100%;
      margin-bottom: 8px;
    }
    .row {
      display: flex;
      gap: 12px;
      align-items: flex-start;
    }
    .grow {
      flex: 1;
    }
    .budget {
      width: 200px;
      flex: none;
    }
    .browse {
      margin-top: 8px;
    }
    /* One option a line, the description cut to fit (in full in its title): a list to scan, not a wall of text. */
    .persona-line {
      display: block;
      max-width: 560px;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .persona-option .persona-name {
      font-weight: 600;
    }
    .persona-option .persona-description {
      color: var(--mat-sys-on-surface-variant);
    }
    .form-error {
      color: var(--mat-sys-error);
      margin: 0;
    }
  `,
})
export class NewAgentDialog {
  readonly #client = inject(ProtocolClient);
  readonly #agents = inject(Agents);
  readonly #attention = inject(Attention);
  readonly #ref = inject(MatDialogRef<NewAgentDialog>);
  readonly #prefill =
    inject<Partial<ParamsOf<'agent.start'>>>(MAT_DIALOG_DATA, { optional: true }) ?? {};
  readonly maxTask = MAX_TASK;
  readonly maxBudget = MAX_BUDGET;
  readonly recent = recentWorkspaces();
  readonly personas = signal<readonly PersonaInfo[]>([]);
  readonly models = signal<readonly string[]>([]);
  readonly starting = signal(false);
  readonly formError = signal<string | null>(null);
  readonly workspaceHint = signal<string | null>(null);
  /** Branches of the workspace's repository an agent can start from. */
  readonly branches = signal<readonly string[]>([]);
  readonly canBrowse = signal(this.#agents.hello()?.host === 'electron');
  /** What the automatic choice would pick for the task as typed, and why. */
  readonly autoPersona = signal<{ name: string | null; reason: string | null } | null>(null);

  readonly form = new FormGroup({
    task: new FormControl(this.#prefill.task ?? '', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(MAX_TASK), Validators.pattern(/\S/)],
    }),
    workspace: new FormControl(this.#prefill.workspace ?? this.recent[0] ?? '', {
      nonNullable: true,
      validators: [Validators.required, absolutePath],
      asyncValidators: [this.#inspectWorkspace()],
    }),
    persona: new FormControl(this.#prefill.persona ?? '', { nonNullable: true }),
    baseBranch: new FormControl(this.#prefill.baseBranch ?? '', { nonNullable: true }),
    model: new FormControl(this.#prefill.model ?? '', {
      nonNullable: true,
      validators: [Validators.required, modelId],
    }),
    budget: new FormControl<number | null>(this.#prefill.budgetUsd ?? null, {
      validators: [Validators.min(0.01), Validators.max(MAX_BUDGET)],
    }),
  });
  /**
   * The workspace check resolves asynchronously; as a signal, its result
   * re-renders the hint under zoneless change detection (the control's plain
   * `valid` flag would be read only if something else triggered a render).
   */
  readonly workspaceStatus = toSignal(this.form.controls.workspace.statusChanges, {
    initialValue: this.form.controls.workspace.status,
  });

  constructor() {
    // The Task field gets the focus once the form is rendered, unless the user already chose a
    // field: Material's own initial focus ('first-tabbable') took it back from a field clicked
    // before the first render, and the typing went into the Task. Opened with autoFocus: false.
    const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    afterNextRender(() => {
      if (host.contains(host.ownerDocument.activeElement)) return;
      host.querySelector<HTMLElement>('textarea[formcontrolname="task"]')?.focus();
    });
    void this.#loadChoices();
    let asked = 0;
    // Said before the run, as the task is typed: which persona it gets, and the triggers why.
    this.form.controls.task.valueChanges
      .pipe(
        startWith(this.form.controls.task.value),
        debounceTime(INSPECT_DELAY_MS),
        takeUntilDestroyed(),
      )
      .subscribe(async (task) => {
        const mine = ++asked;
        const text = task.trim();
        const choice = text
          ? await this.#client.request('personas.choose', { task: text }).catch(() => null)
          : null;
        if (mine === asked) this.autoPersona.set(choice);
      });
  }

  async browse(): Promise<void> {
    const picked = await this.#client
      .request('system.pickFolder', { title: 'Workspace folder for the agent' })
      .catch(() => null);
    if (picked?.path) {
      this.form.controls.workspace.setValue(picked.path);
      this.form.controls.workspace.markAsTouched();
    }
  }

  async submit(): Promise<void> {
    this.form.markAllAsTouched();
    this.formError.set(null);
    // The folder check may still be on its way; its verdict counts.
    for (let waited = 0; this.form.pending && waited < 5000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    if (this.form.invalid || this.starting()) return;
    // A click is a user gesture: the one moment a browser lets us ask to notify.
    this.#attention.requestPermission();
    const value = this.form.getRawValue();
    const params: ParamsOf<'agent.start'> = {
      task: value.task.trim(),
      workspace: value.workspace.trim(),
      model: value.model.trim(),
      ...(value.persona ? { persona: value.persona } : {}),
      ...(value.baseBranch && this.branches().includes(value.baseBranch)
        ? { baseBranch: value.baseBranch }
        : {}),
      ...(value.budget !== null && String(value.budget) !== ''
        ? { budgetUsd: Number(value.budget) }
        : {}),
    };
    this.starting.set(true);
    try {
      await this.#agents.start(params);
      remember(params.workspace);
      this.#ref.close(true);
    } catch (error) {
      if (
        error instanceof RequestError &&
        error.code === 'invalid_params' &&
        /workspace|folder/i.test(error.message)
      ) {
        this.form.controls.workspace.setErrors({ server: error.message });
      } else {
        this.formError.set(
          error instanceof RequestError && error.code === 'limit_reached'
            ? error.message
            : `Could not start the agent: ${messageOf(error)}`,
        );
      }
    } finally {
      this.starting.set(false);
    }
  }

  async #loadChoices(): Promise<void> {
    const [personas, settings] = await Promise.all([
      this.#client.request('personas.list', {}).catch(() => ({ personas: [], errors: [] })),
      this.#client.request('settings.get', {}).catch(() => null),
    ]);
    this.personas.set(personas.personas);
    if (settings) {
      this.models.set(settings.models);
      const model = this.form.controls.model;
      if (!model.value) model.setValue(settings.effective.defaultModel);
      const budget = this.form.controls.budget;
      if (
        budget.value === null &&
        this.#prefill.budgetUsd === undefined &&
        settings.effective.defaultBudgetUsd !== null
      ) {
        budget.setValue(settings.effective.defaultBudgetUsd);
      }
    }
  }

  #inspectWorkspace(): AsyncValidatorFn {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return (control: AbstractControl<string>) =>
      new Promise<ValidationErrors | null>((resolve) => {
        clearTimeout(timer);
        const path = control.value.trim();
        if (!path) {
          resolve(null);
          return;
        }
        timer = setTimeout(async () => {
          let info: WorkspaceInfo;
          try {
            info = await this.#client.request('workspace.inspect', { path });
          } catch {
            resolve(null); // The server decides on start.
            return;
          }
          if (!info.exists) return resolve({ server: `There is no folder "${path}".` });
          if (!info.isDirectory) return resolve({ server: `"${path}" is a file, not a folder.` });
          const branches = info.hasCommits ? info.branches : [];
          this.branches.set(branches);
          const base = this.form.controls.baseBranch;
          if (!branches.includes(base.value))
            base.setValue(info.currentBranch ?? branches[0] ?? '');
          this.workspaceHint.set(
            info.gitRoot && info.hasCommits
              ? `Git repository: the agent works in its own worktree and branch; your checkout is untouched.`
              : info.gitRoot
                ? 'Git repository without a commit: the agent works in the folder itself.'
                : 'Not a git repository: the agent works in the folder itself, and its changes cannot be reviewed as a diff.',
          );
          resolve(null);
        }, INSPECT_DELAY_MS);
      });
  }
}
