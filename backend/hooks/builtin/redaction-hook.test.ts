import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Redactor } from '../../redaction/redact.ts';
import { HookPipeline } from '../pipeline.ts';
import { redactionHook } from './redaction-hook.ts';

const TOKEN = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';

function setup() {
  const redactor = new Redactor();
  redactor.addSecret('the-configured-api-key');
  return new HookPipeline({
    session: { agentId: 'a', cwd: '/w', transcriptPath: '' },
    hooks: [redactionHook(redactor)],
    onFailure: () => undefined,
  });
}

describe('redaction hook', () => {
  test('secrets in a tool result are replaced before anyone else sees it, and the person is told', async () => {
    const result = await setup().postToolUse({
      toolName: 'bash',
      toolUseId: 't',
      toolInput: { command: 'env' },
      toolResponse: {
        content: `GITHUB_TOKEN=${TOKEN}\nKEY=the-configured-api-key\n`,
        isError: false,
      },
    });
    assert.equal(
      result.response.content,
      'GITHUB_TOKEN=[REDACTED:github-token]\nKEY=[REDACTED:configured-secret]\n',
    );
    assert.deepEqual(result.systemMessages, [
      {
        hook: 'redaction',
        text: 'Hid 2 secrets (configured-secret, github-token) in the bash result.',
      },
    ]);
  });

  test('a result without secrets is left as it is', async () => {
    const result = await setup().postToolUse({
      toolName: 'bash',
      toolUseId: 't',
      toolInput: {},
      toolResponse: { content: 'const token = getToken();', isError: false },
    });
    assert.deepEqual(result.changedBy, []);
  });

  test('a secret pasted into a message is hidden before the model gets it', async () => {
    const result = await setup().userPromptSubmit({ prompt: `use ${TOKEN} to push` });
    assert.equal(result.prompt, 'use [REDACTED:github-token] to push');
  });
});
