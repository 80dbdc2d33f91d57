/**
 * `bus/` owns request routing (this file), the event stream and the endpoint
 * that joins them to a transport.
 *
 * Maps method names to handlers. Params are validated with the method's schema
 * before a handler sees them, so handlers receive typed, trusted input.
 */
import { z } from 'zod';
import {
  methods,
  ProtocolError,
  type MethodName,
  type ParsedParamsOf,
  type ResultOf,
} from '../protocol/index.ts';

/** What a handler knows of the connection that called it. */
export interface CallContext {
  readonly connectionId: string;
}

export type Handler<M extends MethodName> = (
  params: ParsedParamsOf<M>,
  context: CallContext,
) => ResultOf<M> | Promise<ResultOf<M>>;

type AnyHandler = (params: unknown, context: CallContext) => unknown;

export class Router {
  readonly #handlers = new Map<string, AnyHandler>();

  handle<M extends MethodName>(name: M, handler: Handler<M>): void {
    if (this.#handlers.has(name)) throw new Error(`A handler for "${name}" is already registered`);
    this.#handlers.set(name, handler as AnyHandler);
  }

  /** Validates params and runs the handler; throws {@link ProtocolError} on bad input. */
  async dispatch(name: string, rawParams: unknown, context: CallContext): Promise<unknown> {
    const handler = this.#handlers.get(name);
    const spec = Object.hasOwn(methods, name) ? methods[name as MethodName] : undefined;
    if (!handler || !spec) throw new ProtocolError('unknown_method', `Unknown method "${name}"`);
    const parsed = spec.params.safeParse(rawParams ?? {});
    if (!parsed.success) {
      throw new ProtocolError(
        'invalid_params',
        `Invalid params for "${name}": ${z.prettifyError(parsed.error)}`,
      );
    }
    return handler(parsed.data, context);
  }
}
