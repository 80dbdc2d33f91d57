/** Test support: a tool context for tools that need no shell and no user (files, search, list). */
import type { ToolContext } from './tool.ts';

export function fileToolContext(
  workDir: string,
  signal = new AbortController().signal,
): ToolContext {
  return {
    workDir,
    signal,
    limits: { commandTimeoutMs: 5000, maxOutputChars: 30_000 },
    shell: () => Promise.reject(new Error('no shell in this test')),
    restartShell: () => Promise.reject(new Error('no shell in this test')),
    askUser: () => Promise.reject(new Error('no user in this test')),
  };
}
