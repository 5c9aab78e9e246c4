import type { TParagraphKind } from './schema';

/**
 * The one numbering of a document's paragraphs, the one negotiators use to refer to them: preambular
 * paragraphs are PP 1, PP 2…, operative paragraphs OP 1, OP 2…, each counted in document order among
 * those of its kind; a paragraph of neither kind is ¶ 1, ¶ 2… among the others. Headings are not
 * numbered, nor is a block without a pid (it is not a paragraph of the negotiated text). The editor,
 * the decisions menu, amendment cards, brackets, the positions map, the minutes, the replay and every
 * export take their labels from here, so a paragraph has the same name wherever it is shown.
 *
 * The labels are document notation (like a section number), not interface wording: they read the
 * same in every language of the interface and in the exported text.
 */
export interface TLabelledBlock {
  pid: string | null;
  /** A heading is never numbered; any other block type is a paragraph. */
  type: string;
  kind: TParagraphKind | null;
}

const PREFIX: Record<TParagraphKind | 'other', string> = { preambular: 'PP', operative: 'OP', other: '¶' };

/** The label of every numbered paragraph of `blocks` (in document order), by pid. */
export function paragraphLabels(blocks: Iterable<TLabelledBlock>): Map<string, string> {
  const counted = { preambular: 0, operative: 0, other: 0 };
  const labels = new Map<string, string>();
  for (const block of blocks) {
    if (block.type === 'heading' || block.pid === null || labels.has(block.pid)) continue;
    const kind = block.kind ?? 'other';
    counted[kind] += 1;
    labels.set(block.pid, `${PREFIX[kind]} ${counted[kind]}`);
  }
  return labels;
}
