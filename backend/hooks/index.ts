/**
 * Hooks: every user prompt, tool call, model request and stop of an agent
 * passes one pipeline, where Troika's built-ins (policy, redaction, persona,
 * token cache, audit) and the user's command hooks (Claude Code's settings
 * format: event as JSON on stdin, exit 2 blocks) run in one documented order.
 *
 * The runtime plugs {@link TroikaHooks} into its `AgentManager({ hooks })`;
 * the parts are exported for tests and for other wiring.
 */
export { TroikaHooks, PromptBlockedError } from './troika-hooks.ts';
export type { AgentHookEvent, TroikaHooksOptions } from './troika-hooks.ts';
export { WorkspaceCaches } from './workspace-caches.ts';
export type { CacheProvider, WorkspaceCachesOptions } from './workspace-caches.ts';
export { HookPipeline } from './pipeline.ts';
export type { HookPipelineOptions } from './pipeline.ts';
export { HookError } from './hook.ts';
export type { Hook, HookContext } from './hook.ts';
export { orderHooks } from './order.ts';
export type { AgentHookSet } from './order.ts';
export * from './types.ts';
export {
  loadHookSettings,
  parseHookSettings,
  HookSettingsError,
  DEFAULT_COMMAND_TIMEOUT_SECONDS,
} from './command/settings.ts';
export type { CommandHookSpec, HookSettings } from './command/settings.ts';
export { commandHooks, WITHHELD_ENV_VARS } from './command/command-hook.ts';
export { claudeToolName, toClaudeTool, fromClaudeInput, toolNames } from './claude-tools.ts';
export { redactionHook } from './builtin/redaction-hook.ts';
export { auditHook } from './builtin/audit-hook.ts';
export type { AuditRecord } from './builtin/audit-hook.ts';
export { PersonaSelection, personaHook } from './builtin/persona-hook.ts';
export type { PersonaChange } from './builtin/persona-hook.ts';
export { CacheLedger, cacheHook, estimateTokens } from './builtin/cache-hook.ts';
export type { CacheStats } from './builtin/cache-hook.ts';
export { fromAgentHook } from './builtin/agent-hook.ts';
