/**
 * Reading message catalogues as their ICU structure, for the tests that hold every catalogue to
 * English: same keys, same arguments, the glossary's terms, nothing left in English on a page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

export type TCatalogue = Record<string, string>;

export const MESSAGES_DIR = path.resolve(import.meta.dirname, '..', '..', 'messages');

/** The catalogue of `locale` as dotted key → message, or null when messages/<locale>.json is missing. */
export function readCatalogue(locale: string): TCatalogue | null {
  const file = path.join(MESSAGES_DIR, `${locale}.json`);
  if (!fs.existsSync(file)) return null;
  const flat: TCatalogue = {};
  const walk = (node: unknown, prefix: string) => {
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (typeof value === 'string') flat[prefix + key] = value;
      else walk(value, `${prefix}${key}.`);
    }
  };
  walk(JSON.parse(fs.readFileSync(file, 'utf8')), '');
  return flat;
}

export function parseMessage(message: string): MessageFormatElement[] {
  return parse(message, { requiresOtherClause: true });
}

/** The words a reader sees of a message: its literal text, in every plural and select branch. */
export function literalText(elements: MessageFormatElement[]): string {
  return elements
    .map((element) => {
      if (element.type === TYPE.literal) return element.value;
      if (element.type === TYPE.plural || element.type === TYPE.select) {
        return Object.values(element.options)
          .map((option) => literalText(option.value))
          .join(' ');
      }
      if (element.type === TYPE.tag) return literalText(element.children);
      return ' ';
    })
    .join('');
}

const TYPE_NAMES: Partial<Record<TYPE, string>> = {
  [TYPE.argument]: 'argument',
  [TYPE.number]: 'number',
  [TYPE.date]: 'date',
  [TYPE.time]: 'time',
  [TYPE.select]: 'select',
  [TYPE.plural]: 'plural',
  [TYPE.tag]: 'tag',
};

/** Every argument of a message with its kind ("count:plural", "name:argument", "b:tag"), sorted. */
export function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): string[] {
  for (const element of elements) {
    const kind = TYPE_NAMES[element.type];
    if (kind && 'value' in element && typeof element.value === 'string') into.add(`${element.value}:${kind}`);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      for (const option of Object.values(element.options)) argumentsOf(option.value, into);
    }
    if (element.type === TYPE.tag) argumentsOf(element.children, into);
  }
  return [...into].sort();
}

/** The select arguments of a message with the branches they offer ("kind:select=delete|insert|other"). */
export function selectBranches(elements: MessageFormatElement[], into = new Set<string>()): string[] {
  for (const element of elements) {
    if (element.type === TYPE.select) into.add(`${element.value}:select=${Object.keys(element.options).sort().join('|')}`);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      for (const option of Object.values(element.options)) selectBranches(option.value, into);
    }
    if (element.type === TYPE.tag) selectBranches(element.children, into);
  }
  return [...into].sort();
}

/** The plural branches a message offers ("one", "other", "=0"), for checking against the locale's plural rules. */
export function pluralBranches(elements: MessageFormatElement[], into: string[] = []): string[] {
  for (const element of elements) {
    if (element.type === TYPE.plural) into.push(...Object.keys(element.options));
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      for (const option of Object.values(element.options)) pluralBranches(option.value, into);
    }
    if (element.type === TYPE.tag) pluralBranches(element.children, into);
  }
  return into;
}
