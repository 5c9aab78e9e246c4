import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as Y from 'yjs';
import { documentPlainText } from './base-text';
import { parseEditingTrace, replayEditingTrace, TraceError, ZEditingTrace, type TTraceReplay } from './editing-trace';

const START = Date.UTC(2031, 0, 1, 9, 0, 0);

function replay(json: unknown, checkpointEvery = 1000): TTraceReplay {
  return replayEditingTrace(ZEditingTrace.parse(json), { startAt: START, checkpointEvery });
}

/** The text a server document has after the base and the first `count` updates. */
function textAfter(result: TTraceReplay, count = result.updates.length): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, result.base.bytes);
  for (const update of result.updates.slice(0, count)) Y.applyUpdate(doc, update.bytes);
  const text = documentPlainText(doc);
  doc.destroy();
  return text;
}

describe('editing traces (josephg/editing-traces format) replayed into Yjs', () => {
  test('a sequential trace: one update per transaction, multi-patch transactions applied in their (descending) order', () => {
    const trace = {
      startContent: 'hello world',
      endContent: 'Hi, brave new world!',
      txns: [
        // Descending positions, as the format guarantees: the later patch does not shift the earlier one.
        { patches: [[11, 0, '!'], [0, 5, 'Hi,']] },
        { patches: [[4, 0, 'brave new ']] },
      ],
    };
    const result = replay(trace);
    assert.equal(result.agents, 1);
    assert.equal(result.updates.length, 2);
    assert.equal(result.endText, trace.endContent);
    assert.equal(textAfter(result, 1), 'Hi, world!', 'the first transaction alone');
    assert.equal(textAfter(result), trace.endContent);
    assert.deepEqual(new Set(result.updates.map((update) => update.agent)), new Set([0]));
  });

  test('positions and counts are code points: astral characters (emoji) count once', () => {
    const trace = {
      startContent: 'a😀b',
      endContent: 'a😀🎉c',
      // Position 2 is after the emoji; deleting one code point removes "b" only.
      txns: [{ patches: [[2, 1, '🎉c']] }],
    };
    assert.equal(replay(trace).endText, 'a😀🎉c');
    const later = { startContent: '', endContent: '👍x', txns: [{ patches: [[0, 0, '👍👍']] }, { patches: [[1, 1, 'x']] }] };
    assert.equal(replay(later).endText, '👍x', 'an astral character inserted by the trace itself is one position');
  });

  test('a concurrent trace: one replica per agent, forks and a merge (parents [a, b]) converge to endContent', () => {
    const trace = {
      kind: 'concurrent',
      numAgents: 2,
      endContent: 'AB\nxy',
      txns: [
        { parents: [], agent: 0, time: '2031-01-01T09:00:00Z', patches: [[0, 0, '\n']] },
        { parents: [0], agent: 0, time: '2031-01-01T09:00:01Z', patches: [[0, 0, 'A']] },
        // Agent 1 typed against transaction 0 only: it has not seen agent 0's "A".
        { parents: [0], agent: 1, time: '2031-01-01T09:00:02Z', patches: [[1, 0, 'xy']] },
        // Agent 0 merges both branches first, then types after its "A".
        { parents: [1, 2], agent: 0, time: '2031-01-01T09:00:03Z', patches: [[1, 0, 'B']] },
      ],
    };
    const result = replay(trace);
    assert.equal(result.agents, 2);
    assert.equal(result.agentClientIds.length, 2);
    assert.notEqual(result.agentClientIds[0], result.agentClientIds[1]);
    assert.deepEqual(result.updates.map((update) => update.agent), [0, 0, 1, 0]);
    assert.equal(result.endText, 'AB\nxy');
    assert.equal(textAfter(result, 3), 'A\nxy', 'the two branches merged');
  });

  test('concurrent insertions at one spot are ordered as the traces order them (the lower agent first), every time', () => {
    const trace = {
      kind: 'concurrent',
      numAgents: 3,
      endContent: 'abc',
      txns: [
        { parents: [], agent: 2, patches: [[0, 0, 'c']] },
        { parents: [], agent: 0, patches: [[0, 0, 'a']] },
        { parents: [], agent: 1, patches: [[0, 0, 'b']] },
      ],
    };
    // Yjs orders such insertions by client id: with random ids this passed about one run in six.
    for (let run = 0; run < 20; run += 1) assert.equal(replay(trace).endText, 'abc');
  });

  test('a malformed trace fails zod validation', () => {
    for (const bad of [
      {},
      { endContent: 'x', txns: [] },
      { endContent: 'x', txns: [{ patches: [[-1, 0, 'x']] }] },
      { endContent: 'x', txns: [{ patches: [[0, 0]] }] },
      { txns: [{ patches: [[0, 0, 'x']] }] },
      { kind: 'concurrent', endContent: 'x', txns: [{ parents: [], agent: 0, patches: [] }] },
    ]) {
      assert.equal(ZEditingTrace.safeParse(bad).success, false, JSON.stringify(bad));
      assert.equal(parseEditingTrace(bad).success, false, JSON.stringify(bad));
    }
    // The refusal names the field at fault, for either kind of trace.
    assert.deepEqual(parseEditingTrace({ txns: [{ patches: [] }] }).error?.issues[0]?.path, ['endContent']);
    assert.deepEqual(parseEditingTrace({ kind: 'concurrent', endContent: '', numAgents: 1, txns: [{ agent: 0, patches: [] }] }).error?.issues[0]?.path, ['txns', 0, 'parents']);
    assert.equal(parseEditingTrace({ endContent: 'a', txns: [{ patches: [[0, 0, 'a']] }] }).success, true);
  });

  test('a patch beyond the end of the text is a TraceError', () => {
    assert.throws(() => replay({ startContent: 'abc', endContent: 'abcx', txns: [{ patches: [[4, 0, 'x']] }] }), TraceError);
    assert.throws(() => replay({ startContent: 'abc', endContent: 'a', txns: [{ patches: [[1, 3, '']] }] }), TraceError);
    assert.throws(() => replay({ startContent: 'a😀', endContent: 'a', txns: [{ patches: [[1, 2, '']] }] }), TraceError, 'counted in code points');
  });

  test('a concurrent trace with a parent that is not earlier, or an agent beyond numAgents, is a TraceError', () => {
    const base = { kind: 'concurrent', numAgents: 1, endContent: 'a' };
    assert.throws(() => replay({ ...base, txns: [{ parents: [0], agent: 0, patches: [[0, 0, 'a']] }] }), TraceError);
    assert.throws(() => replay({ ...base, txns: [{ parents: [], agent: 1, patches: [[0, 0, 'a']] }] }), TraceError);
  });

  test('a trace whose result is not its endContent is a TraceError', () => {
    assert.throws(() => replay({ startContent: '', endContent: 'abd', txns: [{ patches: [[0, 0, 'abc']] }] }), /endContent/);
  });

  test('times: the trace’s own when distinct (never going backwards); one second apart when absent or all equal', () => {
    const timed = replay({
      endContent: 'abc',
      txns: [
        { time: '2031-02-01T10:00:00.000Z', patches: [[0, 0, 'a']] },
        { timestamp: Date.parse('2031-02-01T10:00:05.000Z'), patches: [[1, 0, 'b']] },
        { time: '2031-02-01T10:00:03.000Z', patches: [[2, 0, 'c']] },
      ],
    });
    const t0 = Date.parse('2031-02-01T10:00:00.000Z');
    assert.deepEqual(timed.updates.map((update) => update.at), [t0, t0 + 5000, t0 + 5000], 'a time earlier than the one before is raised to it');
    assert.ok(timed.base.at < t0, 'the base precedes the first transaction');

    const untimed = replay({ endContent: 'ab', txns: [{ patches: [[0, 0, 'a']] }, { patches: [[1, 0, 'b']] }] });
    assert.deepEqual(untimed.updates.map((update) => update.at), [START + 1000, START + 2000]);
    assert.equal(untimed.base.at, START);

    const same = '2031-02-01T10:00:00Z';
    const equal = replay({ endContent: 'ab', txns: [{ time: same, patches: [[0, 0, 'a']] }, { time: same, patches: [[1, 0, 'b']] }] });
    assert.deepEqual(equal.updates.map((update) => update.at), [START + 1000, START + 2000]);
  });

  test('document checkpoints every `checkpointEvery` document seqs hold the whole document at that seq', () => {
    const txns = Array.from({ length: 7 }, (_, index) => ({ patches: [[index, 0, String(index)]] }));
    const result = replay({ endContent: '0123456', txns }, 3);
    // Document seq 1 is the base, seq n + 1 the n-th update.
    assert.deepEqual(result.checkpoints.map((checkpoint) => checkpoint.documentSeq), [3, 6]);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, result.checkpoints[1]!.bytes);
    assert.equal(documentPlainText(doc), '01234');
  });
});
