import * as Y from 'yjs';
import { DOCUMENT_FIELD } from './schema';

/** Finds the block element (paragraph or heading) with this pid, wherever it is nested. */
export function findParagraph(doc: Y.Doc, pid: string): Y.XmlElement | null {
  const search = (node: Y.XmlFragment | Y.XmlElement): Y.XmlElement | null => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (child.getAttribute('pid') === pid) return child;
      const found = search(child);
      if (found) return found;
    }
    return null;
  };
  return search(doc.getXmlFragment(DOCUMENT_FIELD));
}

/** The plain text of one paragraph. */
export function paragraphText(element: Y.XmlElement): string {
  return element
    .toArray()
    .map((child) => (child instanceof Y.XmlText ? (child.toDelta() as { insert?: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('') : ''))
    .join('');
}

export type TParagraphChange =
  | { kind: 'replace'; pid: string; text: string }
  | { kind: 'insert'; pid: string; text: string; newPid: string }
  | { kind: 'delete'; pid: string };

/**
 * Applies an amendment's change to a paragraph: replace its text, insert a new paragraph after it
 * (same kind), or delete it. Returns false when the paragraph no longer exists. Call inside a
 * transaction so the change is one update.
 */
export function applyParagraphChange(doc: Y.Doc, change: TParagraphChange): boolean {
  const target = findParagraph(doc, change.pid);
  if (!target) return false;
  const parent = target.parent as Y.XmlElement | Y.XmlFragment;
  const index = parent.toArray().indexOf(target);
  if (change.kind === 'delete') {
    parent.delete(index, 1);
    return true;
  }
  if (change.kind === 'replace') {
    target.delete(0, target.length);
    const text = new Y.XmlText();
    text.insert(0, change.text);
    target.insert(0, [text]);
    return true;
  }
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.setAttribute('pid', change.newPid);
  const kind = target.getAttribute('kind');
  if (typeof kind === 'string') paragraph.setAttribute('kind', kind);
  const text = new Y.XmlText();
  text.insert(0, change.text);
  paragraph.insert(0, [text]);
  parent.insert(index + 1, [paragraph]);
  return true;
}
