import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { AppError } from '../shared/errors';
import type { TBlock, TRun } from './blocks';
import { paragraphLabels } from './paragraph-labels';

export const EXPORT_FORMATS = ['md', 'html', 'docx'] as const;
export type TExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<TExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** A file name from a title: ASCII letters, digits and dashes only (nothing of the title can break the header). */
export function exportFileName(title: string, format: TExportFormat): string {
  const base = title.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/\s+/g, '-').slice(0, 80) || 'document';
  return `${base}.${format}`;
}

/** The same in any script ("Декларация", "宣言"): letters, marks, digits and dashes of every alphabet. */
export function unicodeExportFileName(title: string, format: TExportFormat): string {
  const base = title.normalize('NFC').replace(/[^\p{L}\p{M}\p{N}\s-]/gu, '').trim().replace(/\s+/g, '-').slice(0, 80) || 'document';
  return `${base}.${format}`;
}

/**
 * The export as an HTTP response: the printable page inline, the files as attachments, never cached.
 * An unknown `format` is `invalid_input`.
 */
export function exportFormatOf(request: Request): TExportFormat {
  const format = new URL(request.url).searchParams.get('format') ?? 'html';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new AppError('invalid_input', { format: 'invalid_choice' });
  return format as TExportFormat;
}

/**
 * The response carrying an export, with its content type and file name: `filename*` (RFC 6266,
 * RFC 5987) keeps a title in any script, `filename` is the ASCII fallback for older clients.
 */
export function exportResponse(body: string | Uint8Array, title: string, format: TExportFormat): Response {
  const disposition = format === 'html' ? 'inline' : 'attachment';
  return new Response(typeof body === 'string' ? body : Buffer.from(body), {
    headers: {
      'content-type': EXPORT_CONTENT_TYPES[format],
      'content-disposition': `${disposition}; filename="${exportFileName(title, format)}"; filename*=UTF-8''${encodeURIComponent(unicodeExportFileName(title, format))}`,
      'cache-control': 'no-store',
    },
  });
}

/**
 * A note under a paragraph of a draft, by pid: its status and open brackets, as the room shows them
 * (written in the catalogue's words by the caller). Adopted texts are exported without notes.
 */
export type TDraftNotes = Readonly<Record<string, string>>;

const noteOf = (block: TBlock, notes: TDraftNotes | undefined): string | undefined => (block.pid && notes ? notes[block.pid] : undefined);

/** Each paragraph's label (PP 1, OP 1, ¶ 1), the one every view of the document shows. */
type TLabelOf = (block: TBlock) => string | undefined;

function labelling(blocks: readonly TBlock[]): TLabelOf {
  const labels = paragraphLabels(blocks);
  return (block) => (block.pid === null ? undefined : labels.get(block.pid));
}

function markdownRun(run: TRun): string {
  const text = run.text.replace(/([\\`*_[\]#<>|])/g, '\\$1');
  if (run.bold && run.italic) return `***${text}***`;
  if (run.bold) return `**${text}**`;
  if (run.italic) return `*${text}*`;
  return text;
}

/** Markdown: headings, labelled paragraphs, lists; a draft's notes in italics under their paragraphs. */
export function toMarkdown(blocks: readonly TBlock[], notes?: TDraftNotes): string {
  const labelOf = labelling(blocks);
  return `${blocks
    .map((block) => {
      const note = noteOf(block, notes);
      return note ? `${markdownBlock(block, labelOf)}\n\n${markdownRun({ text: note, bold: false, italic: true })}` : markdownBlock(block, labelOf);
    })
    .join('\n\n')}\n`;
}

function markdownBlock(block: TBlock, labelOf: TLabelOf): string {
  const label = labelOf(block);
  const text = `${label ? `**${label}** ` : ''}${block.runs.map(markdownRun).join('')}`;
  if (block.type === 'heading') return `${'#'.repeat(Math.min(block.level, 6))} ${text}`;
  if (block.type === 'bullet') return `- ${text}`;
  if (block.type === 'numbered') return `1. ${text}`;
  if (block.type === 'quote') return `> ${text}`;
  return text;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function htmlRun(run: TRun): string {
  let html = escapeHtml(run.text);
  if (run.italic) html = `<em>${html}</em>`;
  if (run.bold) html = `<strong>${html}</strong>`;
  return html;
}

/** A standalone, printable HTML page (no scripts; every text escaped); a draft's notes under their paragraphs. */
export function toPrintableHtml(title: string, blocks: readonly TBlock[], lang = 'en', notes?: TDraftNotes): string {
  const labelOf = labelling(blocks);
  const body = blocks
    .map((block) => {
      const note = noteOf(block, notes);
      return note ? `${htmlBlock(block, labelOf)}\n<p class="draft-note">${escapeHtml(note)}</p>` : htmlBlock(block, labelOf);
    })
    .join('\n');
  return page(title, body, lang);
}

function htmlBlock(block: TBlock, labelOf: TLabelOf): string {
  const label = labelOf(block);
  const text = `${label ? `<span class="label">${escapeHtml(label)}</span> ` : ''}${block.runs.map(htmlRun).join('')}`;
  if (block.type === 'heading') return `<h${Math.min(block.level + 1, 6)}>${text}</h${Math.min(block.level + 1, 6)}>`;
  if (block.type === 'bullet') return `<ul><li>${text}</li></ul>`;
  if (block.type === 'numbered') return `<ol><li>${text}</li></ol>`;
  if (block.type === 'quote') return `<blockquote>${text}</blockquote>`;
  return `<p${block.kind ? ` class="${block.kind}"` : ''}>${text}</p>`;
}

function page(title: string, body: string, lang: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: Georgia, 'Times New Roman', serif; max-width: 42rem; margin: 2rem auto; line-height: 1.6; color: #111; padding: 0 1rem; }
  h1 { font-size: 1.4rem; text-align: center; } h2 { font-size: 1.2rem; text-align: center; }
  p:has(> .label) { padding-left: 3.5em; text-indent: -3.5em; }
  .label { display: inline-block; min-width: 3.5em; text-indent: 0; font-weight: bold; }
  p.draft-note { margin-top: -0.6rem; padding-left: 3.5em; font-size: 0.85rem; font-style: italic; color: #444; }
  @media print { body { margin: 0; max-width: none; } }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

/** A Word document with the same structure; a draft's notes under their paragraphs. */
export async function toDocx(title: string, blocks: readonly TBlock[], notes?: TDraftNotes): Promise<Uint8Array> {
  const labelOf = labelling(blocks);
  const runs = (block: TBlock) => {
    const label = labelOf(block);
    const text = block.runs.map((run) => new TextRun({ text: run.text, bold: run.bold, italics: run.italic }));
    return label ? [new TextRun({ text: `${label}\t`, bold: true }), ...text] : text;
  };
  const headingLevels = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const;
  const paragraphs = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun(title)] }),
    ...blocks.flatMap((block) => {
      const note = noteOf(block, notes);
      const paragraph = docxBlock(block);
      return note ? [paragraph, new Paragraph({ indent: { left: 720 }, children: [new TextRun({ text: note, italics: true, size: 18, color: '444444' })] })] : [paragraph];
    }),
  ];
  const document = new Document({ title, creator: 'Proxenia', sections: [{ children: paragraphs }] });
  return new Uint8Array(await Packer.toBuffer(document));

  function docxBlock(block: TBlock): Paragraph {
    if (block.type === 'heading') {
      return new Paragraph({ heading: headingLevels[Math.min(block.level, 3) - 1] ?? HeadingLevel.HEADING_3, alignment: AlignmentType.CENTER, children: runs(block) });
    }
    if (block.type === 'bullet') return new Paragraph({ bullet: { level: 0 }, children: runs(block) });
    return new Paragraph({ indent: labelOf(block) ? { left: 720, hanging: 720 } : undefined, children: runs(block) });
  }
}
