/**
 * `hooks/` owns the one hook contract. Every user prompt, tool call, model
 * request and stop of an agent passes one pipeline (`HookPipeline`), where
 * every hook has the one `Hook` type: Troika's built-ins (policy, redaction,
 * persona, token cache, tool-result clearing, audit) and the user's command
 * hooks (Claude Code's settings format: event as JSON on stdin, exit 2
 * blocks), registered in registration.ts and run in the order of order.ts.
 *
 * The agent loop sees the pipeline through the `HookRunner` seam (runner.ts);
 * {@link TroikaHooks} implements it and goes into `AgentManager({ hooks })`.
 * This folder imports nothing of the agent layer above it.
 */
export { TroikaHooks } from './troika-hooks.ts';
export type { TroikaHooksOptions } from './troika-hooks.ts';
export type { AgentHookEvent } from './hook-events.ts';
export { PromptRefusedError, RunEndedByHookError } from './runner.ts';
export type {
  HookAgent,
  HookRunner,
  RunOutcome,
  StopDecision,
  ToolCall,
  ToolDecision,
  WaitNotice,
} from './runner.ts';
export type * from './lifecycle.ts';
export { BUILTIN_HOOKS } from './registration.ts';
export type { BuiltinHookName } from './registration.ts';
export { policyHook, approvalRules, commandDecision } from './builtin/policy/index.ts';
export { clearingHook } from './builtin/clearing-hook.ts';
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
