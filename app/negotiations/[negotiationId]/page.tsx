import type { Metadata } from 'next';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { getFormatter, getTranslations } from 'next-intl/server';
import { sessionTransitionsFrom, type TSessionAction, type TSessionStatus } from '@/lib/shared/domain';
import type { TMembership } from '@/lib/db/repositories/negotiations';
import { changeSessionStatusAction } from '../../actions/negotiations';
import { SessionEndDialog } from '../../components/ConfirmDialogClient';
import { ActionForm, TextAreaField } from '../../components/FormClient';
import { LocalTime } from '../../components/LocalTime';
import { PageFrame } from '../../components/PageFrame';
import { SessionStatusBadge } from '../../components/SessionStatusBadge';
import { loadNegotiation } from './load-negotiation';

type Props = { params: Promise<{ negotiationId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { negotiationId } = await params;
  const { overview } = await loadNegotiation(negotiationId, `/negotiations/${negotiationId}`);
  return { title: overview.negotiation.title };
}

export default async function NegotiationPage({ params, searchParams }: Props) {
  const { negotiationId } = await params;
  const { welcome } = await searchParams;
  const { user, overview } = await loadNegotiation(negotiationId, `/negotiations/${negotiationId}`);
  const { negotiation, abilities, myMembership } = overview;
  const t = await getTranslations();
  const format = await getFormatter();
  const base = `/negotiations/${negotiation.id}`;
  const memberDelegations = overview.delegations.filter((d) => d.status === 'member');
  const observerDelegations = overview.delegations.filter((d) => d.status === 'observer');

  const memberList = (members: TMembership[]) =>
    members.length === 0 ? (
      <p className="muted">{t('negotiation.noMembers')}</p>
    ) : (
      <ul>
        {members.map((member) => (
          <li key={member.id}>
            <span>{member.userName}</span>
            <span className="muted">{t(`roles.${member.role}`)}</span>
          </li>
        ))}
      </ul>
    );

  return (
    <PageFrame user={user} current={negotiation.title}>
      {welcome === '1' && (
        <div className="alert success" role="status">
          {t('negotiation.welcome')}
        </div>
      )}
      <header className="page-head">
        <div>
          <h1>{negotiation.title}</h1>
          <p className="cluster">
            <span className="badge neutral">{t(`formats.${negotiation.format}`)}</span>
            {myMembership && <span className="badge">{t('negotiation.yourRole', { role: t(`roles.${myMembership.role}`) })}</span>}
            <span className="muted">
              {t('negotiation.host')}: {negotiation.host}
            </span>
            <span className="muted">
              {t('negotiation.languages')}: {format.list(negotiation.languages.map((code) => t(`languages.${code}`)))}
            </span>
          </p>
          {negotiation.description && <p className="lead">{negotiation.description}</p>}
        </div>
        {(abilities['delegation.accredit'] || abilities['member.invite'] || abilities['session.schedule']) && (
          <nav className="cluster" aria-label={t('negotiation.manage')}>
            {abilities['delegation.accredit'] && (
              <Link className="button secondary" href={`${base}/delegations`}>
                {t('negotiation.manageDelegations')}
              </Link>
            )}
            {abilities['member.invite'] && (
              <Link className="button secondary" href={`${base}/members`}>
                {t('negotiation.manageMembers')}
              </Link>
            )}
          </nav>
        )}
      </header>

      <section className="card" aria-labelledby="sessions-heading">
        <div className="page-head">
          <h2 id="sessions-heading">{t('negotiation.sessions')}</h2>
          {abilities['session.schedule'] && (
            <Link className="button small" href={`${base}/sessions/new`}>
              {t('negotiation.scheduleSession')}
            </Link>
          )}
        </div>
        {overview.sessions.length === 0 ? (
          <p className="empty">{t('negotiation.noSessions')}</p>
        ) : (
          <div className="table-wrap">
            <table className="rows-on-phone">
              <thead>
                <tr>
                  <th scope="col">{t('negotiation.sessionTitle')}</th>
                  <th scope="col">{t('negotiation.sessionStart')}</th>
                  <th scope="col">{t('negotiation.sessionStatus')}</th>
                  {abilities['session.control'] && <th scope="col">{t('negotiation.sessionActions')}</th>}
                </tr>
              </thead>
              <tbody>
                {overview.sessions.map((session) => (
                  <tr key={session.id}>
                    <td>
                      <Link href={`${base}/sessions/${session.id}`}>{session.title}</Link>
                    </td>
                    <td>
                      <LocalTime at={session.scheduledStart} />
                    </td>
                    <td>
                      <SessionStatusBadge status={session.status} />
                    </td>
                    {abilities['session.control'] && (
                      <td>
                        <div className="cluster">
                          {sessionTransitionsFrom(session.status).map(([next, action]) => (
                            <LifecycleAction key={next} negotiationId={negotiation.id} sessionId={session.id} next={next} action={action} />
                          ))}
                        </div>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="documents-heading">
        <div className="page-head">
          <h2 id="documents-heading">{t('negotiation.documents')}</h2>
          {abilities['document.create'] && (
            <Link className="button small" href={`${base}/documents/new`}>
              {t('negotiation.newDocument')}
            </Link>
          )}
        </div>
        {overview.documents.length === 0 ? (
          <p className="empty">{t('negotiation.noDocuments')}</p>
        ) : (
          <ul>
            {overview.documents.map((document) => (
              <li key={document.id}>
                <Link href={`${base}/documents/${document.id}`}>{document.title}</Link> <span className="badge neutral">{t(`documentKinds.${document.kind}`)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="delegations-heading" className="stack">
        <h2 id="delegations-heading">{t('negotiation.delegations', { count: overview.delegations.length })}</h2>
        {overview.delegations.length === 0 && <p className="empty">{t('negotiation.noDelegations')}</p>}
        {[
          { key: 'member', heading: t('delegationStatus.memberPlural'), list: memberDelegations },
          { key: 'observer', heading: t('delegationStatus.observerPlural'), list: observerDelegations },
        ].map(
          ({ key, heading, list }) =>
            list.length > 0 && (
              <div key={key}>
                <h3>{heading}</h3>
                <ul className="delegation-list">
                  {list.map((delegation) => (
                    <li key={delegation.id} className="delegation">
                      <h4>
                        <span>{delegation.actorName}</span>
                        <span className="badge neutral">{t(`actorKinds.${delegation.actorKind}`)}</span>
                      </h4>
                      <p className="muted">{delegation.actorCountry}</p>
                      {memberList(delegation.members)}
                    </li>
                  ))}
                </ul>
              </div>
            ),
        )}
      </section>

      <section className="card" aria-labelledby="staff-heading">
        <h2 id="staff-heading">{t('negotiation.staff')}</h2>
        <div className="delegation">{memberList(overview.staff)}</div>
      </section>
    </PageFrame>
  );
}

/** One lifecycle button of a session row; cancelling and closing cannot be undone, so the chair confirms first. */
function LifecycleAction({ negotiationId, sessionId, next, action }: { negotiationId: string; sessionId: string; next: TSessionStatus; action: TSessionAction }) {
  const t = useTranslations();
  const fields = (
    <>
      <input type="hidden" name="sessionId" value={sessionId} />
      <input type="hidden" name="status" value={next} />
    </>
  );
  const run = changeSessionStatusAction.bind(null, negotiationId);
  if (action !== 'cancel' && action !== 'close') {
    return (
      <ActionForm action={run} submitLabel={t(`sessionActions.${action}`)} submitVariant="secondary" className="cluster">
        {fields}
      </ActionForm>
    );
  }
  return (
    <SessionEndDialog action={action}>
      <ActionForm action={run} submitLabel={t(`sessionConfirm.${action}.confirm`)} submitVariant="danger">
        {fields}
        {action === 'cancel' && <TextAreaField name="reason" label={t('sessionConfirm.cancel.reason')} hint={t('sessionConfirm.cancel.reasonHint')} maxLength={500} />}
      </ActionForm>
    </SessionEndDialog>
  );
}
