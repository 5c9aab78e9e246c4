import type { TBlock } from './blocks';

/**
 * Blocks grouped the way semantic HTML needs them: consecutive list items in one list, every other
 * block on its own. Paragraphs are not numbered by the markup: each shows its label (PP 1, OP 1…,
 * lib/documents/paragraph-labels.ts), the name it has in the editor and in every export.
 */
export type TBlockGroup =
  | { type: 'heading'; block: TBlock }
  | { type: 'paragraph'; block: TBlock }
  | { type: 'quote'; block: TBlock }
  | { type: 'list'; ordered: boolean; items: TBlock[] };

export function groupBlocks(blocks: readonly TBlock[]): TBlockGroup[] {
  const groups: TBlockGroup[] = [];
  for (const block of blocks) {
    const last = groups[groups.length - 1];
    if (block.type === 'bullet' || block.type === 'numbered') {
      const ordered = block.type === 'numbered';
      if (last?.type === 'list' && last.ordered === ordered) last.items.push(block);
      else groups.push({ type: 'list', ordered, items: [block] });
    } else {
      groups.push({ type: block.type, block });
    }
  }
  return groups;
}
