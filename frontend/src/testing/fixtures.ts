import type { AgentSummary, PtySessionInfo } from '../../../backend/protocol/index.ts';

/** A well-formed agent summary, as the backend sends it; `overrides` sets what a test is about. */
export function agentSummary(overrides: Partial<AgentSummary> = {}): AgentSummary {
  return {
    id: 'a1',
    task: 'Fix the failing test',
    model: 'claude-sonnet-4-6',
    persona: null,
    workspace: '/work/repo',
    workDir: '/work/repo/.troika/a1',
    branch: 'troika/a1',
    state: 'running',
    stateReason: null,
    ptyId: 'p1',
    budgetUsd: null,
    usage: {
      requests: 1,
      inputTokens: 100,
      outputTokens: 20,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
      costUsd: 0.01,
    },
    pendingApproval: null,
    pendingQuestion: null,
    queuedMessages: 0,
    resumable: false,
    activePersona: null,
    cache: { lookups: 0, hits: 0, misses: 0, references: 0, savedTokens: 0, servedTokens: 0 },
    context: null,
    report: null,
    createdAt: 1000,
    updatedAt: 1000,
    ...overrides,
  };
}

/** A well-formed terminal session, as the backend sends it. */
export function ptyInfo(overrides: Partial<PtySessionInfo> = {}): PtySessionInfo {
  return {
    id: 'p1',
    name: 'Shell 1',
    kind: 'shell',
    pid: 4242,
    shell: '/bin/bash',
    cwd: '/home/user',
    cols: 80,
    rows: 24,
    title: 'bash',
    alive: true,
    exitCode: null,
    signal: null,
    ...overrides,
  };
}
