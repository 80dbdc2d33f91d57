/**
 * What the hooks report about an agent, for its event log and the UI (the
 * agent layer turns these into `agent.hook` reports, see
 * agent/hook-reports.ts).
 */
import type { AuditRecord } from './builtin/audit-hook.ts';
import type { CacheStats } from './builtin/cache-hook.ts';
import type { PersonaChange } from './builtin/persona-hook.ts';
import type { Clearing } from './builtin/tool-result-clearing.ts';
import type { HookFailure, HookMessage, PipelineEventName } from './types.ts';

export type AgentHookEvent =
  | { readonly type: 'hook.failure'; readonly failure: HookFailure }
  | {
      readonly type: 'hook.message';
      readonly event: PipelineEventName;
      readonly message: HookMessage;
    }
  | { readonly type: 'persona.change'; readonly change: PersonaChange }
  | { readonly type: 'audit'; readonly record: AuditRecord }
  | { readonly type: 'cache.stats'; readonly stats: CacheStats }
  /** Older tool results were cleared from the model's view (the transcript keeps them). */
  | { readonly type: 'context.cleared'; readonly clearing: Clearing }
  /** A hook asked for something the runtime's seam cannot do yet; said, not dropped. */
  | {
      readonly type: 'hook.unsupported';
      readonly event: PipelineEventName;
      readonly hook: string;
      readonly request: string;
    };
