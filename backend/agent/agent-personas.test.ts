/** Personas through the agent runtime: a pinned persona that failed to load is an error, never its name as text. */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { tempDir, writeTree } from '../../cache/test-support/temp.ts';
import { Harness } from './testing/harness.ts';

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0).reverse()) await h.dispose();
});

describe('pinned personas', () => {
  test('pinning a persona whose file failed to load fails the agent with the file error', async (t) => {
    const personasDir = tempDir(t, 'troika-personas-');
    writeTree(personasDir, { 'critic.md': '---\nname: critic\n---\nno description\n' });
    const h = await Harness.start({
      server: { script: [{ text: 'never used' }] },
      hooks: { personasDir },
    });
    harnesses.push(h);
    const { id } = await h.manager.start({
      task: 'review it',
      workspace: h.folder('ws'),
      persona: 'critic',
    });
    const failed = await h.waitForState(id, 'failed');
    assert.match(
      failed.stateReason ?? '',
      /pinned persona "critic" could not be loaded: .*critic\.md: description: /,
    );
    assert.equal(h.server.messageRequests.length, 0, 'no request with the name as persona text');
  });

  test("a subagent from the user's ~/.claude/agents can be pinned and is sent as the persona block", async (t) => {
    const home = tempDir(t, 'troika-home-');
    writeTree(home, {
      '.claude/agents/sql-pro.md':
        '---\nname: sql-pro\ndescription: Writes SQL.\ntools: Read, Bash\nmodel: sonnet\ncolor: red\n---\nYou are a SQL expert.\n',
    });
    const h = await Harness.start({
      server: { script: [{ text: 'done' }] },
      hooks: { homeDir: home },
    });
    harnesses.push(h);
    const { id } = await h.manager.start({
      task: 't',
      workspace: h.folder('ws'),
      persona: 'sql-pro',
    });
    await h.waitForRequests(1);
    const system = h.body(0)['system'] as Array<{ text: string }>;
    assert.match(system.at(-1)?.text ?? '', /You are a SQL expert\./);
    assert.ok(id);
  });

  test("the workspace's .claude/agents subagents are chosen by description, and a broken one is reported", async () => {
    const h = await Harness.start({ server: { script: [{ text: 'done' }] }, hooks: {} });
    harnesses.push(h);
    const ws = h.folder('ws');
    writeTree(ws, {
      '.claude/agents/ops/deployment-engineer.md':
        '---\nname: deployment-engineer\ndescription: Configure CI/CD pipelines, Docker containers and Kubernetes deployments. Use PROACTIVELY for releases.\ntools: Read, Bash\ncolor: orange\n---\nYou deploy things.\n',
      '.claude/agents/broken.md': '---\nname: broken\n---\nno description\n',
    });
    const { id } = await h.manager.start({
      task: 'Ship the Docker image to Kubernetes through a GitHub pipeline',
      workspace: ws,
    });
    await h.waitForRequests(1);
    const [change] = h.eventsOf('agent.persona', id);
    assert.equal(change?.persona?.name, 'deployment-engineer');
    assert.match(
      change?.persona?.reason ?? '',
      /description fits the task best \(shares .*kubernet/,
    );
    const system = h.body(0)['system'] as Array<{ text: string }>;
    assert.match(system.at(-1)?.text ?? '', /You deploy things\./);
    const reports = h.eventsOf('agent.hook', id);
    assert.ok(
      reports.some(
        (r) => r.outcome === 'not_loaded' && /broken\.md: description: /.test(r.message),
      ),
      JSON.stringify(reports),
    );
  });
});
