/** Small timing helpers for the cache benchmark. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Time each call of `op(i)` for `count` iterations; returns per-op durations in microseconds. */
export function sampleMicros(count: number, op: (index: number) => void): Float64Array {
  const samples = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    const start = process.hrtime.bigint();
    op(index);
    samples[index] = Number(process.hrtime.bigint() - start) / 1000;
  }
  return samples;
}

/** Operations per second of `op(i)` over `count` iterations, timed as one block (no per-op timer cost). */
export function opsPerSecond(count: number, op: (index: number) => void): number {
  const start = process.hrtime.bigint();
  for (let index = 0; index < count; index++) op(index);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return count / seconds;
}

/** The q-quantile (0..1) of samples. */
export function quantile(samples: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(samples).sort();
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Round for printing: enough digits to compare, not more. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A full garbage collection, for memory figures (enables `gc` on first use). */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}
