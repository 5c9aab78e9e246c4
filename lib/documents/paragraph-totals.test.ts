import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paragraphTotals } from './paragraph-totals';

test('a paragraph holding an open bracket counts as bracketed, whatever status was recorded', () => {
  const totals = paragraphTotals(['a', 'b', 'c', 'd'], { b: 'agreed', c: 'agreed_ad_ref', d: 'bracketed' }, ['a', 'a', 'c']);
  assert.deepEqual(totals, { pending: 0, bracketed: 3, agreed_ad_ref: 0, agreed: 1 });
});

test('without open brackets the recorded statuses are counted; unknown or missing ones are pending', () => {
  assert.deepEqual(paragraphTotals(['a', 'b', 'c'], { a: 'agreed', b: 'nonsense' }, ['gone']), { pending: 2, bracketed: 0, agreed_ad_ref: 0, agreed: 1 });
});
