/**
 * The `pty.*` protocol methods and events: requests go to the
 * {@link PtyManager}; every session's output and exit are published on the
 * event bus for all connections.
 */
import { ProtocolError } from '../protocol/envelope.ts';
import type { EventBus } from '../bus/events.ts';
import type { Router } from '../bus/router.ts';
import type { Disposable } from './emitter.ts';
import { PtyError } from './pty-error.ts';
import type { PtyManager } from './pty-manager.ts';
import type { PtySession } from './pty-session.ts';

/** Registers the handlers; dispose the result to stop publishing (the manager is disposed by its owner). */
export function registerPtyHandlers(
  router: Router,
  events: EventBus,
  manager: PtyManager,
): Disposable {
  const sessionListeners = new Map<string, Disposable[]>();

  const publish = (session: PtySession): void => {
    const { id } = session;
    sessionListeners.set(id, [
      // The raw bytes ride along for transports that send bytes instead of the JSON event;
      // the text is decoded only if a listener reads it (a JSON client, an agent's scrollback).
      session.onData((output) =>
        events.publish(
          'pty.data',
          {
            id,
            seq: output.seq,
            get data() {
              return output.data;
            },
          },
          output.bytes,
        ),
      ),
      session.onExit(({ exitCode, signal }) =>
        events.publish('pty.exit', { id, exitCode, signal }),
      ),
    ]);
    events.publish('pty.opened', session.info());
  };
  const unpublish = (id: string): void => {
    for (const listener of sessionListeners.get(id) ?? []) listener.dispose();
    sessionListeners.delete(id);
  };
  for (const session of manager.list()) publish(session);
  const managerListeners = [
    manager.onDidOpen(publish),
    manager.onDidClose((id) => {
      unpublish(id);
      events.publish('pty.closed', { id });
    }),
  ];

  router.handle('pty.spawn', (params) => {
    const session = guard(() => manager.spawn({ ...params, kind: 'shell' }));
    return { id: session.id, pid: session.pid, shell: session.shell };
  });
  router.handle('pty.write', ({ id, data }) => {
    guard(() => manager.require(id).write(data));
    return null;
  });
  router.handle('pty.resize', ({ id, cols, rows }) => {
    guard(() => manager.require(id).resize(cols, rows));
    return null;
  });
  router.handle('pty.kill', ({ id, signal }) => {
    guard(() => manager.require(id).kill(signal));
    return null;
  });
  router.handle('pty.close', async ({ id }) => {
    await guard(() => manager.close(id)).catch(translate);
    return null;
  });
  router.handle('pty.list', () => ({ sessions: manager.list().map((session) => session.info()) }));
  router.handle('pty.ack', ({ id, bytes }) => {
    guard(() => manager.require(id).acknowledge(bytes));
    return null;
  });
  router.handle('pty.replay', ({ id }) => guard(() => manager.require(id).replay()));

  return {
    dispose() {
      for (const listener of managerListeners) listener.dispose();
      for (const id of [...sessionListeners.keys()]) unpublish(id);
    },
  };
}

/** Runs a manager call, turning its {@link PtyError} into the protocol's error reply. */
function guard<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    return translate(error);
  }
}

function translate(error: unknown): never {
  if (error instanceof PtyError) throw new ProtocolError(error.code, error.message);
  throw error;
}
