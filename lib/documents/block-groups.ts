import type { TBlock } from './blocks';

/**
 * Blocks grouped the way semantic HTML needs them: consecutive list items in one list, consecutive
 * operative paragraphs in one ordered list whose numbering continues across the document (the
 * number an operative paragraph has in the editor and in every export).
 */
export type TBlockGroup =
  | { type: 'heading'; block: TBlock }
  | { type: 'paragraph'; block: TBlock }
  | { type: 'quote'; block: TBlock }
  | { type: 'list'; ordered: boolean; items: TBlock[] }
  | { type: 'operative'; start: number; items: TBlock[] };

export function groupBlocks(blocks: readonly TBlock[]): TBlockGroup[] {
  const groups: TBlockGroup[] = [];
  let operative = 0;
  for (const block of blocks) {
    const last = groups[groups.length - 1];
    if (block.type === 'bullet' || block.type === 'numbered') {
      const ordered = block.type === 'numbered';
      if (last?.type === 'list' && last.ordered === ordered) last.items.push(block);
      else groups.push({ type: 'list', ordered, items: [block] });
    } else if (block.type === 'paragraph' && block.kind === 'operative') {
      operative += 1;
      if (last?.type === 'operative') last.items.push(block);
      else groups.push({ type: 'operative', start: operative, items: [block] });
    } else {
      groups.push({ type: block.type, block });
    }
  }
  return groups;
}
