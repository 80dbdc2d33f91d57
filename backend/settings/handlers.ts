/** The `settings.*` and `personas.list` protocol methods. */
import { homedir } from 'node:os';
import { approvalRules, loadPermissionRules } from '../hooks/builtin/policy/index.ts';
import { projectRootOf } from '../hooks/builtin/policy/claude-permissions.ts';
import { choosePersona, loadPersonas, mentionedPaths } from '../personas/index.ts';
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
  router.handle('settings.permissionRules', ({ workspace }) => {
    // Without a workspace, only the user's own file: the project files are found from a folder.
    const project = workspace === undefined ? undefined : projectRootOf(workspace);
    const { rules, problems } = loadPermissionRules(project, homedir());
    return { rules: rules.map((r) => ({ ...r })), problems };
  });
  router.handle('personas.list', async () => {
    const { personas, errors } = await loadPersonas({ userDir: settings.personasDir });
    return {
      personas: personas.map((p) => ({
        name: p.name,
        description: p.summary ?? p.description,
        origin: p.origin,
        ...(p.notes !== undefined && { notes: [...p.notes] }),
      })),
      errors: errors.map((e) => e.message),
    };
  });
  router.handle('personas.choose', async ({ task }) => {
    const { personas } = await loadPersonas({ userDir: settings.personasDir });
    // The evidence the persona hook has at the first message: the text and the paths it names.
    const choice = choosePersona({ task, files: mentionedPaths(task) }, personas);
    return { name: choice?.persona.name ?? null, reason: choice?.reason ?? null };
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
