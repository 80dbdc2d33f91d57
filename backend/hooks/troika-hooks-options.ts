/** What {@link TroikaHooks} (troika-hooks.ts) is built from. */
import type { Persona } from '../personas/persona.ts';
import type { Redactor } from '../redaction/redact.ts';
import type { ClaudePermissions } from './builtin/policy/claude-permissions.ts';
import type { ClearingSettings } from './builtin/tool-result-clearing.ts';
import type { HookSettings } from './command/settings.ts';
import type { AgentHookEvent } from './hook-events.ts';
import type { BuiltinHookName } from './registration.ts';
import type { TokenEconomy } from './token-economy.ts';
import type { CacheProvider } from './workspace-caches.ts';

export interface TroikaHooksOptions {
  /**
   * The built-ins to register (each also needs its option below: `personas`,
   * `caches`, `clearing`). Default: all of them. The runtime without Troika's
   * hook files runs the policy alone.
   */
  readonly builtins?: readonly BuiltinHookName[];
  /** Loaded personas; omit for no persona hook. */
  readonly personas?: readonly Persona[];
  /** Persona names whose file failed to load: pinning one is an error, not persona text. */
  readonly failedPersonas?: ReadonlyMap<string, Error>;
  /** A workspace's own personas (its `.claude/agents` over the app-wide ones), when loaded; else `personas`. */
  readonly personasFor?: (
    workDir: string,
  ) => { personas: readonly Persona[]; failed: ReadonlyMap<string, Error> } | undefined;
  /** The user's command hooks; omit for none. */
  readonly settings?: HookSettings;
  /** Holds the registered secrets (the API key). Default: the default rules only. */
  readonly redactor?: Redactor;
  /** Token caches per workspace; omit for no cache hook. */
  readonly caches?: CacheProvider;
  /** Clear older tool results from what each request sends (see `tool-result-clearing.ts`); omit for none. */
  readonly clearing?: ClearingSettings;
  /** The environment command hooks inherit (the API key is always removed). Default `process.env`. */
  readonly commandEnv?: NodeJS.ProcessEnv;
  /** Claude Code's `transcript_path` for an agent; default none (`''`). */
  readonly transcriptPath?: (agentId: string) => string;
  /** Claude Code's permission rules for the policy hook; default the project's settings files only. */
  readonly permissions?: ClaudePermissions;
  /** Each agent's token economy switches (`token-economy.ts`); default all on (within `caches` and `clearing`). */
  readonly economy?: (agentId: string) => TokenEconomy;
  readonly onEvent: (agentId: string, event: AgentHookEvent) => void;
}
