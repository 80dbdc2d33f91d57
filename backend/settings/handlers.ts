/** The `settings.*` and `personas.list` protocol methods. */
import { loadPersonas } from '../personas/index.ts';
import { ProtocolError } from '../protocol/envelope.ts';
import type { EventBus } from '../server/events.ts';
import type { Router } from '../server/router.ts';
import type { SettingsStore } from './settings-store.ts';

export function registerSettingsHandlers(
  router: Router,
  events: EventBus,
  settings: SettingsStore,
): () => void {
  router.handle('settings.get', () => settings.view());
  router.handle('settings.update', (changes) => settings.update(changes));
  router.handle('settings.setApiKey', ({ key }) => failed(() => settings.setApiKey(key)));
  router.handle('settings.clearApiKey', () => failed(() => settings.clearApiKey()));
  router.handle('personas.list', async () => {
    const { personas, errors } = await loadPersonas({ userDir: settings.personasDir });
    return {
      personas: personas.map((p) => ({
        name: p.name,
        description: p.description,
        origin: p.origin,
      })),
      errors: errors.map((e) => e.message),
    };
  });
  return settings.onChange((view) => events.publish('settings.changed', view));
}

async function failed<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw new ProtocolError('failed', error instanceof Error ? error.message : String(error));
  }
}
