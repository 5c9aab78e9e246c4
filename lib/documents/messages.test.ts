import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeDocumentMessage, encodeUpdate, frameFromText, frameToText } from './messages';

test('[D8] a frame survives the trip through base text, at every length modulo 3', () => {
  for (const length of [0, 1, 2, 3, 700]) {
    const update = Uint8Array.from({ length }, (_, index) => (index * 37 + 11) & 255);
    const text = frameToText(encodeUpdate(update));
    assert.deepEqual(decodeDocumentMessage(frameFromText(text)), { kind: 'update', update });
  }
});

test('[D8] anything but padded standard base64 is refused', () => {
  const valid = frameToText(encodeUpdate(new Uint8Array([1, 2, 3, 4])));
  const bad: unknown[] = [
    42,
    null,
    new Uint8Array([0, 2]),
    valid.slice(1),
    `${valid.slice(0, -4)}AA!A`,
    `${valid.slice(0, -4)}A=AA`,
    `${valid.slice(0, -4)}A===`,
    `${valid.slice(0, -4)}AA A`,
    `${valid.slice(0, -4)}AA-_`,
    '====',
  ];
  for (const text of bad) assert.throws(() => frameFromText(text), /not a base64 frame/, String(text));
});
