/**
 * Settings: what a user may change from the UI (base URL, default model,
 * budgets, hooks file, personas folder), persisted by the backend and applied
 * to agents started afterwards. The API key itself never crosses the
 * protocol outward: the UI learns only whether one is configured and where it
 * is kept (the OS keychain in the desktop app, the environment in web mode).
 */
import { z } from 'zod';
import { MAX_BUDGET_USD } from './agent.ts';
import { method } from './define.ts';
import { AliasTableSchema, ModelIdSchema, PROVIDER_IDS, type AliasTable } from './routing.ts';

/** Where the API key comes from: the desktop app's keychain, or `ANTHROPIC_API_KEY` (web mode). */
export type ApiKeyStorage = 'keychain' | 'environment';

/** Longest path accepted; far above any real OS limit on a whole path. */
const MAX_PATH = 4096;

/** An absolute path on any OS: `/x`, `C:\x`, `\\server\share`. */
const AbsolutePath = z
  .string()
  .trim()
  .min(1)
  .max(MAX_PATH)
  .refine((p) => /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(p), 'must be an absolute path');

const BaseUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((u) => {
    try {
      const url = new URL(u);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        url.username === '' &&
        url.password === ''
      );
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL without credentials');

const ModelId = ModelIdSchema;

const Budget = z
  .number()
  .positive('must be more than 0')
  .max(MAX_BUDGET_USD, `must be at most ${MAX_BUDGET_USD}`);

/** One agent's token economy switches; a switch left out follows the global setting. */
export const AgentTokenEconomySchema = z.strictObject({
  tokenCache: z.boolean().optional(),
  references: z.boolean().optional(),
  clearing: z.boolean().optional(),
});

/** The token economy switches in force (backend/hooks/token-economy.ts says what each does). */
export interface TokenEconomyView {
  tokenCache: boolean;
  references: boolean;
  clearing: boolean;
}

/** What the user set; `null` means "not set": the default (see {@link SettingsView.effective}) applies. */
export const AppSettingsSchema = z.strictObject({
  baseURL: BaseUrl.nullable(),
  defaultModel: ModelId.nullable(),
  defaultBudgetUsd: Budget.nullable(),
  globalBudgetUsd: Budget.nullable(),
  hooksFile: AbsolutePath.nullable(),
  personasDir: AbsolutePath.nullable(),
  /** Token economy switches for every agent; null: the environment's (`TROIKA_TOKEN_CACHE`, …), else on. */
  tokenCache: z.boolean().nullable(),
  references: z.boolean().nullable(),
  clearing: z.boolean().nullable(),
  /** Switches for single agents, by agent id, over the global ones. */
  agentTokenEconomy: z.record(z.string().min(1).max(100), AgentTokenEconomySchema).nullable(),
  /** The OpenAI-compatible server, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`; null: none. */
  openaiBaseURL: BaseUrl.nullable(),
  /** Models the OpenAI-compatible server offers, for the alias table; the first is the default fallback. */
  openaiModels: z.array(ModelId).max(50).nullable(),
  /** The user's alias chains; an alias left out keeps its default. */
  modelAliases: AliasTableSchema.nullable(),
});
export type AppSettings = z.output<typeof AppSettingsSchema>;

export interface SettingsView {
  settings: AppSettings;
  /** What applies now for each setting (the user's value, else the environment's, else the built-in default). */
  effective: {
    /** Null: Anthropic's API. */
    baseURL: string | null;
    defaultModel: string;
    /** Null: no cap. */
    defaultBudgetUsd: number | null;
    globalBudgetUsd: number | null;
    /** Null: no hooks file was found (none is named, and the data folder has neither hooks.json nor settings.json). */
    hooksFile: string | null;
    personasDir: string;
    /** For agents without switches of their own; applies to agents started (or run again) after a change. */
    tokenEconomy: TokenEconomyView;
    /** Every alias's chain as agents use it now (defaults filled in, unconfigured providers left out). */
    modelAliases: AliasTable;
  };
  apiKeyConfigured: boolean;
  /** Whether the OpenAI-compatible provider has a key (`TROIKA_OPENAI_API_KEY` or `OPENAI_API_KEY`); local servers need none. */
  openaiKeyConfigured: boolean;
  apiKeyStorage: ApiKeyStorage;
  /** Whether `settings.setApiKey` works here (the desktop app with a keychain). */
  apiKeyWritable: boolean;
  /** Settings changed since start-up that apply only after a restart (e.g. "globalBudgetUsd", "apiKey"). */
  restartRequired: string[];
  /** Model ids with a known price, newest families first; other ids are accepted too (a proxy's aliases). */
  models: string[];
  /** The file the settings are saved in. */
  file: string;
}

export interface PersonaInfo {
  name: string;
  /** One line: the description before any `<example>` block. */
  description: string;
  /** Shipped, `~/.claude/agents`, Troika's persona folder, or the workspace's `.claude/agents`. */
  origin: 'builtin' | 'claude-user' | 'user' | 'project';
  /** What was ignored or read leniently in its file (unknown keys, unmapped tools). */
  notes?: string[];
}

/** One row of the approval gate's rules: a command form, whether it asks or is refused, and why. */
export const ApprovalRuleSchema = z.strictObject({
  what: z.string().min(1),
  decision: z.enum(['ask', 'deny']),
  why: z.string().min(1),
});
export type ApprovalRuleView = z.output<typeof ApprovalRuleSchema>;

/** One of Claude Code's permission rules, as the gate applies it, with the settings file it came from. */
export interface PermissionRuleView {
  /** As written: `Bash(npm run test:*)`. */
  rule: string;
  decision: 'allow' | 'ask' | 'deny';
  /** `user` (~/.claude/settings.json), `project` (.claude/settings.json) or `local` (.claude/settings.local.json). */
  scope: 'user' | 'project' | 'local';
  source: string;
  /** Why Troika does not apply it (a tool it lacks), when it does not. */
  note?: string;
}

export const settingsMethods = {
  'settings.get': method(z.strictObject({})).returns<SettingsView>(),
  /** Changes the given settings (`null` clears one); validated, saved, announced by `settings.changed`. */
  'settings.update': method(AppSettingsSchema.partial()).returns<SettingsView>(),
  /** Stores an API key (Anthropic's unless `provider` says otherwise) in the OS keychain (desktop app only); it applies after a restart. */
  'settings.setApiKey': method(
    z.strictObject({ key: z.string().min(1).max(512), provider: z.enum(PROVIDER_IDS).optional() }),
  ).returns<SettingsView>(),
  'settings.clearApiKey': method(
    z.strictObject({ provider: z.enum(PROVIDER_IDS).optional() }),
  ).returns<SettingsView>(),
  /** What asks for approval before an agent's command runs (read-only: built into the gate). */
  'settings.approvalRules': method(z.strictObject({})).returns<{ rules: ApprovalRuleView[] }>(),
  /**
   * Claude Code's permission rules that feed the gate: the user's, and a project's when `workspace`
   * names a folder; merged, each with its file. Settings files that could not be read are `problems`.
   */
  'settings.permissionRules': method(
    z.strictObject({ workspace: z.optional(z.string().min(1).max(4096)) }),
  ).returns<{ rules: PermissionRuleView[]; problems: string[] }>(),
  /** The personas an agent can be pinned to (built-ins and the user's folder), with the user files that could not be read. */
  'personas.list': method(z.strictObject({})).returns<{
    personas: PersonaInfo[];
    errors: string[];
  }>(),
  /** Which persona the automatic choice would give `task`, and why (the triggers that matched); null: none. */
  'personas.choose': method(z.strictObject({ task: z.string().max(100_000) })).returns<{
    name: string | null;
    reason: string | null;
  }>(),
};

export interface SettingsEvents {
  'settings.changed': SettingsView;
}
