import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { activeConsultation, channelIncludes, findMentions, mentionedDelegations, overMessageRate, type TChatMessage, type TConsultation } from './chat';

const DELEGATIONS = [
  { delegationId: 'sao', name: 'São Paulo' },
  { delegationId: 'sa', name: 'São' },
  { delegationId: 'mtl', name: 'Montréal' },
  { delegationId: 'un', name: 'UN-Habitat' },
  { delegationId: 'nn', name: 'Nizhny Novgorod' },
];

describe('chat rules', () => {
  test('[S57] mentions: @ + a delegation name, any case, the longest name that fits, ending at a word boundary', () => {
    assert.deepEqual(mentionedDelegations('Thanks @são paulo and @Montréal!', DELEGATIONS), ['sao', 'mtl']);
    assert.deepEqual(mentionedDelegations('@São alone', DELEGATIONS), ['sa']);
    assert.deepEqual(mentionedDelegations('@UN-Habitat, @Nizhny Novgorod: see OP 3', DELEGATIONS), ['un', 'nn']);
    assert.deepEqual(mentionedDelegations('@Montréaler is no mention; neither is mayor@montréal', DELEGATIONS), []);
    assert.deepEqual(mentionedDelegations('@Montréal @Montréal', DELEGATIONS), ['mtl'], 'each delegation once');
    assert.deepEqual(findMentions('hi @Montréal', DELEGATIONS), [{ start: 3, end: 12, delegationId: 'mtl' }]);
  });

  test('[S57][T28] mention matching takes nothing from the text but positions: markup and unknown names resolve to nobody', () => {
    assert.deepEqual(mentionedDelegations('@<script>alert(1)</script> @Atlantis @', DELEGATIONS), []);
    assert.deepEqual(mentionedDelegations('<b>@Montréal</b>', DELEGATIONS), ['mtl']);
  });

  test('[S55] a person may send five messages in ten seconds, over all channels together', () => {
    const message = (userId: string, at: number): TChatMessage => ({ messageId: `${userId}-${at}`, seq: at, channel: { kind: 'plenary' }, userId, delegationId: null, at, text: 'x', mentions: [], deleted: null });
    const messages = [1, 2, 3, 4].map((at) => message('ana', at * 1000));
    assert.equal(overMessageRate(messages, 'ana', 5_000), false);
    assert.equal(overMessageRate([...messages, message('ana', 4_500)], 'ana', 5_000), true);
    assert.equal(overMessageRate([...messages, message('ana', 4_500)], 'ana', 11_001), false, 'the window moves on');
    assert.equal(overMessageRate([...messages, message('ana', 4_500)], 'ben', 5_000), false);
  });

  test('[S52] channels: the plenary is everyone’s; a delegation channel its own; a consultation its two delegations’', () => {
    assert.equal(channelIncludes({ kind: 'plenary' }, null), true);
    assert.equal(channelIncludes({ kind: 'delegation', delegationId: 'mtl' }, 'mtl'), true);
    assert.equal(channelIncludes({ kind: 'delegation', delegationId: 'mtl' }, 'sao'), false);
    assert.equal(channelIncludes({ kind: 'delegation', delegationId: 'mtl' }, null), false);
    const consultation = { kind: 'consultation', consultationId: 'c', delegationIds: ['mtl', 'sao'] } as const;
    assert.equal(channelIncludes({ ...consultation, delegationIds: ['mtl', 'sao'] }, 'sao'), true);
    assert.equal(channelIncludes({ ...consultation, delegationIds: ['mtl', 'sao'] }, 'un'), false);
  });

  test('[S59] one active consultation per pair of delegations, whoever asked', () => {
    const consultation = (status: TConsultation['status']): TConsultation => ({ consultationId: status, delegationIds: ['mtl', 'sao'], status, requestedBy: null, requestedAt: 0, changedAt: 0, changedBy: null });
    assert.equal(activeConsultation([consultation('declined'), consultation('closed')], 'sao', 'mtl'), undefined);
    assert.equal(activeConsultation([consultation('closed'), consultation('open')], 'sao', 'mtl')?.status, 'open');
    assert.equal(activeConsultation([consultation('requested')], 'mtl', 'un'), undefined);
  });
});
