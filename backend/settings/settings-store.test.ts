import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SettingsStore, SETTINGS_FILE_NAME, type ApiKeyWriter } from './settings-store.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function store(
  extra: { writer?: ApiKeyWriter; file?: string; env?: NodeJS.ProcessEnv } = {},
): SettingsStore {
  const dataDir = mkdtempSync(join(tmpdir(), 'troika-settings-'));
  dirs.push(dataDir);
  if (extra.file !== undefined) writeFileSync(join(dataDir, SETTINGS_FILE_NAME), extra.file);
  return new SettingsStore({
    dataDir,
    envBaseURL: 'http://env.example',
    runtimeBudgets: { defaultBudgetUsd: 10, globalBudgetUsd: 50 },
    apiKeyConfigured: false,
    apiKeyStorage: extra.writer ? 'keychain' : 'environment',
    apiKeyWriter: extra.writer,
    env: extra.env ?? {},
    log: () => undefined,
  });
}

test('a saved setting is what a new store reads, and what new agents get', () => {
  const first = store();
  first.update({
    defaultModel: 'claude-haiku-4-5',
    defaultBudgetUsd: 2,
    baseURL: 'http://127.0.0.1:9',
  });
  const saved = JSON.parse(readFileSync(first.file, 'utf8')) as Record<string, unknown>;
  assert.equal(saved['defaultModel'], 'claude-haiku-4-5');
  assert.deepEqual(first.startDefaults(), { model: 'claude-haiku-4-5', budgetUsd: 2 });
  assert.equal(first.baseURL, 'http://127.0.0.1:9');
  first.update({ baseURL: null });
  assert.equal(first.baseURL, 'http://env.example', 'clearing falls back to ANTHROPIC_BASE_URL');
});

test('invalid values are refused with the field named, and nothing is saved', () => {
  const s = store();
  assert.throws(() => s.update({ baseURL: 'ftp://x' }), /http/);
  assert.throws(() => s.update({ defaultBudgetUsd: -1 }), /more than 0/);
  assert.throws(() => s.update({ personasDir: 'relative/dir' }), /absolute/);
  assert.equal(s.view().settings.baseURL, null);
});

test('a damaged file is reported and the defaults apply', () => {
  const s = store({ file: '{ not json' });
  assert.equal(s.view().effective.defaultBudgetUsd, 10);
});

test('the global budget applies after a restart and the view says so', () => {
  const s = store();
  s.update({ globalBudgetUsd: 5 });
  const view = s.view();
  assert.deepEqual(view.restartRequired, ['globalBudgetUsd']);
  assert.equal(view.effective.globalBudgetUsd, 50);
});

test('web mode cannot store a key; the desktop keychain can, and the view never carries it', async () => {
  await assert.rejects(store().setApiKey('sk-ant-secret-0123456789abcdef'), /ANTHROPIC_API_KEY/);
  let kept: string | undefined;
  const s = store({
    writer: {
      get: () => kept,
      set: (k) => void (kept = k),
      clear: () => void (kept = undefined),
    },
  });
  const view = await s.setApiKey('sk-ant-secret-0123456789abcdef');
  assert.equal(view.apiKeyConfigured, true);
  assert.equal(view.apiKeyStorage, 'keychain');
  assert.deepEqual(view.restartRequired, ['apiKey']);
  assert.doesNotMatch(JSON.stringify(view), /sk-ant-secret/);
});

test('token economy switches: saved globally and per agent, over the environment, each on its own', () => {
  const s = store({ env: { TROIKA_REFERENCES: 'off' } });
  assert.deepEqual(s.view().effective.tokenEconomy, {
    tokenCache: true,
    references: false,
    clearing: true,
  });
  s.update({ clearing: false, references: true, agentTokenEconomy: { a1: { clearing: true } } });
  assert.deepEqual(s.view().effective.tokenEconomy, {
    tokenCache: true,
    references: true,
    clearing: false,
  });
  assert.deepEqual(s.globalEconomy(), { references: true, clearing: false });
  assert.deepEqual(s.agentEconomy('a1'), { clearing: true });
  assert.equal(s.agentEconomy('a2'), undefined);
  const saved = JSON.parse(readFileSync(s.file, 'utf8')) as Record<string, unknown>;
  assert.equal(saved['clearing'], false);
  assert.throws(() => s.update({ agentTokenEconomy: { a1: { cache: true } as never } }), /cache/);
});

test('the OpenAI-compatible server and the alias chains are saved, and apply only once that server is set', () => {
  const s = store();
  assert.ok(s.aliasTable().coder.every((t) => t.provider === 'anthropic'));
  s.update({
    openaiModels: ['gpt-4.1', 'gpt-4.1-mini'],
    modelAliases: {
      fast: [
        { provider: 'openai', model: 'gpt-4.1-mini' },
        { provider: 'anthropic', model: 'claude-haiku-5-5' },
      ],
    },
  });
  // No base URL yet: OpenAI targets are left out, so agents are not sent to a server that is not there.
  assert.deepEqual(s.aliasTable().fast, [{ provider: 'anthropic', model: 'claude-haiku-5-5' }]);
  const view = s.update({ openaiBaseURL: 'http://127.0.0.1:11434/v1' });
  assert.equal(s.openaiBaseURL, 'http://127.0.0.1:11434/v1');
  assert.equal(view.effective.modelAliases.fast[0]?.model, 'gpt-4.1-mini');
  // Built-in chains end on the server's first model.
  assert.deepEqual(view.effective.modelAliases.coder.at(-1), {
    provider: 'openai',
    model: 'gpt-4.1',
  });
  assert.equal(view.openaiKeyConfigured, false);
});

test('an alias chain must name a known provider and at least one model', () => {
  const s = store();
  assert.throws(() =>
    s.update({ modelAliases: { coder: [{ provider: 'acme' as 'openai', model: 'x' }] } }),
  );
  assert.throws(() => s.update({ modelAliases: { coder: [] } }), /at least one model/);
  assert.throws(() => s.update({ openaiBaseURL: 'http://user:pw@host/v1' }), /without credentials/);
});
