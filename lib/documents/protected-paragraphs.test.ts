import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as Y from 'yjs';
import { baseTextToUpdate } from './base-text';
import { touchesProtectedParagraph } from './protected-paragraphs';
import { DOCUMENT_FIELD } from './schema';

/** Title, then three operative paragraphs; the second (index 2) is agreed. */
function seeded(): { server: Y.Doc; agreed: string } {
  const server = new Y.Doc();
  Y.applyUpdate(server, baseTextToUpdate('Title\n1. First paragraph.\n2. Agreed paragraph.\n3. Third paragraph.').update);
  const agreed = String((server.getXmlFragment(DOCUMENT_FIELD).get(2) as Y.XmlElement).getAttribute('pid'));
  return { server, agreed };
}

function edit(server: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
  const before = Y.encodeStateVector(replica);
  change(replica);
  return Y.encodeStateAsUpdate(replica, before);
}

const block = (doc: Y.Doc, index: number) => doc.getXmlFragment(DOCUMENT_FIELD).get(index) as Y.XmlElement;
const textOf = (doc: Y.Doc, index: number) => block(doc, index).get(0) as Y.XmlText;

const touching: [string, (doc: Y.Doc) => void][] = [
  ['typing at its start', (doc) => textOf(doc, 2).insert(0, 'X')],
  ['typing at its end (append)', (doc) => textOf(doc, 2).insert(textOf(doc, 2).length, ' And more.')],
  ['deleting one of its characters', (doc) => textOf(doc, 2).delete(3, 1)],
  ['a deletion across its start (end of paragraph 1 to start of paragraph 2)', (doc) => {
    textOf(doc, 1).delete(5, textOf(doc, 1).length - 5);
    textOf(doc, 2).delete(0, 4);
  }],
  ['making part of it bold', (doc) => textOf(doc, 2).format(0, 6, { bold: true })],
  ['changing its kind', (doc) => block(doc, 2).setAttribute('kind', 'preambular')],
  ['removing it', (doc) => doc.getXmlFragment(DOCUMENT_FIELD).delete(2, 1)],
  ['joining the next paragraph into it', (doc) => {
    const moved = textOf(doc, 3).toString();
    textOf(doc, 2).insert(textOf(doc, 2).length, moved);
    doc.getXmlFragment(DOCUMENT_FIELD).delete(3, 1);
  }],
  ['splitting it (the tail goes to a new paragraph)', (doc) => {
    const tail = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    text.insert(0, 'paragraph.');
    tail.insert(0, [text]);
    textOf(doc, 2).delete(7, textOf(doc, 2).length - 7);
    doc.getXmlFragment(DOCUMENT_FIELD).insert(3, [tail]);
  }],
  ['a new paragraph that copies its pid (what splitting at its end makes)', (doc) => {
    const copy = new Y.XmlElement('paragraph');
    copy.setAttribute('pid', String(block(doc, 2).getAttribute('pid')));
    doc.getXmlFragment(DOCUMENT_FIELD).insert(3, [copy]);
  }],
  ['wrapping it in a list', (doc) => {
    const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
    const list = new Y.XmlElement('bulletList');
    const item = new Y.XmlElement('listItem');
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.setAttribute('pid', 'fresh');
    item.insert(0, [paragraph]);
    list.insert(0, [item]);
    fragment.delete(2, 1);
    fragment.insert(2, [list]);
  }],
];

for (const [name, change] of touching) {
  test(`[D15] ${name} touches the agreed paragraph`, () => {
    const { server, agreed } = seeded();
    const update = edit(server, change);
    assert.equal(touchesProtectedParagraph(server, update, new Set([agreed])), true);
    assert.equal(touchesProtectedParagraph(server, update, new Set()), false, 'nothing is protected without a protected pid');
  });
}

const notTouching: [string, (doc: Y.Doc) => void][] = [
  ['typing in the paragraph before it', (doc) => textOf(doc, 1).insert(textOf(doc, 1).length, ' more')],
  ['typing at the start of the paragraph after it', (doc) => textOf(doc, 3).insert(0, 'X')],
  ['a new paragraph right after it', (doc) => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.setAttribute('pid', 'new-one');
    const text = new Y.XmlText();
    text.insert(0, 'New.');
    paragraph.insert(0, [text]);
    doc.getXmlFragment(DOCUMENT_FIELD).insert(3, [paragraph]);
  }],
  ['removing the paragraph before it', (doc) => doc.getXmlFragment(DOCUMENT_FIELD).delete(1, 1)],
];

for (const [name, change] of notTouching) {
  test(`[D15] ${name} leaves the agreed paragraph alone`, () => {
    const { server, agreed } = seeded();
    assert.equal(touchesProtectedParagraph(server, edit(server, change), new Set([agreed])), false);
  });
}

test('[D15] typing that continues an earlier update of the same client is still inside the paragraph', () => {
  const { server, agreed } = seeded();
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
  // Typed before the paragraph was agreed, and accepted.
  let before = Y.encodeStateVector(replica);
  textOf(replica, 2).insert(0, 'ab');
  Y.applyUpdate(server, Y.encodeStateAsUpdate(replica, before));
  before = Y.encodeStateVector(replica);
  textOf(replica, 2).insert(2, 'c');
  assert.equal(touchesProtectedParagraph(server, Y.encodeStateAsUpdate(replica, before), new Set([agreed])), true);
});
