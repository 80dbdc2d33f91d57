/**
 * Waiting, cancellably: every wait in an agent (for a resume, an approval, an
 * answer, a retry delay) ends when the agent is stopped, so nothing hangs.
 */

/** Thrown inside the loop when the user (or shutdown) stops the agent. */
export class AgentStopped extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'AgentStopped';
  }
}

/** Thrown inside the loop for a failure the agent cannot recover from; the message is for the user. */
export class AgentFailure extends Error {
  readonly kind: string;
  constructor(kind: string, message: string) {
    super(message);
    this.name = 'AgentFailure';
    this.kind = kind;
  }
}

/** A control call that does not fit the agent's state; the manager maps `code` to a protocol error. */
export class AgentControlError extends Error {
  readonly code: 'conflict' | 'not_found';
  constructor(code: 'conflict' | 'not_found', message: string) {
    super(message);
    this.name = 'AgentControlError';
    this.code = code;
  }
}

export class Deferred<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (error: unknown) => void;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

function stoppedBy(signal: AbortSignal): AgentStopped {
  return signal.reason instanceof AgentStopped ? signal.reason : new AgentStopped('Stopped');
}

/** Resolves with `promise`, or rejects with {@link AgentStopped} once `signal` aborts. */
export function untilStopped<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(stoppedBy(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(stoppedBy(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return untilStopped(
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
    signal,
  ).finally(() => clearTimeout(timer));
}
