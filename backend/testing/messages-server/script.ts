/**
 * The script a test plays: a queue of turns served in order (a fault with
 * `repeat: n` is served to n requests before the queue moves on), then a
 * handler for whatever the queue does not cover.
 */
import type {
  FaultTurn,
  RecordedRequest,
  ReplyTurn,
  Turn,
  TurnContext,
  TurnHandler,
} from './types.ts';

/** Replies carry no `kind` (or `kind: 'reply'`); every fault names its kind. */
export function isReplyTurn(turn: Turn): turn is ReplyTurn {
  return turn.kind === undefined || turn.kind === 'reply';
}

export function isFaultTurn(turn: Turn): turn is FaultTurn {
  return !isReplyTurn(turn);
}

interface QueuedTurn {
  readonly turn: Turn;
  remaining: number;
}

export class TurnScript {
  readonly #queue: QueuedTurn[] = [];
  #handler: TurnHandler | undefined;
  #served = 0;

  constructor(turns: readonly Turn[] = [], handler?: TurnHandler) {
    this.enqueue(...turns);
    this.#handler = handler;
  }

  enqueue(...turns: Turn[]): void {
    for (const turn of turns) {
      const repeat = isFaultTurn(turn) ? (turn.repeat ?? 1) : 1;
      if (!Number.isInteger(repeat) || repeat < 1)
        throw new RangeError(`repeat must be a positive integer, got ${repeat}`);
      this.#queue.push({ turn, remaining: repeat });
    }
  }

  setHandler(handler: TurnHandler | undefined): void {
    this.#handler = handler;
  }

  /** Turns still queued, counting each repeat. */
  get pending(): number {
    return this.#queue.reduce((sum, queued) => sum + queued.remaining, 0);
  }

  /** The next turn for `request`, or `undefined` when nothing is scripted for it. */
  async next(request: RecordedRequest): Promise<Turn | undefined> {
    const context: TurnContext = { turnIndex: this.#served++ };
    const head = this.#queue[0];
    if (head) {
      head.remaining -= 1;
      if (head.remaining === 0) this.#queue.shift();
      return head.turn;
    }
    return this.#handler ? await this.#handler(request, context) : undefined;
  }
}
