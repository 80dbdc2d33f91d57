import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  Validators,
  type AbstractControl,
  type ValidationErrors,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { AppSettings, SettingsView } from '../../../../backend/protocol/index.ts';
import { formatUsd, messageOf } from '../agents/format';
import { ProtocolClient, RequestError } from '../core/protocol-client';
import { ApprovalRules } from './approval-rules';
import { PermissionRules } from './permission-rules';
import { CacheUsage } from './cache-usage';
import { TokenEconomy } from './token-economy';
import { ModelRouting } from './model-routing';

const MAX_BUDGET = 10_000;

function httpUrl(control: AbstractControl<string>): ValidationErrors | null {
  const value = control.value.trim();
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? null : { url: true };
  } catch {
    return { url: true };
  }
}

function absolutePath(control: AbstractControl<string>): ValidationErrors | null {
  const value = control.value.trim();
  return !value || /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(value) ? null : { absolute: true };
}

const RESTART_LABELS: Record<string, string> = {
  globalBudgetUsd: 'the global budget',
  hooksFile: 'the hooks file',
  personasDir: 'the personas folder',
  apiKey: 'the API key',
  openaiApiKey: 'the OpenAI-compatible API key',
};

/** API key status, base URL, default model, budgets, hooks file, personas folder; then what asks for approval, cache and usage. */
@Component({
  selector: 'tk-settings-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    ApprovalRules,
    PermissionRules,
    CacheUsage,
    TokenEconomy,
    ModelRouting,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title id="settings-title">Settings</h2>
    <mat-dialog-content>
      @if (view(); as v) {
        <section aria-labelledby="key-heading">
          <h3 id="key-heading">API key</h3>
          <p data-testid="api-key-status">
            @if (v.apiKeyConfigured) {
              <strong>Configured</strong>
            } @else {
              <strong>Not configured</strong>
            }
            —
            @if (v.apiKeyStorage === 'keychain') {
              kept in the operating system's keychain.
            } @else {
              read from the <code>ANTHROPIC_API_KEY</code> environment variable of the Troika
              server; it never reaches this page. To change it, set it there and restart.
            }
          </p>
          @if (v.apiKeyWritable) {
            <div class="row">
              <mat-form-field subscriptSizing="dynamic" floatLabel="always" class="grow">
                <mat-label>New API key</mat-label>
                <input
                  matInput
                  type="password"
                  autocomplete="off"
                  [value]="newKey()"
                  (input)="newKey.set($any($event.target).value)"
                />
              </mat-form-field>
              <button
                mat-stroked-button
                type="button"
                [disabled]="!newKey().trim() || busy()"
                (click)="setKey()"
              >
                Store in keychain
              </button>
              @if (v.apiKeyConfigured) {
                <button mat-button type="button" [disabled]="busy()" (click)="clearKey()">
                  Remove
                </button>
              }
            </div>
          }
        </section>

        <form [formGroup]="form" (ngSubmit)="save()" novalidate aria-labelledby="agents-heading">
          <h3 id="agents-heading">Agents</h3>
          <p class="note">
            Empty fields use the default shown. Changes apply to agents started afterwards.
          </p>
          <mat-form-field subscriptSizing="dynamic" floatLabel="always">
            <mat-label>Base URL</mat-label>
            <input
              matInput
              formControlName="baseURL"
              [placeholder]="v.effective.baseURL ?? 'Anthropic API (default)'"
              autocomplete="off"
            />
            @if (form.controls.baseURL.hasError('url')) {
              <mat-error>Give an http:// or https:// URL.</mat-error>
            }
          </mat-form-field>
          <div class="row">
            <mat-form-field subscriptSizing="dynamic" floatLabel="always" class="grow">
              <mat-label>Default model</mat-label>
              <input
                matInput
                formControlName="defaultModel"
                list="tk-settings-models"
                [placeholder]="v.effective.defaultModel"
                autocomplete="off"
              />
              <datalist id="tk-settings-models">
                @for (m of v.models; track m) {
                  <option [value]="m"></option>
                }
              </datalist>
              @if (form.controls.defaultModel.hasError('pattern')) {
                <mat-error>Letters, digits and . _ : &#64; / - only.</mat-error>
              }
            </mat-form-field>
          </div>
          <div class="row">
            <mat-form-field subscriptSizing="dynamic" floatLabel="always" class="grow">
              <mat-label>Budget per agent (USD)</mat-label>
              <input
                matInput
                type="number"
                formControlName="defaultBudgetUsd"
                min="0.01"
                step="0.5"
                [placeholder]="usdOrNone(v.effective.defaultBudgetUsd)"
              />
              @if (form.controls.defaultBudgetUsd.invalid) {
                <mat-error>More than $0, at most {{ maxBudget }}.</mat-error>
              }
            </mat-form-field>
            <mat-form-field subscriptSizing="dynamic" floatLabel="always" class="grow">
              <mat-label>Global budget per session (USD)</mat-label>
              <input
                matInput
                type="number"
                formControlName="globalBudgetUsd"
                min="0.01"
                step="1"
                [placeholder]="usdOrNone(v.effective.globalBudgetUsd)"
              />
              @if (form.controls.globalBudgetUsd.invalid) {
                <mat-error>More than $0, at most {{ maxBudget }}.</mat-error>
              } @else {
                <mat-hint>Applies after a restart.</mat-hint>
              }
            </mat-form-field>
          </div>
          <mat-form-field subscriptSizing="dynamic" floatLabel="always">
            <mat-label>Hooks file (Claude Code settings format)</mat-label>
            <input
              matInput
              formControlName="hooksFile"
              [placeholder]="
                v.effective.hooksFile ?? 'None: no hooks.json or settings.json in the data folder'
              "
              autocomplete="off"
            />
            @if (form.controls.hooksFile.hasError('absolute')) {
              <mat-error>Give an absolute path.</mat-error>
            }
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic" floatLabel="always">
            <mat-label>Personas folder</mat-label>
            <input
              matInput
              formControlName="personasDir"
              [placeholder]="v.effective.personasDir"
              autocomplete="off"
            />
            @if (form.controls.personasDir.hasError('absolute')) {
              <mat-error>Give an absolute path.</mat-error>
            }
          </mat-form-field>
          @if (restartNote(); as note) {
            <p class="note" role="status">{{ note }}</p>
          }
          @if (saved()) {
            <p class="ok" role="status">Saved to {{ v.file }}.</p>
          }
          @if (error(); as e) {
            <p class="error" role="alert">{{ e }}</p>
          }
          <div class="actions">
            <button mat-flat-button type="submit" [disabled]="busy() || form.pristine">
              Save settings
            </button>
          </div>
        </form>

        <section aria-labelledby="routing-heading">
          <h3 id="routing-heading">Second provider and model aliases</h3>
          <tk-model-routing [view]="v" (changed)="showChanged($event)" />
        </section>

        <section aria-labelledby="approval-heading">
          <h3 id="approval-heading">What asks for approval</h3>
          <tk-approval-rules />
        </section>
        <section aria-labelledby="permission-heading">
          <h3 id="permission-heading">Claude Code permission rules</h3>
          <tk-permission-rules />
        </section>

        <section aria-labelledby="cache-heading">
          <h3 id="cache-heading">Cache and usage</h3>
          <tk-token-economy [view]="v" (changed)="view.set($event)" />
          <tk-cache-usage />
        </section>
      } @else if (error(); as e) {
        <p class="error" role="alert">{{ e }}</p>
      } @else {
        <p role="status">Loading…</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Close</button>
    </mat-dialog-actions>
  `,
  styles: `
    h3 {
      font: var(--mat-sys-title-medium);
      margin: 16px 0 4px;
    }
    form {
      display: flex;
      flex-direction: column;
    }
    mat-form-field {
      width: 100%;
      margin-bottom: 8px;
    }
    .row {
      display: flex;
      gap: 12px;
      align-items: baseline;
    }
    .grow {
      flex: 1;
    }
    .note {
      margin: 0 0 8px;
      color: var(--mat-sys-on-surface-variant);
    }
    .ok {
      color: var(--mat-sys-primary);
    }
    .error {
      color: var(--mat-sys-error);
    }
    .actions {
      display: flex;
      justify-content: flex-end;
    }
  `,
})
export class SettingsDialog {
  readonly #client = inject(ProtocolClient);
  readonly maxBudget = MAX_BUDGET;
  readonly view = signal<SettingsView | null>(null);
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);
  readonly saved = signal(false);
  readonly newKey = signal('');
  readonly restartNote = signal<string | null>(null);
  readonly form = new FormGroup({
    baseURL: new FormControl('', { nonNullable: true, validators: [httpUrl] }),
    defaultModel: new FormControl('', {
      nonNullable: true,
      validators: [Validators.pattern(/^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}$/)],
    }),
    defaultBudgetUsd: new FormControl<number | null>(null, {
      validators: [Validators.min(0.01), Validators.max(MAX_BUDGET)],
    }),
    globalBudgetUsd: new FormControl<number | null>(null, {
      validators: [Validators.min(0.01), Validators.max(MAX_BUDGET)],
    }),
    hooksFile: new FormControl('', { nonNullable: true, validators: [absolutePath] }),
    personasDir: new FormControl('', { nonNullable: true, validators: [absolutePath] }),
  });

  constructor() {
    this.#client
      .request('settings.get', {})
      .then((view) => this.#show(view))
      .catch((error: unknown) =>
        this.error.set(`Could not load the settings: ${messageOf(error)}`),
      );
  }

  usdOrNone(amount: number | null): string {
    return amount === null ? 'No cap' : formatUsd(amount);
  }

  async save(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const v = this.form.getRawValue();
    const text = (s: string) => s.trim() || null;
    const usd = (n: number | null) => (n === null || String(n) === '' ? null : Number(n));
    const changes: Partial<AppSettings> = {
      baseURL: text(v.baseURL),
      defaultModel: text(v.defaultModel),
      defaultBudgetUsd: usd(v.defaultBudgetUsd),
      globalBudgetUsd: usd(v.globalBudgetUsd),
      hooksFile: text(v.hooksFile),
      personasDir: text(v.personasDir),
    };
    await this.#run(() => this.#client.request('settings.update', changes), true);
  }

  setKey(): Promise<void> {
    const key = this.newKey().trim();
    this.newKey.set('');
    return this.#run(() => this.#client.request('settings.setApiKey', { key }), false);
  }

  clearKey(): Promise<void> {
    return this.#run(() => this.#client.request('settings.clearApiKey', {}), false);
  }

  async #run(call: () => Promise<SettingsView>, isSave: boolean): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.saved.set(false);
    try {
      this.#show(await call());
      this.saved.set(isSave);
    } catch (error) {
      this.error.set(
        error instanceof RequestError ? error.message : `Could not save: ${messageOf(error)}`,
      );
    } finally {
      this.busy.set(false);
    }
  }

  /** A change the model routing section made: the rest of the form keeps what the user typed. */
  showChanged(view: SettingsView): void {
    this.view.set(view);
    this.#restartNote(view);
  }

  #show(view: SettingsView): void {
    this.view.set(view);
    const s = view.settings;
    this.form.reset({
      baseURL: s.baseURL ?? '',
      defaultModel: s.defaultModel ?? '',
      defaultBudgetUsd: s.defaultBudgetUsd,
      globalBudgetUsd: s.globalBudgetUsd,
      hooksFile: s.hooksFile ?? '',
      personasDir: s.personasDir ?? '',
    });
    this.#restartNote(view);
  }

  #restartNote(view: SettingsView): void {
    this.restartNote.set(
      view.restartRequired.length === 0
        ? null
        : `Restart Troika to apply ${view.restartRequired.map((k) => RESTART_LABELS[k] ?? k).join(', ')}.`,
    );
  }
}
