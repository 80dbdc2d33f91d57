/**
 * `protocol/` owns the typed contract every side shares: methods, events,
 * frames, tool names.
 *
 * The protocol, typed once: every method (params schema + result type) and
 * every event, merged from one file per domain. The frontend and electron/
 * import types from here; the server validates requests against the method
 * schemas, the renderer what it receives against payloads/ (zod/mini).
 *
 * To add a domain: declare `fooMethods` in `foo.ts` and merge them below;
 * its events' payload schemas go in payloads/ and into payloads/events.ts.
 */
import type { z } from 'zod';
import { agentMethods } from './agent.ts';
import { changesMethods } from './changes.ts';
import type { MethodSpec } from './define.ts';
import { historyMethods } from './history.ts';
import { planDraftMethods } from './plan-drafts.ts';
import { planMethods } from './plans.ts';
import { landingMethods } from './landing.ts';
import { ptyMethods } from './pty.ts';
import { settingsMethods } from './settings.ts';
import { systemMethods } from './system.ts';

export * from './envelope.ts';
export type { HelloResult } from './system.ts';
export type {
  ActivePersona,
  AgentCacheUsage,
  AgentContextEvent,
  AgentContextUsage,
  AgentDetail,
  AgentHookReport,
  AgentState,
  AgentSummary,
  AgentUsage,
  ModelUsage,
  FinishReport,
  FinishStatus,
  HookEventLabel,
  HookOutcome,
  PendingApproval,
  PersonaTriggerMatch,
  PendingQuestion,
  TranscriptBlock,
  TranscriptEntry,
  TranscriptMessage,
} from './agent.ts';
export type { AgentChanges, FileChange, FileChangeStatus, WorkspaceInfo } from './changes.ts';
export type { RunUsage, Scrollback, UsageSummary } from './history.ts';
export type {
  CleanResult,
  ConflictFile,
  ConflictHandOverResult,
  GateResult,
  GateSpec,
  GateStatus,
  LandMode,
  LandResult,
  MergePreview,
  WorktreeEntry,
  WorktreeState,
} from './landing.ts';
export type {
  ApiKeyStorage,
  AppSettings,
  ApprovalRuleView,
  PersonaInfo,
  PermissionRuleView,
  SettingsView,
  TokenEconomyView,
} from './settings.ts';
export type { PlanCheck, PlanDetail, PlanSummary } from './plans.ts';
export type { PlanDraft } from './plan-drafts.ts';
export type { PtyKind, PtyReplayResult, PtySessionInfo, PtySignal, PtySpawnResult } from './pty.ts';

export const methods = {
  ...systemMethods,
  ...ptyMethods,
  ...agentMethods,
  ...settingsMethods,
  ...changesMethods,
  ...historyMethods,
  ...planMethods,
  ...planDraftMethods,
  ...landingMethods,
};

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> =
  Methods[M] extends MethodSpec<infer P, unknown> ? z.input<P> : never;
export type ParsedParamsOf<M extends MethodName> =
  Methods[M] extends MethodSpec<infer P, unknown> ? z.output<P> : never;
export type ResultOf<M extends MethodName> =
  Methods[M] extends MethodSpec<z.ZodType, infer R> ? R : never;

/** Every event and its payload, inferred from the schemas the renderer checks events against. */
export type { EventMap, EventName } from './payloads/events.ts';
export type { TroikaBridge } from './bridge.ts';
export { BRIDGE_GLOBAL } from './bridge.ts';
