import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as Y from 'yjs';
import { baseTextToUpdate } from './base-text';
import { documentBlocks } from './blocks';
import { paragraphLabels } from './paragraph-labels';

test('preambular and operative paragraphs are numbered PP 1… and OP 1… within their kind; others ¶ 1…; headings never', () => {
  const labels = paragraphLabels([
    { pid: 'h', type: 'heading', kind: null },
    { pid: 'we', type: 'paragraph', kind: null },
    { pid: 'recalling', type: 'paragraph', kind: 'preambular' },
    { pid: 'noting', type: 'paragraph', kind: 'preambular' },
    { pid: 'decides', type: 'paragraph', kind: 'operative' },
    { pid: null, type: 'paragraph', kind: 'operative' },
    { pid: 'item', type: 'bullet', kind: null },
    { pid: 'requests', type: 'paragraph', kind: 'operative' },
    { pid: 'decides', type: 'paragraph', kind: 'operative' },
  ]);
  assert.deepEqual(Object.fromEntries(labels), { we: '¶ 1', recalling: 'PP 1', noting: 'PP 2', decides: 'OP 1', item: '¶ 2', requests: 'OP 2' });
});

test('a stored text labels its paragraphs as written: the opening ¶ 1, the preamble PP 1–PP 2, then OP 1–OP 2', () => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, baseTextToUpdate('Declaration\nWe, the mayors,\nRecalling our commitments,\nNoting the heat,\n1. Call for a Day;\n2. Invite governments.').update);
  const blocks = documentBlocks(doc);
  const labels = paragraphLabels(blocks);
  assert.deepEqual(
    blocks.map((block) => (block.pid ? (labels.get(block.pid) ?? '') : '')),
    ['', '¶ 1', 'PP 1', 'PP 2', 'OP 1', 'OP 2'],
  );
});
