import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as Y from 'yjs';
import { baseTextToUpdate } from './base-text';
import { hasPendingStructs, inspectUpdate } from './inspect-update';
import { DOCUMENT_FIELD } from './schema';

function seeded(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, baseTextToUpdate('Title\n1. First operative paragraph.').update);
  return doc;
}

/** An edit made on a replica of `server`, returned as the update it produces. */
function editOnReplica(server: Y.Doc, edit: (doc: Y.Doc) => void, clientId?: number): { update: Uint8Array; replica: Y.Doc } {
  const replica = new Y.Doc();
  if (clientId !== undefined) replica.clientID = clientId;
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
  const before = Y.encodeStateVector(replica);
  edit(replica);
  return { update: Y.encodeStateAsUpdate(replica, before), replica };
}

const typeInFirstParagraph = (text: string) => (doc: Y.Doc) => {
  const paragraph = doc.getXmlFragment(DOCUMENT_FIELD).get(1) as Y.XmlElement;
  (paragraph.get(0) as Y.XmlText).insert(0, text);
};

test('a well-formed edit is accepted and names its client', () => {
  const server = seeded();
  const { update } = editOnReplica(server, typeInFirstParagraph('Hello '), 4242);
  assert.deepEqual(inspectUpdate(server, update), { ok: true, clients: [4242], hasContent: true });
});

test('[T21] truncated or garbage bytes are malformed', () => {
  const server = seeded();
  const { update } = editOnReplica(server, typeInFirstParagraph('Hello '));
  for (const bytes of [update.slice(0, update.length - 3), new Uint8Array([255, 255, 255, 255, 255, 1, 2]), new TextEncoder().encode('not yjs at all')]) {
    const verdict = inspectUpdate(server, bytes);
    assert.equal(verdict.ok, false);
  }
});

test('[T22] an update whose earlier clocks never arrived has missing dependencies', () => {
  const server = seeded();
  const replica = editOnReplica(server, typeInFirstParagraph('one ')).replica;
  const middle = Y.encodeStateVector(replica);
  typeInFirstParagraph('two ')(replica);
  const onlySecond = Y.encodeStateAsUpdate(replica, middle);
  assert.deepEqual(inspectUpdate(server, onlySecond), { ok: false, reason: 'missing_dependencies' });
  // Applying it anyway is exactly what leaves pending structs behind.
  Y.applyUpdate(server, onlySecond);
  assert.equal(hasPendingStructs(server), true);
});

test('[T22] an insertion whose origin lies in another client’s missing range has missing dependencies', () => {
  const server = seeded();
  const first = editOnReplica(server, typeInFirstParagraph('abc'), 1001);
  // A second client types after text the server has never received.
  const second = new Y.Doc();
  second.clientID = 2002;
  Y.applyUpdate(second, Y.encodeStateAsUpdate(first.replica));
  const before = Y.encodeStateVector(second);
  ((second.getXmlFragment(DOCUMENT_FIELD).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(2, 'X');
  const update = Y.encodeStateAsUpdate(second, before);
  assert.deepEqual(inspectUpdate(server, update), { ok: false, reason: 'missing_dependencies' });
  Y.applyUpdate(server, first.update);
  assert.equal(inspectUpdate(server, update).ok, true);
});

test('a deletion of known text is content; an empty update is not', () => {
  const server = seeded();
  const { update } = editOnReplica(server, (doc) => ((doc.getXmlFragment(DOCUMENT_FIELD).get(1) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 5));
  const verdict = inspectUpdate(server, update);
  assert.equal(verdict.ok && verdict.hasContent, true);
  assert.deepEqual(inspectUpdate(server, Y.encodeStateAsUpdate(server, Y.encodeStateVector(server))), { ok: true, clients: [], hasContent: false });
});
