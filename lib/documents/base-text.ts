import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { DOCUMENT_FIELD, type TParagraphKind } from './schema';

interface TSeedBlock {
  type: 'heading' | 'paragraph';
  kind: TParagraphKind | null;
  text: string;
}

/**
 * Reads a base text the way secretariats write one: the first line is the title; lines numbered
 * "1." are operative paragraphs (the number is the editor's to show, not text); lines that end with a
 * comma after the opening are preambular; anything else is a plain paragraph.
 */
export function parseBaseText(text: string): TSeedBlock[] {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.map((line, index): TSeedBlock => {
    if (index === 0) return { type: 'heading', kind: null, text: line };
    const operative = line.match(/^\d+[.)]\s+(.*)$/);
    if (operative) return { type: 'paragraph', kind: 'operative', text: operative[1] ?? '' };
    if (line.endsWith(',') && index > 1) return { type: 'paragraph', kind: 'preambular', text: line };
    return { type: 'paragraph', kind: null, text: line };
  });
}

/**
 * The first update of a document: its base text as Yjs content, written by a fresh Yjs client that
 * belongs to the server. Returns the update and that client id (recorded as the server's, T27).
 */
export function baseTextToUpdate(text: string): { update: Uint8Array; clientId: number } {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
  doc.transact(() => {
    const blocks = parseBaseText(text);
    const nodes = (blocks.length ? blocks : [{ type: 'paragraph' as const, kind: null, text: '' }]).map((block) => {
      const element = new Y.XmlElement(block.type);
      if (block.type === 'heading') element.setAttribute('level', 1 as unknown as string);
      element.setAttribute('pid', randomUUID());
      if (block.kind) element.setAttribute('kind', block.kind);
      const content = new Y.XmlText();
      content.insert(0, block.text);
      element.insert(0, [content]);
      return element;
    });
    fragment.insert(0, nodes);
  });
  const update = Y.encodeStateAsUpdate(doc);
  const clientId = doc.clientID;
  doc.destroy();
  return { update, clientId };
}

const BLOCKS = new Set(['paragraph', 'heading', 'blockquote']);

/** The text of an XmlText without its formatting marks. */
function unformatted(text: Y.XmlText): string {
  return (text.toDelta() as { insert?: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
}

/** The plain text of a document: one line per paragraph or heading, in order (replay, exports). */
export function documentPlainText(doc: Y.Doc): string {
  const lines: string[] = [];
  const inlineText = (element: Y.XmlElement | Y.XmlFragment): string =>
    element
      .toArray()
      .map((child) => (child instanceof Y.XmlText ? unformatted(child) : child instanceof Y.XmlElement ? inlineText(child) : ''))
      .join('');
  const walk = (node: Y.XmlElement | Y.XmlFragment) => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (BLOCKS.has(child.nodeName)) lines.push(inlineText(child));
      else walk(child);
    }
  };
  walk(doc.getXmlFragment(DOCUMENT_FIELD));
  return lines.join('\n');
}
