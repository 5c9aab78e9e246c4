import * as Y from 'yjs';
import { DOCUMENT_FIELD, type TParagraphKind } from './schema';

export interface TRun {
  text: string;
  bold: boolean;
  italic: boolean;
  /** The Yjs client id that wrote the run (only when asked for authorship: replay colours it by delegation). */
  clientId?: number;
}

export interface TBlock {
  /** The paragraph's stable id, when it has one. */
  pid: string | null;
  type: 'heading' | 'paragraph' | 'bullet' | 'numbered' | 'quote';
  level: number;
  kind: TParagraphKind | null;
  runs: TRun[];
}

/**
 * The text runs of a block, read from the Yjs items themselves (what `toDelta` does, for the two
 * marks exports know) so that a run can also say which client wrote it.
 */
function runsOf(element: Y.XmlElement, authorship: boolean): TRun[] {
  const runs: TRun[] = [];
  for (const child of element.toArray()) {
    if (!(child instanceof Y.XmlText)) continue;
    const marks = new Map<string, unknown>();
    for (let item = child._start; item; item = item.right) {
      if (item.deleted) continue;
      if (item.content instanceof Y.ContentFormat) {
        if (item.content.value === null) marks.delete(item.content.key);
        else marks.set(item.content.key, item.content.value);
        continue;
      }
      if (!(item.content instanceof Y.ContentString) || item.content.str === '') continue;
      const run: TRun = { text: item.content.str, bold: Boolean(marks.get('bold')), italic: Boolean(marks.get('italic')) };
      if (authorship) run.clientId = item.id.client;
      const last = runs.at(-1);
      if (last && last.bold === run.bold && last.italic === run.italic && last.clientId === run.clientId) last.text += run.text;
      else runs.push(run);
    }
  }
  return runs;
}

/** The document as a flat list of blocks with formatted runs, for exports and replay (with `authorship`, runs also split by writer). */
export function documentBlocks(doc: Y.Doc, { authorship = false } = {}): TBlock[] {
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
          runs: runsOf(child, authorship),
        });
      }
    }
  };
  walk(doc.getXmlFragment(DOCUMENT_FIELD), null, false);
  return blocks;
}
