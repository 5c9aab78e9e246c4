import type { ReactNode } from 'react';
import { groupBlocks } from '@/lib/documents/block-groups';
import type { TBlock, TRun } from '@/lib/documents/blocks';
import { paragraphLabels } from '@/lib/documents/paragraph-labels';

type THeadingTag = 'h2' | 'h3' | 'h4' | 'h5' | 'h6';

function Runs({ runs }: { runs: readonly TRun[] }): ReactNode {
  return runs.map((run, index) => {
    // React escapes every text node; markup in the text stays text.
    let node: ReactNode = run.text;
    if (run.italic) node = <em>{node}</em>;
    if (run.bold) node = <strong>{node}</strong>;
    return <span key={index}>{node}</span>;
  });
}

const isEmpty = (block: TBlock) => block.runs.every((run) => run.text.trim() === '');

/**
 * A paragraph's label (PP 1, OP 1, ¶ 1) before its text, when it has one (stored texts, the replay).
 * The space that separates it from the text is its own, so the label comes out whole.
 */
export function ParagraphLabel({ label }: { label: string | undefined }): ReactNode {
  return label ? <span className="paragraph-label">{`${label} `}</span> : null;
}

/**
 * A stored document as semantic HTML: headings (a document heading of level 1 becomes
 * `h{topLevel}`), paragraphs with their labels, lists and quotes. Text is rendered as React text
 * nodes, never as HTML.
 */
export function DocumentBlocks({ blocks, topLevel = 2 }: { blocks: readonly TBlock[]; topLevel?: 2 | 3 | 4 }) {
  const labels = paragraphLabels(blocks);
  const labelOf = (block: TBlock) => (block.pid === null ? undefined : labels.get(block.pid));
  return (
    <div className="document-blocks">
      {groupBlocks(blocks).map((group, index) => {
        if (group.type === 'list') {
          const List = group.ordered ? 'ol' : 'ul';
          return (
            <List key={index}>
              {group.items.map((item, itemIndex) => (
                <li key={item.pid ?? itemIndex}>
                  <ParagraphLabel label={labelOf(item)} />
                  <Runs runs={item.runs} />
                </li>
              ))}
            </List>
          );
        }
        const { block } = group;
        if (isEmpty(block)) return null;
        if (group.type === 'heading') {
          const Heading = `h${Math.min(topLevel + Math.max(block.level, 1) - 1, 6)}` as THeadingTag;
          return (
            <Heading key={block.pid ?? index}>
              <Runs runs={block.runs} />
            </Heading>
          );
        }
        if (group.type === 'quote') {
          return (
            <blockquote key={block.pid ?? index}>
              <ParagraphLabel label={labelOf(block)} />
              <Runs runs={block.runs} />
            </blockquote>
          );
        }
        return (
          <p key={block.pid ?? index} className={block.kind ?? undefined}>
            <ParagraphLabel label={labelOf(block)} />
            <Runs runs={block.runs} />
          </p>
        );
      })}
    </div>
  );
}
