import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

export const AUTHORSHIP_REFRESH = new PluginKey('authorship');

interface TOptions {
  enabled: () => boolean;
  /** The colour and label of a Yjs client id's delegation, if known. */
  authorOf: (clientId: number) => { color: string; label: string } | undefined;
}

/**
 * Colours each run of text by the delegation that wrote it. Authorship comes from the Yjs item ids
 * (client id → delegation, as recorded by the server), so it survives later edits around the run.
 */
export const AuthorshipDecorations = Extension.create<TOptions>({
  name: 'authorshipDecorations',
  addOptions() {
    return { enabled: () => false, authorOf: () => undefined };
  },
  addProseMirrorPlugins() {
    const { enabled, authorOf } = this.options;
    return [
      new Plugin({
        key: AUTHORSHIP_REFRESH,
        props: {
          decorations(state) {
            if (!enabled()) return DecorationSet.empty;
            const binding = (ySyncPluginKey.getState(state) as { binding?: { mapping: Map<unknown, unknown> } } | undefined)?.binding;
            if (!binding) return DecorationSet.empty;
            const positions = new Map<unknown, number>();
            state.doc.descendants((node, position) => {
              positions.set(node, position);
              return !node.isTextblock;
            });
            const decorations: Decoration[] = [];
            for (const [type, node] of binding.mapping) {
              if (!(type instanceof Y.XmlElement)) continue;
              const start = positions.get(node);
              if (start === undefined || !(node as { isTextblock?: boolean }).isTextblock) continue;
              let offset = start + 1;
              for (const child of type.toArray()) {
                if (!(child instanceof Y.XmlText)) {
                  offset += 1;
                  continue;
                }
                for (let item = child._start; item; item = item.right) {
                  if (item.deleted || !item.countable) continue;
                  const author = authorOf(item.id.client);
                  if (author) {
                    decorations.push(
                      Decoration.inline(offset, offset + item.length, {
                        class: 'authored',
                        style: `background-color: ${author.color}1f; box-shadow: inset 0 -2px 0 ${author.color}`,
                        title: author.label,
                      }),
                    );
                  }
                  offset += item.length;
                }
              }
            }
            return DecorationSet.create(state.doc, decorations);
          },
        },
      }),
    ];
  },
});
