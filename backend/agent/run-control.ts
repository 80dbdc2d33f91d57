/**
 * One run's control state, shared by the control surface (agent.ts), which
 * only sets flags and resolves waits, and the loop (step-loop.ts) and tool
 * runner (tool-runner.ts), which act on them at their safe points, so that
 * nothing is lost: the stop signal, the interrupt of a running command, and
 * the pause gate.
 */
import { AgentStopped, Deferred, untilStopped } from './control.ts';

export interface RunControlHost {
  /** The loop reached a safe point with a pause requested: it waits there. */
  paused(): void;
  /** The pause was lifted: the loop goes on. */
  running(): void;
}

export class RunControl {
  readonly #host: RunControlHost;
  #stop = new AbortController();
  #interrupt = new AbortController();
  #pauseRequested = false;
  #resumeGate: Deferred<void> | undefined;

  constructor(host: RunControlHost) {
    this.#host = host;
  }

  /** Aborts when the run is stopped (the user, shutdown); its reason is an {@link AgentStopped}. */
  get signal(): AbortSignal {
    return this.#stop.signal;
  }

  get pauseRequested(): boolean {
    return this.#pauseRequested;
  }

  /** A new run starts with nothing requested. */
  reset(): void {
    this.#stop = new AbortController();
    this.#interrupt = new AbortController();
    this.#pauseRequested = false;
  }

  /** The loop pauses at its next safe point; `interrupt` also interrupts the running command. */
  requestPause(interrupt: boolean): void {
    this.#pauseRequested = true;
    if (interrupt) this.#interrupt.abort();
  }

  /** Lifts a requested pause; false when none was requested. */
  resume(): boolean {
    if (!this.#pauseRequested) return false;
    this.#pauseRequested = false;
    this.#resumeGate?.resolve();
    return true;
  }

  stop(reason: string): void {
    this.#stop.abort(new AgentStopped(reason));
  }

  /** For one tool call: aborts on a stop or an interrupt (a new interrupt for each call after one). */
  toolSignal(): AbortSignal {
    if (this.#interrupt.signal.aborted) this.#interrupt = new AbortController();
    return AbortSignal.any([this.#stop.signal, this.#interrupt.signal]);
  }

  /** Throws when stopped; waits here while paused. */
  async safePoint(): Promise<void> {
    if (this.#stop.signal.aborted) throw this.#stop.signal.reason;
    if (!this.#pauseRequested) return;
    this.#resumeGate = new Deferred();
    this.#host.paused();
    try {
      await untilStopped(this.#resumeGate.promise, this.#stop.signal);
    } finally {
      this.#resumeGate = undefined;
    }
    this.#host.running();
  }

  /** Why the run ended early: stopped (with the user's reason) or failed (with the error's message). */
  endOf(error: unknown): { stopped: boolean; reason: string } {
    const stopped = error instanceof AgentStopped || this.#stop.signal.aborted;
    const reason = stopped
      ? this.#stop.signal.reason instanceof AgentStopped
        ? this.#stop.signal.reason.message
        : 'Stopped'
      : error instanceof Error
        ? error.message
        : String(error);
    return { stopped, reason };
  }
}
