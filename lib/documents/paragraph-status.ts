import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';

export const PARAGRAPH_STATUS_REFRESH = new PluginKey('paragraphStatus');

interface TOptions {
  /** Current statuses by pid. */
  statuses: () => Record<string, string>;
  /** The label shown beside a paragraph with this status. */
  label: (status: string) => string;
}

/**
 * Marks each paragraph with its negotiation status (bracketed, agreed ad referendum, agreed) as a
 * node decoration: the text itself is untouched, so statuses live beside the Yjs document, not in it.
 * Dispatch a transaction with meta PARAGRAPH_STATUS_REFRESH after the statuses change.
 */
export const ParagraphStatusDecorations = Extension.create<TOptions>({
  name: 'paragraphStatusDecorations',
  addOptions() {
    return { statuses: () => ({}), label: (status) => status };
  },
  addProseMirrorPlugins() {
    const { statuses, label } = this.options;
    return [
      new Plugin({
        key: PARAGRAPH_STATUS_REFRESH,
        props: {
          decorations(state) {
            const current = statuses();
            const decorations: Decoration[] = [];
            state.doc.descendants((node, position) => {
              const pid = node.attrs.pid as string | null | undefined;
              const status = pid ? current[pid] : undefined;
              if (status && status !== 'pending') {
                decorations.push(Decoration.node(position, position + node.nodeSize, { class: 'paragraph-status', 'data-status': status, 'data-status-label': label(status) }));
              }
              return node.type.name !== 'paragraph' && node.type.name !== 'heading';
            });
            return DecorationSet.create(state.doc, decorations);
          },
        },
      }),
    ];
  },
});
