import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { blocksNeedingPid, freshPid, ParagraphAttributes } from './paragraph-attributes';

const schema = getSchema([StarterKit, ParagraphAttributes]);
const paragraph = (pid: string | null, text: string) => ({ type: 'paragraph', attrs: { pid, kind: 'operative' }, content: [{ type: 'text', text }] });

test('a split paragraph’s second half, and a block without a pid, need a pid of their own; the first keeps it', () => {
  const doc = schema.nodeFromJSON({
    type: 'doc',
    content: [
      { type: 'heading', attrs: { level: 1, pid: 'h' }, content: [{ type: 'text', text: 'Title' }] },
      paragraph('a', 'Agree to share'),
      paragraph('a', ' water data;'),
      paragraph(null, 'Pasted'),
      { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph('b', 'Item'), paragraph('a', 'copy')] }] },
    ],
  });
  const positions = blocksNeedingPid(doc);
  const texts = positions.map((position) => doc.nodeAt(position)?.textContent);
  assert.deepEqual(texts, [' water data;', 'Pasted', 'copy']);
});

test('a document whose blocks each have their own pid needs nothing', () => {
  const doc = schema.nodeFromJSON({ type: 'doc', content: [paragraph('a', 'One'), paragraph('b', 'Two')] });
  assert.deepEqual(blocksNeedingPid(doc), []);
});

test('fresh pids are distinct v4 UUIDs', () => {
  const pids = new Set(Array.from({ length: 100 }, freshPid));
  assert.equal(pids.size, 100);
  for (const pid of pids) assert.match(pid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
