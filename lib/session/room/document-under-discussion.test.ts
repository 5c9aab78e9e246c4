import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentUnderDiscussion, type TDiscussableDocument } from './document-under-discussion';
import type { TAgendaItem } from './state';

const draft: TDiscussableDocument = { id: 'draft', draftingMode: 'open_drafting', createdAt: 100 };
const newerDraft: TDiscussableDocument = { id: 'newer-draft', draftingMode: 'amendments_only', createdAt: 200 };
// The demo's case: an adopted statement created after the declaration still being negotiated.
const adopted: TDiscussableDocument = { id: 'adopted', draftingMode: 'adopted', createdAt: 300 };

function item(itemId: string, documentId?: string): TAgendaItem {
  return { itemId, title: itemId, plannedMinutes: null, takenUpAt: null, doneAt: null, ...(documentId ? { documentId } : {}) };
}

test('[S86] without an agenda item naming one, the newest document still in drafting, never an adopted one', () => {
  const noAgenda = { items: [], currentItemId: null };
  assert.equal(documentUnderDiscussion([adopted, draft], noAgenda), 'draft');
  assert.equal(documentUnderDiscussion([draft, adopted, newerDraft], noAgenda), 'newer-draft');
  assert.equal(documentUnderDiscussion([draft, adopted], { items: [item('opening')], currentItemId: 'opening' }), 'draft');
});

test('[S86] the document of the current agenda item comes first, even an adopted one', () => {
  const agenda = { items: [item('first', 'draft'), item('signature', 'adopted')], currentItemId: 'signature' };
  assert.equal(documentUnderDiscussion([draft, newerDraft, adopted], agenda), 'adopted');
  assert.equal(documentUnderDiscussion([draft, newerDraft, adopted], { ...agenda, currentItemId: 'first' }), 'draft');
  // An item naming a document this list does not hold falls back to the rule above.
  assert.equal(documentUnderDiscussion([draft, newerDraft], agenda), 'newer-draft');
});

test('[S86] an adopted document only when it is the only kind; none without documents', () => {
  assert.equal(documentUnderDiscussion([adopted], { items: [], currentItemId: null }), 'adopted');
  assert.equal(documentUnderDiscussion([], { items: [], currentItemId: null }), null);
});
