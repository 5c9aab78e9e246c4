import { Extension } from '@tiptap/core';
import type { Node as TProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { PARAGRAPH_KINDS, type TParagraphKind } from './schema';
import { paragraphLabels } from './paragraph-labels';

/** The paragraphs of the editor's document in order, with where each one starts. */
function paragraphsOf(doc: TProseMirrorNode): { pid: string | null; type: string; kind: TParagraphKind | null; position: number; size: number }[] {
  const found: { pid: string | null; type: string; kind: TParagraphKind | null; position: number; size: number }[] = [];
  doc.descendants((node, position) => {
    const name = node.type.name;
    if (name !== 'paragraph' && name !== 'heading') return true;
    const pid = node.attrs.pid as unknown;
    const kind = node.attrs.kind as unknown;
    found.push({
      pid: typeof pid === 'string' ? pid : null,
      type: name,
      kind: (PARAGRAPH_KINDS as readonly unknown[]).includes(kind) ? (kind as TParagraphKind) : null,
      position,
      size: node.nodeSize,
    });
    return false;
  });
  return found;
}

/**
 * Shows each paragraph's label (PP 1, OP 1, ¶ 1) in its margin as a node decoration (`data-label`,
 * drawn by the stylesheet), computed from the text on every change by the same function as every
 * other view: the label is never part of the text itself.
 */
export const ParagraphLabelDecorations = Extension.create({
  name: 'paragraphLabelDecorations',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('paragraphLabels'),
        props: {
          decorations(state) {
            const paragraphs = paragraphsOf(state.doc);
            const labels = paragraphLabels(paragraphs);
            const decorations = paragraphs.flatMap(({ pid, position, size }) => {
              const label = pid === null ? undefined : labels.get(pid);
              return label ? [Decoration.node(position, position + size, { 'data-label': label })] : [];
            });
            return DecorationSet.create(state.doc, decorations);
          },
        },
      }),
    ];
  },
});
