/**
 * `settings/` owns the user's settings: the stored file and the `settings.*`
 * methods.
 *
 * The user's settings, in `<dataDir>/troika-settings.json` (the name leaves
 * `settings.json` to Claude Code's hooks format). Validated with the
 * protocol's schema on the way in and on load; a damaged file is reported
 * and the defaults apply, so a typo never keeps Troika from starting.
 *
 * What applies when: the default model and per-agent budget, and the base
 * URL, apply to every agent started after a change; the global budget and an
 * API key stored in the keychain apply after a restart (the view says so).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolveHooksFile, resolvePersonasDir } from '../agent/hooks-config.ts';
import { DEFAULT_MODEL, MODEL_PRICES } from '../provider/models.ts';
import { economyFromEnv, resolveEconomy, type TokenEconomy } from '../hooks/token-economy.ts';
import { effectiveAliasTable } from '../provider/routing.ts';
import type { AliasTable, ProviderId } from '../protocol/routing.ts';
import {
  AppSettingsSchema,
  type ApiKeyStorage,
  type AppSettings,
  type SettingsView,
} from '../protocol/settings.ts';

export const SETTINGS_FILE_NAME = 'troika-settings.json';

export const EMPTY_SETTINGS: AppSettings = {
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
};

/** The keychain-backed key store of the desktop app (electron/api-key-store.ts has this shape). */
export interface ApiKeyWriter {
  get(): string | undefined;
  /** May be asynchronous: the desktop app's backend process asks the main process, which holds the keychain. */
  set(key: string): void | Promise<void>;
  clear(): void | Promise<void>;
}

export interface SettingsStoreOptions {
  dataDir: string;
  /** `ANTHROPIC_BASE_URL` at start-up, the fallback when no base URL is set. */
  envBaseURL: string | undefined;
  /** The runtime's budgets from the environment or built-in defaults, the fallbacks when none is set. */
  runtimeBudgets: { defaultBudgetUsd: number | null; globalBudgetUsd: number | null };
  /** Whether the backend started with a key. */
  apiKeyConfigured: boolean;
  /** Whether the backend started with a key for the OpenAI-compatible provider. */
  openaiKeyConfigured?: boolean;
  apiKeyStorage: ApiKeyStorage;
  /** Present in the desktop app: where `settings.setApiKey` stores the key. */
  apiKeyWriter?: ApiKeyWriter | undefined;
  /** The same for the OpenAI-compatible provider's key. */
  openaiKeyWriter?: ApiKeyWriter | undefined;
  /** Where `TROIKA_HOOKS_FILE` and `TROIKA_PERSONAS_DIR` are read (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
}

/** Reads and validates a settings file; a missing file is empty settings, a damaged one is reported. */
export function readSettingsFile(file: string): { settings: AppSettings; error: string | null } {
  if (!existsSync(file)) return { settings: EMPTY_SETTINGS, error: null };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return {
      settings: EMPTY_SETTINGS,
      error: `${file} is not valid JSON (${(error as Error).message}); using the defaults`,
    };
  }
  const parsed = AppSettingsSchema.partial().safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      settings: EMPTY_SETTINGS,
      error: `${file}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is invalid'}; using the defaults`,
    };
  }
  return { settings: { ...EMPTY_SETTINGS, ...parsed.data }, error: null };
}

/** Model ids with a price, dated snapshots left out (their alias is listed). */
function knownModels(): string[] {
  return Object.keys(MODEL_PRICES).filter((id) => !/-\d{8}$/.test(id));
}

export class SettingsStore {
  readonly file: string;
  readonly #options: SettingsStoreOptions;
  readonly #atStart: AppSettings;
  #settings: AppSettings;
  readonly #keyChanged = { anthropic: false, openai: false };
  readonly #listeners = new Set<(view: SettingsView) => void>();

  constructor(options: SettingsStoreOptions) {
    this.#options = options;
    this.file = join(options.dataDir, SETTINGS_FILE_NAME);
    const { settings, error } = readSettingsFile(this.file);
    if (error) options.log?.(error);
    this.#settings = settings;
    this.#atStart = settings;
  }

  get current(): AppSettings {
    return this.#settings;
  }

  /** The base URL new agents use: the user's, else `ANTHROPIC_BASE_URL`, else Anthropic's API (undefined). */
  get baseURL(): string | undefined {
    return this.#settings.baseURL ?? this.#options.envBaseURL;
  }

  /** The OpenAI-compatible server new agents may use, or undefined for none. */
  get openaiBaseURL(): string | undefined {
    return this.#settings.openaiBaseURL ?? undefined;
  }

  /** Every alias's chain: the user's, else the default, with OpenAI-compatible targets only when that server is set. */
  aliasTable(): AliasTable {
    const { openaiBaseURL, openaiModels, modelAliases } = this.#settings;
    const table = effectiveAliasTable(modelAliases, openaiBaseURL ? openaiModels?.[0] : undefined);
    if (openaiBaseURL) return table;
    for (const alias of Object.keys(table) as (keyof AliasTable)[]) {
      const usable = table[alias].filter((t) => t.provider !== 'openai');
      // An alias the user pointed only at the unset server keeps its chain: routing then says what to configure.
      if (usable.length > 0) table[alias] = usable;
    }
    return table;
  }

  /** The hooks file agents load (as the runtime resolves it: setting, `TROIKA_HOOKS_FILE`, files in the data folder), or null for none. */
  get hooksFile(): string | null {
    return (
      resolveHooksFile(
        this.#options.dataDir,
        this.#options.env ?? process.env,
        this.#settings.hooksFile ?? undefined,
      ).file ?? null
    );
  }

  /** The user's persona folder (setting, `TROIKA_PERSONAS_DIR`, or `<dataDir>/personas`). */
  get personasDir(): string {
    return resolvePersonasDir(
      this.#options.dataDir,
      this.#options.env ?? process.env,
      this.#settings.personasDir ?? undefined,
    );
  }

  /** The token economy switches the settings set for every agent (unset ones are left to the environment). */
  globalEconomy(): Partial<TokenEconomy> {
    const { tokenCache, references, clearing } = this.#settings;
    return {
      ...(tokenCache !== null && { tokenCache }),
      ...(references !== null && { references }),
      ...(clearing !== null && { clearing }),
    };
  }

  /** The switches the settings set for one agent, over the global ones. */
  agentEconomy(agentId: string): Partial<TokenEconomy> | undefined {
    return this.#settings.agentTokenEconomy?.[agentId];
  }

  /** The switches in force for agents without their own: settings, then the environment, then on. */
  effectiveEconomy(): TokenEconomy {
    let env: Partial<TokenEconomy> = {};
    try {
      env = economyFromEnv(this.#options.env ?? process.env);
    } catch {
      // The runtime reports a bad value once, at start-up; here it counts as unset, as there.
    }
    return resolveEconomy(this.globalEconomy(), env);
  }

  /** What `agent.start` fills in when the caller leaves it out. */
  startDefaults(): { model?: string; budgetUsd?: number } {
    const { defaultModel, defaultBudgetUsd } = this.#settings;
    return {
      ...(defaultModel ? { model: defaultModel } : {}),
      ...(defaultBudgetUsd ? { budgetUsd: defaultBudgetUsd } : {}),
    };
  }

  /** The environment the agent runtime reads its budgets from, with the user's global budget over it. */
  runtimeEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const global = this.#atStart.globalBudgetUsd;
    return global === null ? env : { ...env, TROIKA_GLOBAL_BUDGET_USD: String(global) };
  }

  update(changes: Partial<AppSettings>): SettingsView {
    const next = AppSettingsSchema.parse({ ...this.#settings, ...changes });
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
    this.#settings = next;
    return this.#announce();
  }

  async setApiKey(key: string, provider: ProviderId = 'anthropic'): Promise<SettingsView> {
    await this.#requireWriter(provider).set(key);
    this.#keyChanged[provider] = true;
    return this.#announce();
  }

  async clearApiKey(provider: ProviderId = 'anthropic'): Promise<SettingsView> {
    await this.#requireWriter(provider).clear();
    this.#keyChanged[provider] = true;
    return this.#announce();
  }

  onChange(listener: (view: SettingsView) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  view(): SettingsView {
    const s = this.#settings;
    const writer = this.#options.apiKeyWriter;
    const restartRequired: string[] = [];
    for (const key of ['globalBudgetUsd', 'hooksFile', 'personasDir'] as const) {
      if (s[key] !== this.#atStart[key]) restartRequired.push(key);
    }
    if (this.#keyChanged.anthropic) restartRequired.push('apiKey');
    if (this.#keyChanged.openai) restartRequired.push('openaiApiKey');
    const openaiWriter = this.#options.openaiKeyWriter;
    return {
      settings: s,
      effective: {
        baseURL: this.baseURL ?? null,
        defaultModel: s.defaultModel ?? DEFAULT_MODEL,
        defaultBudgetUsd: s.defaultBudgetUsd ?? this.#options.runtimeBudgets.defaultBudgetUsd,
        globalBudgetUsd:
          this.#atStart.globalBudgetUsd ?? this.#options.runtimeBudgets.globalBudgetUsd,
        hooksFile: this.hooksFile,
        personasDir: this.personasDir,
        tokenEconomy: this.effectiveEconomy(),
        modelAliases: this.aliasTable(),
      },
      apiKeyConfigured:
        writer && this.#keyChanged.anthropic
          ? writer.get() !== undefined
          : this.#options.apiKeyConfigured,
      openaiKeyConfigured:
        openaiWriter && this.#keyChanged.openai
          ? openaiWriter.get() !== undefined
          : (this.#options.openaiKeyConfigured ?? false),
      apiKeyStorage: this.#options.apiKeyStorage,
      apiKeyWritable: writer !== undefined,
      restartRequired,
      models: knownModels(),
      file: this.file,
    };
  }

  #requireWriter(provider: ProviderId): ApiKeyWriter {
    const writer =
      provider === 'openai' ? this.#options.openaiKeyWriter : this.#options.apiKeyWriter;
    if (!writer) {
      const variable = provider === 'openai' ? 'TROIKA_OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
      throw new Error(
        `In web mode the API key comes only from the ${variable} environment variable of the Troika server; set it there and restart.`,
      );
    }
    return writer;
  }

  #announce(): SettingsView {
    const view = this.view();
    for (const listener of this.#listeners) listener(view);
    return view;
  }
}
