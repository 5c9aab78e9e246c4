import { Extension } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

const PARAGRAPH_TYPES = new Set(['paragraph', 'heading']);

/**
 * A fresh paragraph id. `crypto.randomUUID` exists only in secure contexts (https, localhost); a page
 * served over plain http on a LAN still needs ids, so the same v4 layout is built from random bytes.
 */
export function freshPid(): string {
  if (typeof globalThis.crypto.randomUUID === 'function') return globalThis.crypto.randomUUID();
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The positions of paragraphs and headings that need a pid of their own: one without a pid, or one
 * whose pid an earlier block already has. ProseMirror's split (Enter) copies a block's attributes to
 * the new half, so without this the second half would share the first's status, amendments and label.
 * The earlier block keeps the pid: what was recorded about a paragraph stays with its beginning.
 */
export function blocksNeedingPid(doc: ProseMirrorNode): number[] {
  const seen = new Set<string>();
  const positions: number[] = [];
  doc.descendants((node, position) => {
    if (!PARAGRAPH_TYPES.has(node.type.name)) return true;
    const pid = node.attrs.pid as string | null;
    if (pid === null || seen.has(pid)) positions.push(position);
    else seen.add(pid);
    return false;
  });
  return positions;
}

/**
 * Paragraph identity and kind as node attributes, so they travel with the text through Yjs:
 * `pid` (stable id that status, brackets and amendments refer to) and `kind` (preambular /
 * operative, numbered by the stylesheet). Every local change leaves each block with a pid of its
 * own (blocksNeedingPid); changes from the server are left as they came, so two browsers never race
 * to rename the same block.
 */
export const ParagraphAttributes = Extension.create({
  name: 'paragraphAttributes',
  addGlobalAttributes() {
    return [
      {
        types: [...PARAGRAPH_TYPES],
        attributes: {
          pid: {
            default: null,
            // A pasted block's id would be a copy of another paragraph's: it gets a fresh one.
            parseHTML: () => null,
            renderHTML: (attributes) => (attributes.pid ? { 'data-pid': String(attributes.pid) } : {}),
          },
          kind: {
            default: null,
            parseHTML: (element) => element.getAttribute('data-kind'),
            renderHTML: (attributes) => (attributes.kind ? { 'data-kind': String(attributes.kind) } : {}),
          },
        },
      },
    ];
  },
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('paragraphIdentity'),
        appendTransaction: (transactions: readonly Transaction[], _old: EditorState, state: EditorState) => {
          if (!transactions.some((tr) => tr.docChanged && !tr.getMeta(ySyncPluginKey))) return null;
          const positions = blocksNeedingPid(state.doc);
          if (positions.length === 0) return null;
          const tr = state.tr;
          for (const position of positions) tr.setNodeAttribute(position, 'pid', freshPid());
          return tr;
        },
      }),
    ];
  },
});
