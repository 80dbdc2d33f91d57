import type { ErrorCode } from '../protocol/envelope.ts';

/** A terminal operation refused, with the protocol error code that says why. */
export class PtyError extends Error {
  readonly code: Extract<
    ErrorCode,
    'invalid_params' | 'not_found' | 'conflict' | 'limit_reached' | 'failed'
  >;
  constructor(code: PtyError['code'], message: string) {
    super(message);
    this.name = 'PtyError';
    this.code = code;
  }
}
