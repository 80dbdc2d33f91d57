import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadPersonas } from './load.ts';
import { parsePersona } from './parse.ts';
import { renderPersonaBlock } from './prompt-block.ts';

const TEXT =
  '---\nname: reviewer\ndescription: Reviews code.\ntools:\n  allow: [str_replace_based_edit_tool, search_files]\n  deny: [bash]\n---\nBe thorough.\n';

describe('renderPersonaBlock', () => {
  test('the same persona renders to the same bytes, also when read again from its file', () => {
    const first = renderPersonaBlock(parsePersona(TEXT, '/a.md', 'user'));
    const again = renderPersonaBlock(parsePersona(TEXT.replace(/\n/g, '\r\n'), '/b.md', 'user'));
    assert.equal(Buffer.compare(Buffer.from(first), Buffer.from(again)), 0);
  });

  test('the block holds the name, the description and the prompt', () => {
    const block = renderPersonaBlock(parsePersona(TEXT, '/a.md', 'user'));
    assert.ok(
      block.startsWith('<persona name="reviewer">\nRole: reviewer (Reviews code.)\n\nBe thorough.'),
    );
    assert.ok(block.endsWith('</persona>'));
  });

  test('tool limits are stated, sorted, so the model does not try denied tools', () => {
    const block = renderPersonaBlock(parsePersona(TEXT, '/a.md', 'user'));
    assert.match(block, /may use only these tools: search_files, str_replace_based_edit_tool\./);
    assert.match(block, /do not use these tools: bash\./);
  });

  test('different personas render to different blocks', async () => {
    const { personas } = await loadPersonas();
    const blocks = new Set(personas.map(renderPersonaBlock));
    assert.equal(blocks.size, personas.length);
  });
});
