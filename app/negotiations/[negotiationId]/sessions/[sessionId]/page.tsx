import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/lib/db';
import { loadDecisionOptions } from '@/lib/server/sessions/decision-options';
import { PageFrame } from '../../../../components/PageFrame';
import { loadNegotiation } from '../../load-negotiation';
import { SessionRoomClient } from './SessionRoomClient';

type Props = { params: Promise<{ negotiationId: string; sessionId: string }> };

/**
 * Loads the session for the page, checked on the server like every page of a negotiation: signed
 * out → sign-in, not a member → 404, a role without `session.attend` → 403; a session of another
 * negotiation (or none) → 404. What the room shows comes over the socket, checked again there (S1).
 */
async function load(negotiationId: string, sessionId: string) {
  const loaded = await loadNegotiation(negotiationId, `/negotiations/${negotiationId}/sessions/${sessionId}`, 'session.attend');
  const session = loaded.overview.sessions.find((candidate) => candidate.id === sessionId);
  if (!session) notFound();
  return { ...loaded, session };
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { negotiationId, sessionId } = await params;
  const { session } = await load(negotiationId, sessionId);
  return { title: session.title };
}

/** The session room: agenda, floor, decisions, speakers' list, attendance, chat, positions and the delegation workspace. */
export default async function SessionRoomPage({ params }: Props) {
  const { negotiationId, sessionId } = await params;
  const { user, overview, session } = await load(negotiationId, sessionId);
  const decisionOptions = await loadDecisionOptions(await getDb(), user, overview.negotiation.id);
  const [t, tReplay] = await Promise.all([getTranslations('summary'), getTranslations('replay')]);
  return (
    <PageFrame
      user={user}
      crumbs={[{ href: `/negotiations/${negotiationId}`, label: overview.negotiation.title }]}
      current={session.title}
      className="session-room"
    >
      <p className="cluster session-record-links">
        <Link href={`/sessions/${session.id}/summary`}>{t('linkLabel')}</Link>
        {overview.abilities['session.viewRecord'] && <Link href={`/sessions/${session.id}/replay`}>{tReplay('openReplay')}</Link>}
      </p>
      <SessionRoomClient
        sessionId={session.id}
        title={session.title}
        decisionOptions={decisionOptions}
        documents={overview.documents.map(({ id, title, draftingMode, createdAt }) => ({ id, title, draftingMode, createdAt }))}
      />
    </PageFrame>
  );
}
