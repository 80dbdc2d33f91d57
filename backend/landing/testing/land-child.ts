/**
 * `landing/testing/`: a landing in a process of its own, for the crash test: it lands
 * LAND_REPO's troika/w on main (gates on, one passing gate) and, on
 * reaching the step LAND_STOP_AT, says so on stdout and freezes there, so
 * the test can kill it (SIGKILL) exactly between two steps.
 */
import { landBranch } from '../land.ts';

const repo = process.env['LAND_REPO'] ?? '';
const stopAt = process.env['LAND_STOP_AT'] ?? '';

function freeze(): void {
  // A synchronous wait: the landing cannot take one more step, as in a crash.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}

await landBranch({
  repo,
  source: 'troika/w',
  target: 'main',
  mode: 'squash',
  message: 'Crash test landing',
  provenance: {
    agent: {
      id: 'crash',
      branch: 'troika/w',
      task: 'crash',
      model: 'm',
      persona: null,
      activePersona: null,
      usage: {
        requests: 0,
        inputTokens: 0,
        outputTokens: 0,
        cacheCreationInputTokens: 0,
        cacheReadInputTokens: 0,
        costUsd: 0,
      },
    },
  },
  gates: async (candidate) => {
    if (stopAt === 'gates') {
      console.log(`STOPPED gates ${candidate}`);
      freeze();
    }
    return [
      { name: 'ok', command: 'true', status: 'passed', exitCode: 0, durationMs: 0, output: '' },
    ];
  },
  progress: (step) => {
    if (step === stopAt) {
      console.log(`STOPPED ${step}`);
      freeze();
    }
  },
});
console.log('LANDED');
