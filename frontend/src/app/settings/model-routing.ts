import {
  ChangeDetectionStrategy,
  Component,
  effect,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import {
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  type AbstractControl,
  type ValidationErrors,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { AppSettings, SettingsView } from '../../../../backend/protocol/index.ts';
import type { AliasTable, ModelAlias, ModelTarget } from '../../../../backend/protocol/routing.ts';
import { messageOf } from '../agents/format';
import { ProtocolClient, RequestError } from '../core/protocol-client';

/** The protocol's aliases (its list is zod-side, kept out of the bundle); the check below fails to compile if one is missing. */
const MODEL_ALIASES = ['architect', 'coder', 'reviewer', 'fast', 'cheap'] as const;
const ALL_ALIASES: Exclude<ModelAlias, (typeof MODEL_ALIASES)[number]> extends never
  ? true
  : false = true;
void ALL_ALIASES;

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}$/;

/** `anthropic:claude-sonnet-5-5, openai:gpt-4.1`; a model without a provider is Anthropic's. */
export function parseChain(text: string): ModelTarget[] | null {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return null;
  return parts.map((part) => {
    const match = /^(anthropic|openai):(.+)$/.exec(part);
    return match
      ? { provider: match[1] as ModelTarget['provider'], model: match[2] as string }
      : { provider: 'anthropic', model: part };
  });
}

export function formatChain(chain: readonly ModelTarget[] | undefined): string {
  return (chain ?? []).map((t) => `${t.provider}:${t.model}`).join(', ');
}

function chainValid(control: AbstractControl<string>): ValidationErrors | null {
  const chain = parseChain(control.value);
  if (chain === null) return null;
  if (chain.length > 5) return { chain: 'At most 5 models.' };
  return chain.every((t) => MODEL_ID.test(t.model)) ? null : { chain: 'A model id is not valid.' };
}

function modelList(control: AbstractControl<string>): ValidationErrors | null {
  const ids = control.value
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  return ids.every((m) => MODEL_ID.test(m)) ? null : { models: true };
}

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

/**
 * The OpenAI-compatible provider (base URL, key status, models) and the
 * alias table: which models `architect`, `coder`, `reviewer`, `fast` and
 * `cheap` stand for, in fallback order.
 */
@Component({
  selector: 'tk-model-routing',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p class="note" data-testid="openai-key-status">
      Any server that speaks OpenAI's Chat Completions (OpenAI, Ollama, llama.cpp, LM Studio, vLLM,
      LiteLLM). Key:
      <strong>{{ view().openaiKeyConfigured ? 'set' : 'none' }}</strong>
      @if (view().apiKeyStorage === 'keychain') {
        — kept in the operating system's keychain.
      } @else {
        — read from <code>TROIKA_OPENAI_API_KEY</code> (or <code>OPENAI_API_KEY</code>) of the
        Troika server. Local servers need none.
      }
    </p>
    @if (view().apiKeyWritable) {
      <div class="row">
        <mat-form-field subscriptSizing="dynamic" floatLabel="always" class="grow">
          <mat-label>New OpenAI-compatible API key</mat-label>
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
        @if (view().openaiKeyConfigured) {
          <button mat-button type="button" [disabled]="busy()" (click)="clearKey()">Remove</button>
        }
      </div>
    }
    <form [formGroup]="form" (ngSubmit)="save()" novalidate aria-label="Model routing">
      <mat-form-field subscriptSizing="dynamic" floatLabel="always">
        <mat-label>OpenAI-compatible server URL</mat-label>
        <input
          matInput
          formControlName="openaiBaseURL"
          placeholder="None (e.g. https://api.openai.com/v1 or http://localhost:11434/v1)"
          autocomplete="off"
        />
        @if (form.controls.openaiBaseURL.hasError('url')) {
          <mat-error>Give an http:// or https:// URL.</mat-error>
        }
      </mat-form-field>
      <mat-form-field subscriptSizing="dynamic" floatLabel="always">
        <mat-label>Its models, comma-separated (the first is the default fallback)</mat-label>
        <input matInput formControlName="openaiModels" placeholder="gpt-4.1, gpt-4.1-mini" />
        @if (form.controls.openaiModels.hasError('models')) {
          <mat-error>Letters, digits and . _ : &#64; / - only.</mat-error>
        }
      </mat-form-field>
      <p class="note">
        Aliases: give an agent <code>coder</code> (or another alias) as its model. Each alias tries
        its models in order, moving on after repeated rate limits, overload, server errors or a
        dropped stream. Write <code>provider:model</code>, comma-separated; empty keeps the default
        shown.
      </p>
      @for (alias of aliases; track alias) {
        <mat-form-field subscriptSizing="dynamic" floatLabel="always">
          <mat-label>{{ alias }}</mat-label>
          <input
            matInput
            [formControlName]="alias"
            [placeholder]="chainOf(alias)"
            [attr.data-alias]="alias"
            autocomplete="off"
          />
          @if (form.controls[alias].errors?.['chain']; as message) {
            <mat-error>{{ message }}</mat-error>
          }
        </mat-form-field>
      }
      @if (error(); as e) {
        <p class="error" role="alert">{{ e }}</p>
      }
      @if (saved()) {
        <p class="ok" role="status">Model routing saved.</p>
      }
      <div class="actions">
        <button mat-flat-button type="submit" [disabled]="busy() || form.pristine">
          Save model routing
        </button>
      </div>
    </form>
  `,
  styles: `
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
export class ModelRouting {
  readonly #client = inject(ProtocolClient);
  readonly view = input.required<SettingsView>();
  /** The view after a change this section made. */
  readonly changed = output<SettingsView>();
  readonly aliases = MODEL_ALIASES;
  readonly busy = signal(false);
  readonly saved = signal(false);
  readonly error = signal<string | null>(null);
  readonly newKey = signal('');
  readonly form = new FormGroup({
    openaiBaseURL: new FormControl('', { nonNullable: true, validators: [httpUrl] }),
    openaiModels: new FormControl('', { nonNullable: true, validators: [modelList] }),
    architect: new FormControl('', { nonNullable: true, validators: [chainValid] }),
    coder: new FormControl('', { nonNullable: true, validators: [chainValid] }),
    reviewer: new FormControl('', { nonNullable: true, validators: [chainValid] }),
    fast: new FormControl('', { nonNullable: true, validators: [chainValid] }),
    cheap: new FormControl('', { nonNullable: true, validators: [chainValid] }),
  });

  constructor() {
    effect(() => {
      const s = this.view().settings;
      this.form.reset({
        openaiBaseURL: s.openaiBaseURL ?? '',
        openaiModels: (s.openaiModels ?? []).join(', '),
        ...Object.fromEntries(MODEL_ALIASES.map((a) => [a, formatChain(s.modelAliases?.[a])])),
      });
    });
  }

  chainOf(alias: ModelAlias): string {
    return formatChain(this.view().effective.modelAliases[alias]);
  }

  save(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return Promise.resolve();
    const v = this.form.getRawValue();
    const models = v.openaiModels
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    const table: Partial<AliasTable> = {};
    for (const alias of MODEL_ALIASES) {
      const chain = parseChain(v[alias]);
      if (chain) table[alias] = chain;
    }
    const changes: Partial<AppSettings> = {
      openaiBaseURL: v.openaiBaseURL.trim() || null,
      openaiModels: models.length > 0 ? models : null,
      modelAliases: Object.keys(table).length > 0 ? table : null,
    };
    return this.#run(() => this.#client.request('settings.update', changes), true);
  }

  setKey(): Promise<void> {
    const key = this.newKey().trim();
    this.newKey.set('');
    return this.#run(
      () => this.#client.request('settings.setApiKey', { key, provider: 'openai' }),
      false,
    );
  }

  clearKey(): Promise<void> {
    return this.#run(
      () => this.#client.request('settings.clearApiKey', { provider: 'openai' }),
      false,
    );
  }

  async #run(call: () => Promise<SettingsView>, isSave: boolean): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.saved.set(false);
    try {
      this.changed.emit(await call());
      this.saved.set(isSave);
    } catch (error) {
      this.error.set(
        error instanceof RequestError ? error.message : `Could not save: ${messageOf(error)}`,
      );
    } finally {
      this.busy.set(false);
    }
  }
}
