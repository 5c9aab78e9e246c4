import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChainVerifier, GENESIS_HASH, hashEvent, verifyChain, type THashedEventFields } from './event-hash';

function chain(count: number) {
  const events: (THashedEventFields & { prevHash: string; hash: string })[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const fields: THashedEventFields = { sessionId: 's', seq, at: 1_700_000_000_000 + seq, userId: 'u', delegationId: null, role: 'chair', type: 'session.status_changed', payload: { n: seq } };
    const hash = hashEvent(prevHash, fields);
    events.push({ ...fields, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

test('hash = sha256(prev_hash ‖ canonical(event)) is stable and hex', () => {
  const [first] = chain(1);
  assert.match(first?.hash ?? '', /^[0-9a-f]{64}$/);
  assert.equal(first?.hash, chain(1)[0]?.hash);
});

test('an intact chain verifies and reports its head', () => {
  const events = chain(5);
  assert.deepEqual(verifyChain(events), { ok: true, count: 5, head: events[4]?.hash });
});

test('a changed payload is found at its seq', () => {
  const events = chain(5);
  events[2] = { ...events[2]!, payload: { n: 99 } };
  assert.deepEqual(verifyChain(events), { ok: false, badSeq: 3, count: 2 });
});

test('a removed event breaks the chain where it was', () => {
  const events = chain(5);
  events.splice(1, 1);
  assert.deepEqual(verifyChain(events), { ok: false, badSeq: 2, count: 1 });
});

test('reordered events break the chain', () => {
  const events = chain(4);
  [events[1], events[2]] = [events[2]!, events[1]!];
  assert.equal(verifyChain(events).ok, false);
});

test('ChainVerifier: fed one event at a time it gives what verifyChain gives, and stays failed after the first bad event', () => {
  const events = chain(4);
  const verifier = new ChainVerifier();
  assert.deepEqual(verifier.result(), { ok: true, count: 0, head: GENESIS_HASH }, 'an empty log');
  assert.equal(verifier.accept(events[0]!), true);
  assert.equal(verifier.accept(events[2]!), false, 'a gap in seqs');
  assert.equal(verifier.accept(events[1]!), false, 'nothing is accepted after the first failure');
  assert.deepEqual(verifier.result(), { ok: false, badSeq: 2, count: 1 });
});

test('ChainVerifier: an event rewritten with a recomputed hash of its own is caught at the next link', () => {
  const events = chain(3);
  const forged = { ...events[1]!, payload: { n: 42 } };
  forged.hash = hashEvent(forged.prevHash, forged);
  const verifier = new ChainVerifier();
  assert.deepEqual([events[0]!, forged, events[2]!].map((event) => verifier.accept(event)), [true, true, false]);
  assert.deepEqual(verifier.result(), { ok: false, badSeq: 3, count: 2 });
});

test('ChainVerifier: a wrong seq, a wrong link and a wrong hash are each refused', () => {
  const [first] = chain(1);
  const wrongSeq = { ...first!, seq: 2 };
  const wrongLink = { ...first!, prevHash: 'f'.repeat(64) };
  const wrongHash = { ...first!, hash: 'f'.repeat(64) };
  for (const event of [wrongSeq, wrongLink, wrongHash]) {
    const verifier = new ChainVerifier();
    assert.equal(verifier.accept(event), false);
    assert.deepEqual(verifier.result(), { ok: false, badSeq: 1, count: 0 });
  }
});
