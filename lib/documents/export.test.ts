import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportResponse } from './export';

const disposition = (title: string) => exportResponse('x', title, 'docx').headers.get('content-disposition');

test('a title in another script keeps its name in filename* (RFC 5987), with an ASCII fallback', () => {
  assert.equal(
    disposition('Декларация о городах'),
    `attachment; filename="document.docx"; filename*=UTF-8''${encodeURIComponent('Декларация-о-городах.docx')}`,
  );
  assert.match(disposition('宣言 2026') ?? '', /filename\*=UTF-8''%E5%AE%A3%E8%A8%80-2026\.docx$/);
  assert.match(disposition('Déclaration de Montréal') ?? '', /filename="Declaration-de-Montreal\.docx"; filename\*=UTF-8''D%C3%A9claration-de-Montr%C3%A9al\.docx$/);
});

test('nothing of a title can break the header: quotes, semicolons, slashes and line breaks are dropped', () => {
  assert.equal(disposition('a"; filename=evil.exe\r\nX-Injected: 1 / ..\\'), `attachment; filename="a-filenameevilexe-X-Injected-1.docx"; filename*=UTF-8''a-filenameevilexe-X-Injected-1.docx`);
});
