import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TBlock } from './blocks';
import { groupBlocks } from './block-groups';

const block = (type: TBlock['type'], text: string, kind: TBlock['kind'] = null): TBlock => ({
  pid: null,
  type,
  level: type === 'heading' ? 1 : 0,
  kind,
  runs: [{ text, bold: false, italic: false }],
});

test('operative paragraphs form ordered lists whose numbering continues across interruptions', () => {
  const groups = groupBlocks([
    block('heading', 'Declaration'),
    block('paragraph', 'Recognizing,', 'preambular'),
    block('paragraph', 'One', 'operative'),
    block('paragraph', 'Two', 'operative'),
    block('bullet', 'a'),
    block('bullet', 'b'),
    block('numbered', 'i'),
    block('paragraph', 'Three', 'operative'),
    block('quote', 'q'),
  ]);
  assert.deepEqual(
    groups.map((group) => (group.type === 'operative' ? `operative@${group.start}×${group.items.length}` : group.type === 'list' ? `${group.ordered ? 'ol' : 'ul'}×${group.items.length}` : group.type)),
    ['heading', 'paragraph', 'operative@1×2', 'ul×2', 'ol×1', 'operative@3×1', 'quote'],
  );
});

test('an empty document has no groups', () => {
  assert.deepEqual(groupBlocks([]), []);
});
