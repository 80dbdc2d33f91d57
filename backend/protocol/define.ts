/**
 * How a protocol method is declared: a zod schema for its params (validated at
 * runtime on the way in) and a phantom type for its result (produced by our
 * own server, so a type suffices).
 */
import type { z } from 'zod';

export interface MethodSpec<P extends z.ZodType, R> {
  readonly params: P;
  /** Phantom: carries the result type, never set at runtime. */
  readonly result?: R;
}

export function method<P extends z.ZodType>(params: P) {
  return {
    returns<R>(): MethodSpec<P, R> {
      return { params };
    },
  };
}
