import type { ReactNode } from 'react';
import { groupBlocks } from '@/lib/documents/block-groups';
import type { TBlock, TRun } from '@/lib/documents/blocks';

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
 * A stored document as semantic HTML: headings (a document heading of level 1 becomes
 * `h{topLevel}`), preambular paragraphs, operative paragraphs as one numbered list (numbers continue
 * across the document), lists and quotes. Text is rendered as React text nodes, never as HTML.
 */
export function DocumentBlocks({ blocks, topLevel = 2 }: { blocks: readonly TBlock[]; topLevel?: 2 | 3 | 4 }) {
  return (
    <div className="document-blocks">
      {groupBlocks(blocks).map((group, index) => {
        if (group.type === 'operative') {
          return (
            <ol key={index} className="operative" start={group.start}>
              {group.items.map((item, itemIndex) => (
                <li key={item.pid ?? itemIndex}>
                  <Runs runs={item.runs} />
                </li>
              ))}
            </ol>
          );
        }
        if (group.type === 'list') {
          const List = group.ordered ? 'ol' : 'ul';
          return (
            <List key={index}>
              {group.items.map((item, itemIndex) => (
                <li key={item.pid ?? itemIndex}>
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
              <Runs runs={block.runs} />
            </blockquote>
          );
        }
        return (
          <p key={block.pid ?? index} className={block.kind === 'preambular' ? 'preambular' : undefined}>
            <Runs runs={block.runs} />
          </p>
        );
      })}
    </div>
  );
}
