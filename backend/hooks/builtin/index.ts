/**
 * `hooks/builtin/` owns Troika's built-in hooks, each a plain `Hook` made by
 * a factory and registered like the user's command hooks (registration.ts,
 * in the order of order.ts): the approval policy (policy/), secret
 * redaction, the persona, the token cache, tool-result clearing and the
 * audit log. Each keeps what must outlive a run (a persona choice, the cache
 * ledger, what was cleared) in an object the runner holds per agent.
 */
export { auditHook, type AuditRecord } from './audit-hook.ts';
export { CacheLedger, cacheHook, type CacheStats } from './cache-hook.ts';
export { clearingHook } from './clearing-hook.ts';
export { PersonaSelection, personaHook, type PersonaChange } from './persona-hook.ts';
export { policyHook } from './policy/index.ts';
export { redactionHook } from './redaction-hook.ts';
export {
  ToolResultClearing,
  type Clearing,
  type ClearingSettings,
} from './tool-result-clearing.ts';
