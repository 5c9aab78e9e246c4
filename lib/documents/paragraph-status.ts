import { Extension } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { isProtectingStatus } from './protected-paragraphs';

export const PARAGRAPH_STATUS_REFRESH = new PluginKey('paragraphStatus');

interface TOptions {
  /** Current statuses by pid. */
  statuses: () => Record<string, string>;
  /** The label shown beside a paragraph with this status. */
  label: (status: string) => string;
  /** What a locked (agreed) paragraph says when pointed at, and to screen readers. */
  lockedHint: string;
}

/**
 * Marks each paragraph with its negotiation status (bracketed, agreed ad referendum, agreed) as a
 * node decoration: the text itself is untouched, so statuses live beside the Yjs document, not in it.
 * Dispatch a transaction with meta PARAGRAPH_STATUS_REFRESH after the statuses change.
 *
 * Agreed paragraphs are locked (D15): shown so, and no local change may touch them — the server
 * would refuse it and the editor would have to re-sync. Changes arriving from the server pass.
 */
export const ParagraphStatusDecorations = Extension.create<TOptions>({
  name: 'paragraphStatusDecorations',
  // Before the default keymap: Enter in a locked paragraph must not try to split it.
  priority: 1000,
  addOptions() {
    return { statuses: () => ({}), label: (status) => status, lockedHint: '' };
  },
  addKeyboardShortcuts() {
    const { statuses } = this.options;
    return {
      // Enter at the end (or start) of a locked paragraph starts a new paragraph after (or before)
      // it, as writers expect, without touching the locked one; elsewhere inside it, nothing happens.
      Enter: ({ editor }) => {
        const { selection } = editor.state;
        const { $from } = selection;
        const block = $from.parent;
        const pid = block.attrs.pid as string | null | undefined;
        if (!selection.empty || !pid || !isProtectingStatus(statuses()[pid])) return false;
        const atEnd = $from.parentOffset === block.content.size;
        if (!atEnd && $from.parentOffset !== 0) return true;
        const at = atEnd ? $from.after() : $from.before();
        return editor.chain().insertContentAt(at, { type: 'paragraph', attrs: { kind: block.attrs.kind ?? null } }).setTextSelection(at + 1).run();
      },
      // Backspace at the start of the paragraph after a locked one would join the two: an empty
      // paragraph is removed instead (undoing the Enter above), and a non-empty one stays as it is.
      Backspace: ({ editor }) => {
        const { selection } = editor.state;
        const { $from } = selection;
        if (!selection.empty || $from.parentOffset !== 0 || $from.index($from.depth - 1) === 0) return false;
        const previous = $from.node($from.depth - 1).child($from.index($from.depth - 1) - 1);
        const pid = previous.attrs.pid as string | null | undefined;
        if (!pid || !isProtectingStatus(statuses()[pid])) return false;
        if ($from.parent.content.size > 0) return true;
        return editor.chain().deleteRange({ from: $from.before(), to: $from.after() }).setTextSelection($from.before() - 1).run();
      },
    };
  },
  addProseMirrorPlugins() {
    const { statuses, label, lockedHint } = this.options;
    const isLocked = (node: ProseMirrorNode) => {
      const pid = node.attrs.pid as string | null | undefined;
      return Boolean(pid) && isProtectingStatus(statuses()[pid ?? '']);
    };
    return [
      new Plugin({
        key: PARAGRAPH_STATUS_REFRESH,
        filterTransaction: (tr) => !tr.docChanged || Boolean(tr.getMeta(ySyncPluginKey)) || !touchesLocked(tr, isLocked),
        props: {
          decorations(state) {
            const current = statuses();
            const decorations: Decoration[] = [];
            state.doc.descendants((node, position) => {
              const pid = node.attrs.pid as string | null | undefined;
              const status = pid ? current[pid] : undefined;
              if (status && status !== 'pending') {
                const locked = isProtectingStatus(status);
                decorations.push(
                  Decoration.node(position, position + node.nodeSize, {
                    class: locked ? 'paragraph-status paragraph-locked' : 'paragraph-status',
                    'data-status': status,
                    'data-status-label': label(status),
                    ...(locked ? { title: lockedHint, 'aria-description': lockedHint } : {}),
                  }),
                );
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

/** Whether any step of a transaction changes a locked block: its text, marks, attributes, or its place. */
function touchesLocked(tr: Transaction, isLocked: (node: ProseMirrorNode) => boolean): boolean {
  return tr.steps.some((step, index) => {
    const doc = tr.docs[index];
    if (!doc) return false;
    const ranges: [number, number][] = [];
    step.getMap().forEach((from, to) => ranges.push([from, to]));
    // Mark and attribute steps move nothing, so their map is empty: their own range says what they touch.
    const { from, to, pos } = step.toJSON() as { from?: number; to?: number; pos?: number };
    if (typeof from === 'number' && typeof to === 'number') ranges.push([from, to]);
    if (typeof pos === 'number') ranges.push([pos, pos + 1]);
    return ranges.some(([start, end]) => {
      let locked = false;
      doc.nodesBetween(Math.max(0, start), Math.min(end, doc.content.size), (node) => {
        locked ||= isLocked(node);
        return !locked;
      });
      return locked;
    });
  });
}
