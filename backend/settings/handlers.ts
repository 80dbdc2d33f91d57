/** The `settings.*` and `personas.list` protocol methods. */
import { approvalRules } from '../agent/policy/index.ts';
import { loadPersonas } from '../personas/index.ts';
import { ProtocolError } from '../protocol/envelope.ts';
import { ApprovalRuleSchema } from '../protocol/settings.ts';
import type { EventBus } from '../bus/events.ts';
import type { Router } from '../bus/router.ts';
import type { SettingsStore } from './settings-store.ts';

export function registerSettingsHandlers(
  router: Router,
  events: EventBus,
  settings: SettingsStore,
): () => void {
  router.handle('settings.get', () => settings.view());
  router.handle('settings.update', (changes) => settings.update(changes));
  router.handle('settings.setApiKey', ({ key, provider }) =>
    failed(() => settings.setApiKey(key, provider)),
  );
  router.handle('settings.clearApiKey', ({ provider }) =>
    failed(() => settings.clearApiKey(provider)),
  );
  // Checked against the protocol's shape once, so a rule the UI cannot show fails at start-up.
  const rules = ApprovalRuleSchema.array().parse(approvalRules());
  router.handle('settings.approvalRules', () => ({ rules }));
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
