import * as Y from 'yjs';
import { DOCUMENT_FIELD, type TParagraphKind } from './schema';

export interface TRun {
  text: string;
  bold: boolean;
  italic: boolean;
}

export interface TBlock {
  /** The paragraph's stable id, when it has one. */
  pid: string | null;
  type: 'heading' | 'paragraph' | 'bullet' | 'numbered' | 'quote';
  level: number;
  kind: TParagraphKind | null;
  runs: TRun[];
}

function runsOf(element: Y.XmlElement): TRun[] {
  const runs: TRun[] = [];
  for (const child of element.toArray()) {
    if (!(child instanceof Y.XmlText)) continue;
    for (const op of child.toDelta() as { insert?: unknown; attributes?: Record<string, unknown> }[]) {
      if (typeof op.insert !== 'string' || op.insert === '') continue;
      runs.push({ text: op.insert, bold: Boolean(op.attributes?.bold), italic: Boolean(op.attributes?.italic) });
    }
  }
  return runs;
}

/** The document as a flat list of blocks with formatted runs, for exports and replay. */
export function documentBlocks(doc: Y.Doc): TBlock[] {
  const blocks: TBlock[] = [];
  const walk = (node: Y.XmlElement | Y.XmlFragment, list: 'bullet' | 'numbered' | null, quote: boolean) => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      const name = child.nodeName;
      if (name === 'bulletList' || name === 'orderedList') walk(child, name === 'bulletList' ? 'bullet' : 'numbered', quote);
      else if (name === 'listItem') walk(child, list, quote);
      else if (name === 'blockquote') walk(child, list, true);
      else if (name === 'heading' || name === 'paragraph') {
        const kind = child.getAttribute('kind');
        const pid = child.getAttribute('pid');
        blocks.push({
          pid: typeof pid === 'string' ? pid : null,
          type: name === 'heading' ? 'heading' : (list ?? (quote ? 'quote' : 'paragraph')),
          level: name === 'heading' ? Number(child.getAttribute('level') ?? 1) || 1 : 0,
          kind: kind === 'preambular' || kind === 'operative' ? kind : null,
          runs: runsOf(child),
        });
      }
    }
  };
  walk(doc.getXmlFragment(DOCUMENT_FIELD), null, false);
  return blocks;
}
