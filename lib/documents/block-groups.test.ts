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

test('consecutive list items form one list; paragraphs of every kind stand alone (their labels number them)', () => {
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
    groups.map((group) => (group.type === 'list' ? `${group.ordered ? 'ol' : 'ul'}×${group.items.length}` : group.type)),
    ['heading', 'paragraph', 'paragraph', 'paragraph', 'ul×2', 'ol×1', 'paragraph', 'quote'],
  );
});

test('an empty document has no groups', () => {
  assert.deepEqual(groupBlocks([]), []);
});
