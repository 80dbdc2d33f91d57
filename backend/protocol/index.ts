/**
 * The protocol, typed once: every method (params schema + result type) and
 * every event, merged from one file per domain. The frontend and electron/
 * import types from here; the server validates against the schemas.
 *
 * To add a domain: declare `fooMethods` and `FooEvents` in `foo.ts` and merge
 * them below.
 */
import type { z } from 'zod';
import { agentMethods, type AgentEvents } from './agent.ts';
import { changesMethods, type ChangesEvents } from './changes.ts';
import type { MethodSpec } from './define.ts';
import { historyMethods } from './history.ts';
import { ptyMethods, type PtyEvents } from './pty.ts';
import { settingsMethods, type SettingsEvents } from './settings.ts';
import { systemMethods, type SystemEvents } from './system.ts';

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
  ApiKeyStorage,
  AppSettings,
  ApprovalRuleView,
  PersonaInfo,
  SettingsView,
} from './settings.ts';
export type { PtyKind, PtyReplayResult, PtySessionInfo, PtySignal, PtySpawnResult } from './pty.ts';

export const methods = {
  ...systemMethods,
  ...ptyMethods,
  ...agentMethods,
  ...settingsMethods,
  ...changesMethods,
  ...historyMethods,
};

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> =
  Methods[M] extends MethodSpec<infer P, unknown> ? z.input<P> : never;
export type ParsedParamsOf<M extends MethodName> =
  Methods[M] extends MethodSpec<infer P, unknown> ? z.output<P> : never;
export type ResultOf<M extends MethodName> =
  Methods[M] extends MethodSpec<z.ZodType, infer R> ? R : never;

export type EventMap = SystemEvents & PtyEvents & AgentEvents & SettingsEvents & ChangesEvents;
export type EventName = keyof EventMap;
export type { TroikaBridge } from './bridge.ts';
export { BRIDGE_GLOBAL } from './bridge.ts';
