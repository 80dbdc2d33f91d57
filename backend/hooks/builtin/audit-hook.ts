/**
 * The `audit` built-in: a compact record of every tool call's decision and
 * result size, and of every stop, handed to a sink (the runtime appends it to
 * the agent's event log). Records hold names, decisions and sizes, never
 * contents, so the log stays small and free of file data.
 */
import type { Hook } from '../hook.ts';
import type { PermissionDecision } from '../types.ts';

export const AUDIT_HOOK_NAME = 'audit';

export type AuditRecord =
  | {
      readonly type: 'tool.decision';
      readonly toolUseId: string;
      readonly tool: string;
      readonly decision: PermissionDecision;
      readonly reason?: string;
      readonly decidedBy: readonly string[];
      readonly inputChangedBy: readonly string[];
      /** The hook that answered in the tool's place (the cache), when one did. */
      readonly answeredBy?: string;
      readonly inputBytes: number;
    }
  | {
      readonly type: 'tool.result';
      readonly toolUseId: string;
      readonly tool: string;
      readonly isError: boolean;
      readonly resultBytes: number;
      readonly answeredBy?: string;
    }
  | { readonly type: 'stop'; readonly stopHookActive: boolean };

export interface AuditHookOptions {
  readonly sink: (record: AuditRecord) => void;
  /** Applied to reasons (a command hook's stderr may quote anything). */
  readonly redact?: (text: string) => string;
}

function bytes(value: unknown): number {
  return Buffer.byteLength(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
}

/** The audit hook; put it last, so it records what every other hook decided. */
export function auditHook(options: AuditHookOptions): Hook {
  const redact = options.redact ?? ((text: string) => text);
  return {
    name: AUDIT_HOOK_NAME,
    toolDecided(event, result) {
      options.sink({
        type: 'tool.decision',
        toolUseId: event.toolUseId,
        tool: event.toolName,
        decision: result.decision,
        ...(result.reason !== undefined && { reason: redact(result.reason) }),
        decidedBy: result.decidedBy,
        inputChangedBy: result.inputChangedBy,
        ...(result.response !== undefined && { answeredBy: result.response.hook }),
        inputBytes: bytes(result.input),
      });
    },
    postToolUse(event) {
      options.sink({
        type: 'tool.result',
        toolUseId: event.toolUseId,
        tool: event.toolName,
        isError: event.toolResponse.isError,
        resultBytes: bytes(event.toolResponse.content),
        ...(event.answeredBy !== undefined && { answeredBy: event.answeredBy }),
      });
      return undefined;
    },
    stop(event) {
      options.sink({ type: 'stop', stopHookActive: event.stopHookActive });
      return undefined;
    },
  };
}
