import { TestBed } from '@angular/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppSettings, SettingsView } from '../../../../backend/protocol/index.ts';
import { FakeTransport } from '../../testing/fake-transport';
import { PROTOCOL_TRANSPORT } from '../core/transport-provider';
import { formatChain, ModelRouting, parseChain } from './model-routing';

const anthropic = (model: string) => ({ provider: 'anthropic' as const, model });

function view(settings: Partial<AppSettings> = {}): SettingsView {
  const chain = [anthropic('claude-sonnet-5-5'), anthropic('claude-opus-5-5')];
  return {
    settings: {
      baseURL: null,
      defaultModel: null,
      defaultBudgetUsd: null,
      globalBudgetUsd: null,
      hooksFile: null,
      personasDir: null,
      tokenCache: null,
      references: null,
      clearing: null,
      agentTokenEconomy: null,
      openaiBaseURL: null,
      openaiModels: null,
      modelAliases: null,
      ...settings,
    },
    effective: {
      baseURL: null,
      defaultModel: 'claude-sonnet-5-5',
      defaultBudgetUsd: 10,
      globalBudgetUsd: 50,
      hooksFile: null,
      personasDir: '/p',
      tokenEconomy: { tokenCache: true, references: true, clearing: true },
      modelAliases: { architect: chain, coder: chain, reviewer: chain, fast: chain, cheap: chain },
    },
    apiKeyConfigured: true,
    openaiKeyConfigured: false,
    apiKeyStorage: 'environment',
    apiKeyWritable: false,
    restartRequired: [],
    models: [],
    file: '/data/troika-settings.json',
  };
}

describe('ModelRouting', () => {
  let transport: FakeTransport;

  beforeEach(() => {
    transport = new FakeTransport();
    TestBed.configureTestingModule({
      providers: [{ provide: PROTOCOL_TRANSPORT, useValue: transport }],
    });
  });

  it('reads a chain as provider:model pairs, a bare model being Anthropic’s', () => {
    expect(parseChain(' openai:gpt-4.1 , claude-haiku-5-5 ')).toEqual([
      { provider: 'openai', model: 'gpt-4.1' },
      anthropic('claude-haiku-5-5'),
    ]);
    expect(parseChain(' ')).toBeNull();
    expect(formatChain([{ provider: 'openai', model: 'gpt-4.1' }])).toBe('openai:gpt-4.1');
  });

  it('saves the server, its models and the aliases the user set, leaving the others to their defaults', async () => {
    transport.handle('settings.update', (changes: Partial<AppSettings>) => view(changes));
    const fixture = TestBed.createComponent(ModelRouting);
    fixture.componentRef.setInput('view', view());
    fixture.detectChanges();
    const routing = fixture.componentInstance;
    const changed: SettingsView[] = [];
    routing.changed.subscribe((v) => changed.push(v));

    const coder = fixture.nativeElement.querySelector('[data-alias="coder"]') as HTMLInputElement;
    expect(coder.placeholder).toBe('anthropic:claude-sonnet-5-5, anthropic:claude-opus-5-5');
    routing.form.patchValue({
      openaiBaseURL: 'http://localhost:11434/v1',
      openaiModels: 'llama3.1:8b, qwen2.5-coder',
      coder: 'anthropic:claude-sonnet-5-5, openai:qwen2.5-coder',
    });
    routing.form.markAsDirty();
    await routing.save();

    expect(transport.sent.map((r) => r.params)).toEqual([
      {
        openaiBaseURL: 'http://localhost:11434/v1',
        openaiModels: ['llama3.1:8b', 'qwen2.5-coder'],
        modelAliases: {
          coder: [anthropic('claude-sonnet-5-5'), { provider: 'openai', model: 'qwen2.5-coder' }],
        },
      },
    ]);
    expect(changed).toHaveLength(1);
    expect(routing.saved()).toBe(true);
  });

  it('refuses a chain with a malformed model id before anything is sent', async () => {
    const fixture = TestBed.createComponent(ModelRouting);
    fixture.componentRef.setInput('view', view());
    fixture.detectChanges();
    fixture.componentInstance.form.patchValue({ fast: 'openai:has space' });
    await fixture.componentInstance.save();
    expect(fixture.componentInstance.form.controls.fast.errors).toEqual({
      chain: 'A model id is not valid.',
    });
    expect(transport.sent).toEqual([]);
  });
});
