/**
 * The minutes' Markdown, read back into blocks. The secretariat edits the minutes as Markdown (the
 * generated draft is `toMarkdown` of the generated blocks); the page, the printable HTML and the
 * Word export are made from the blocks this parser returns, never from the Markdown as HTML, so
 * nothing typed into the minutes can become markup (it is always text).
 *
 * The subset is what `toMarkdown` writes: `#`–`######` headings, `- ` bullets, `1. ` numbered items,
 * `> ` quotes, paragraphs (consecutive lines join; an adopted text's paragraphs start with their
 * label in bold, `**OP 1**`; an older draft's `N\. ` line stays one paragraph with its number),
 * `**bold**`, `*italic*` and backslash escapes. Anything else stays literal text.
 */
import type { TBlock, TRun } from '../documents/blocks';

/** The largest minutes the secretariat may save (characters of Markdown). */
export const MAX_MINUTES_LENGTH = 200_000;

/** Inline runs: `*`, `**`, `***` toggle italic and bold; `\x` is a literal x. */
export function parseInline(text: string): TRun[] {
  const runs: TRun[] = [];
  let bold = false;
  let italic = false;
  let current = '';
  const flush = () => {
    if (current !== '') runs.push({ text: current, bold, italic });
    current = '';
  };
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\\' && index + 1 < text.length) {
      current += text[index + 1];
      index += 1;
    } else if (char === '*') {
      let stars = 1;
      while (text[index + stars] === '*' && stars < 3) stars += 1;
      flush();
      if (stars !== 2) italic = !italic;
      if (stars >= 2) bold = !bold;
      index += stars - 1;
    } else {
      current += char;
    }
  }
  flush();
  return runs;
}

const block = (type: TBlock['type'], text: string, level = 0, kind: TBlock['kind'] = null): TBlock => ({ pid: null, type, level, kind, runs: parseInline(text) });

/** Blocks of the minutes' Markdown. */
export function parseMinutesMarkdown(markdown: string): TBlock[] {
  const blocks: TBlock[] = [];
  let pending: string[] = [];
  const flushParagraph = () => {
    if (pending.length > 0) blocks.push(block('paragraph', pending.join(' ')));
    pending = [];
  };
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const headingMatch = /^(#{1,6})\s+(.*)$/.exec(line);
    // Drafts written before paragraph labels numbered operative paragraphs `N\.`: the number stays text.
    const operative = /^\d+\\\.\s+.*$/.exec(line);
    const numbered = /^\d+\.\s+(.*)$/.exec(line);
    if (line.trim() === '') {
      flushParagraph();
      continue;
    }
    const structured = headingMatch
      ? block('heading', headingMatch[2] ?? '', (headingMatch[1] ?? '#').length)
      : /^[-*]\s+/.test(line)
        ? block('bullet', line.replace(/^[-*]\s+/, ''))
        : operative
          ? block('paragraph', line)
          : numbered
            ? block('numbered', numbered[1] ?? '')
            : line.startsWith('> ')
              ? block('quote', line.slice(2))
              : null;
    if (structured) {
      flushParagraph();
      blocks.push(structured);
    } else {
      pending.push(line.trim());
    }
  }
  flushParagraph();
  return blocks;
}

/** The minutes' title: the first heading's text (the generated minutes start with one). */
export function minutesTitle(blocks: readonly TBlock[], fallback: string): string {
  const first = blocks.find((candidate) => candidate.type === 'heading');
  const text = first?.runs.map((run) => run.text).join('').trim();
  return text || fallback;
}
