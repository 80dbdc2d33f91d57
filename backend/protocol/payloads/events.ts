/**
 * `protocol/payloads/` owns the event payload schemas the renderer checks
 * what it receives against.
 *
 * Every event the backend sends, by name, with the schema of its payload: the
 * one definition of the event map (index.ts infers `EventMap` from it), and
 * what the renderer checks each inbound event against.
 *
 * The files in payloads/ are the part of the protocol the browser loads at
 * runtime, so they use zod/mini (tree-shakable functions rather than
 * methods), never the full zod (eslint.config.js enforces both sides).
 */
import * as z from 'zod/mini';
import type { SettingsView } from '../settings.ts';
import { agentEventSchemas } from './agent.ts';
import { planDraftEventSchemas } from './plan-drafts.ts';
import { planEventSchemas } from './plans.ts';
import { landingEventSchemas } from './landing.ts';
import { ptyEventSchemas } from './pty.ts';

/**
 * An object, its fields not checked here: SettingsView is still declared as a
 * type in settings.ts, so its schema cannot be shared yet.
 */
const SettingsViewShape = z.custom<SettingsView>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'expected an object',
);

export const eventSchemas = {
  /** Sent to a connection right after it opens. */
  'system.welcome': z.object({ connectionId: z.string() }),
  ...ptyEventSchemas,
  ...agentEventSchemas,
  'settings.changed': SettingsViewShape,
  /** An agent's worktree was committed or reset from the UI. */
  'changes.updated': z.object({ agentId: z.string() }),
  ...planEventSchemas,
  ...planDraftEventSchemas,
  ...landingEventSchemas,
};

export type EventMap = { [E in keyof typeof eventSchemas]: z.infer<(typeof eventSchemas)[E]> };
export type EventName = keyof EventMap;
