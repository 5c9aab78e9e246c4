import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

type TMapping = Parameters<typeof absolutePositionToRelativePosition>[2];

interface TBinding {
  doc: Y.Doc;
  type: Y.XmlFragment;
  mapping: TMapping;
}

function bindingOf(state: EditorState): TBinding | null {
  return ((ySyncPluginKey.getState(state) as { binding?: TBinding } | undefined)?.binding ?? null) as TBinding | null;
}

/** An editor range as two Yjs relative positions (JSON), which follow the text through later edits. */
export function anchorRange(state: EditorState, from: number, to: number): { start: string; end: string } | null {
  const binding = bindingOf(state);
  if (!binding) return null;
  const encode = (position: number) => JSON.stringify(Y.relativePositionToJSON(absolutePositionToRelativePosition(position, binding.type, binding.mapping)));
  return { start: encode(from), end: encode(to) };
}

/** Where an anchored range is in the editor now, or null when its text is gone. */
export function resolveRange(state: EditorState, start: string, end: string): { from: number; to: number } | null {
  const binding = bindingOf(state);
  if (!binding) return null;
  try {
    const decode = (json: string) => relativePositionToAbsolutePosition(binding.doc, binding.type, Y.createRelativePositionFromJSON(JSON.parse(json)), binding.mapping);
    const from = decode(start);
    const to = decode(end);
    return from !== null && to !== null && to > from ? { from, to } : null;
  } catch {
    return null;
  }
}

export const COMMENT_HIGHLIGHTS_REFRESH = new PluginKey('commentHighlights');

/** Underlines the text that open comment threads are about. */
export const CommentHighlights = Extension.create<{ ranges: () => { start: string; end: string }[] }>({
  name: 'commentHighlights',
  addOptions() {
    return { ranges: () => [] };
  },
  addProseMirrorPlugins() {
    const { ranges } = this.options;
    return [
      new Plugin({
        key: COMMENT_HIGHLIGHTS_REFRESH,
        props: {
          decorations(state) {
            const decorations = ranges()
              .map((range) => resolveRange(state, range.start, range.end))
              .filter((range): range is { from: number; to: number } => range !== null)
              .map((range) => Decoration.inline(range.from, range.to, { class: 'commented' }));
            return DecorationSet.create(state.doc, decorations);
          },
        },
      }),
    ];
  },
});

export const BRACKET_MARKS_REFRESH = new PluginKey('bracketMarks');

/** Shows open brackets in the text as [ … ], with the disputed words highlighted. */
export const BracketMarks = Extension.create<{ ranges: () => { start: string; end: string }[] }>({
  name: 'bracketMarks',
  addOptions() {
    return { ranges: () => [] };
  },
  addProseMirrorPlugins() {
    const { ranges } = this.options;
    const mark = (text: string) => () => {
      const element = document.createElement('span');
      element.className = 'bracket-mark';
      element.setAttribute('aria-hidden', 'true');
      element.textContent = text;
      return element;
    };
    return [
      new Plugin({
        key: BRACKET_MARKS_REFRESH,
        props: {
          decorations(state) {
            const decorations = ranges()
              .map((range) => resolveRange(state, range.start, range.end))
              .filter((range): range is { from: number; to: number } => range !== null)
              .flatMap((range) => [
                Decoration.widget(range.from, mark('['), { side: -1 }),
                Decoration.inline(range.from, range.to, { class: 'bracketed' }),
                Decoration.widget(range.to, mark(']'), { side: 1 }),
              ]);
            return DecorationSet.create(state.doc, decorations);
          },
        },
      }),
    ];
  },
});
