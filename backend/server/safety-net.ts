/**
 * Web mode's last line of defence: an exception nothing caught, or a promise
 * rejection nothing handled, is logged and the process serves on. Node's
 * default is to exit, which here would kill every running agent and terminal
 * over one bug in one request's path. Request handlers have their own guards
 * (guards.ts); this catches what slips past them, such as a throw in a timer
 * or an event listener.
 */
import { describeError } from './guards.ts';

/** The part of `process` the net hooks into; an EventEmitter in tests. */
export interface ProcessEvents {
  on(
    event: 'uncaughtException' | 'unhandledRejection',
    listener: (error: unknown) => void,
  ): unknown;
  off(
    event: 'uncaughtException' | 'unhandledRejection',
    listener: (error: unknown) => void,
  ): unknown;
}

export interface SafetyNetOptions {
  log: (message: string) => void;
  /** Applied to every line before it is logged, so that no secret reaches the log. */
  redact: (text: string) => string;
  /** Defaults to the real process. */
  target?: ProcessEvents;
}

/** Installs the net; returns the function that takes it away again. */
export function installSafetyNet(options: SafetyNetOptions): () => void {
  const target = options.target ?? process;
  const report = (what: string) => (error: unknown) => {
    // A throw from here would end the process after all (exit code 7): log, or stay silent.
    try {
      options.log(options.redact(`${what}, still serving: ${describeError(error)}`));
    } catch {
      // Nowhere left to report to.
    }
  };
  const onException = report('Uncaught exception');
  const onRejection = report('Unhandled promise rejection');
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('uncaughtException', onException);
    target.off('unhandledRejection', onRejection);
  };
}
