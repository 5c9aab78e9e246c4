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
  | { kind: 'replaceRange'; pid: string; start: string; end: string; text: string }
  | { kind: 'insert'; pid: string; text: string; newPid: string }
  | { kind: 'delete'; pid: string };

/**
 * Applies an amendment's change to a paragraph: replace its text, insert a new paragraph after it
 * (same kind), or delete it. Returns false when the paragraph no longer exists. Call inside a
 * transaction so the change is one update.
 */
export function applyParagraphChange(doc: Y.Doc, change: TParagraphChange): boolean {
  if (change.kind === 'replaceRange') {
    const range = resolveTextRange(doc, change.start, change.end);
    if (!range) return false;
    range.text.delete(range.from, range.to - range.from);
    range.text.insert(range.from, change.text);
    return true;
  }
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

/**
 * Resolves a range given as two Yjs relative positions (JSON, as the editor anchors them) to offsets
 * in one XmlText; null when the positions no longer resolve, span several texts or are reversed.
 */
export function resolveTextRange(doc: Y.Doc, start: string, end: string): { text: Y.XmlText; from: number; to: number } | null {
  try {
    const absolute = (json: string) => Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(JSON.parse(json)), doc);
    const from = absolute(start);
    const to = absolute(end);
    if (!from || !to || from.type !== to.type || !(from.type instanceof Y.XmlText) || to.index < from.index) return null;
    return { text: from.type, from: from.index, to: to.index };
  } catch {
    return null;
  }
}

/** The plain text in a resolved range. */
export function textInRange(range: { text: Y.XmlText; from: number; to: number }): string {
  return (range.text.toDelta() as { insert?: unknown }[])
    .map((op) => (typeof op.insert === 'string' ? op.insert : ''))
    .join('')
    .slice(range.from, range.to);
}
