/**
 * Where a simulated editor types. Each editor owns one region of the shared document and replays the
 * trace inside it, so trace positions stay valid however many editors type at once:
 * - `xml` (default, what Proxenia and Tiptap use): the editor appends its own paragraph to the
 *   Y.XmlFragment (`paragraph` element holding a Y.XmlText) and types into it;
 * - `text`: one shared Y.Text; the editor appends its region (ending in a newline) and finds it again
 *   through a relative position before each edit.
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { TPatch } from './trace';

export type TDocShape = 'xml' | 'text';

export interface TTextRegion {
  /**
   * Applies the patches (positions relative to the region) in one transaction and returns where the
   * caret is afterwards, as the relative position an editor's awareness would carry.
   */
  apply(patches: readonly TPatch[]): Y.RelativePosition;
}

/** Where the caret ends after the patches, relative to the region. */
function caretAfter(patches: readonly TPatch[]): number {
  const last = patches[patches.length - 1];
  return last ? last[0] + last[2].length : 0;
}

export function claimRegion(doc: Y.Doc, shape: TDocShape, field: string, prefill: string): TTextRegion {
  if (shape === 'xml') {
    const fragment = doc.getXmlFragment(field);
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    doc.transact(() => {
      fragment.push([paragraph]);
      paragraph.setAttribute('pid', randomUUID());
      paragraph.insert(0, [text]);
      if (prefill) text.insert(0, prefill);
    });
    return {
      apply(patches) {
        doc.transact(() => {
          for (const [pos, del, ins] of patches) {
            if (del) text.delete(pos, del);
            if (ins) text.insert(pos, ins);
          }
        });
        return Y.createRelativePositionFromTypeIndex(text, Math.min(caretAfter(patches), text.length));
      },
    };
  }
  const shared = doc.getText(field);
  const start = shared.length;
  shared.insert(start, `${prefill}\n`);
  const anchor = Y.createRelativePositionFromTypeIndex(shared, start);
  return {
    apply(patches) {
      const base = Y.createAbsolutePositionFromRelativePosition(anchor, doc)?.index ?? 0;
      doc.transact(() => {
        for (const [pos, del, ins] of patches) {
          if (del) shared.delete(base + pos, del);
          if (ins) shared.insert(base + pos, ins);
        }
      });
      return Y.createRelativePositionFromTypeIndex(shared, Math.min(base + caretAfter(patches), shared.length));
    },
  };
}

/** The text of every paragraph (xml) or the shared text, for checking a synced copy. */
export function documentText(doc: Y.Doc, shape: TDocShape, field: string): string {
  if (shape === 'text') return doc.getText(field).toString();
  const parts: string[] = [];
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) parts.push(child.toString());
      else if (child instanceof Y.XmlElement) walk(child);
    }
  };
  walk(doc.getXmlFragment(field));
  return parts.join('\n');
}
