import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from './canonical-json';

test('object keys are sorted at every depth and white space is dropped', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } }), '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
});

test('the same value built in another key order has the same form', () => {
  assert.equal(canonicalJson({ x: 1, y: 2 }), canonicalJson({ y: 2, x: 1 }));
});

test('undefined properties are left out, like JSON.stringify does', () => {
  assert.equal(canonicalJson({ a: undefined, b: null }), '{"b":null}');
});

test('strings are escaped, so newlines and quotes cannot break the form', () => {
  assert.equal(canonicalJson({ text: 'line\n"quoted"' }), '{"text":"line\\n\\"quoted\\""}');
});

test('non-finite numbers and functions have no canonical form', () => {
  assert.throws(() => canonicalJson({ n: Number.NaN }), TypeError);
  assert.throws(() => canonicalJson({ n: Infinity }), TypeError);
  assert.throws(() => canonicalJson({ f: () => 1 }), TypeError);
});
