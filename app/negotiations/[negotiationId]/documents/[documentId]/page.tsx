import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/lib/db';
import { findDelegationInNegotiation } from '@/lib/db/repositories/negotiations';
import { requireUser } from '@/lib/server/auth/current-user';
import { adoptionStatusFor } from '@/lib/server/documents/adoption-status';
import { documentAccessFor } from '@/lib/server/documents/document-access';
import { colorOfDelegation } from '@/lib/server/documents/delegation-color';
import { AppError } from '@/lib/shared/errors';
import { setDraftingModeAction } from '../../../../actions/negotiations';
import { ActionForm, SelectField } from '../../../../components/FormClient';
import { PageFrame } from '../../../../components/PageFrame';
import { AdoptionPanel } from './AdoptionPanel';
import { DocumentEditorClient } from './DocumentEditorClient';

type Props = { params: Promise<{ negotiationId: string; documentId: string }> };

async function load(negotiationId: string, documentId: string) {
  const user = await requireUser(`/negotiations/${negotiationId}/documents/${documentId}`);
  const db = await getDb();
  try {
    const access = await documentAccessFor(db, user, documentId);
    if (access.document.negotiationId !== negotiationId) notFound();
    const delegation = access.membership?.delegationId
      ? await findDelegationInNegotiation(db, negotiationId, access.membership.delegationId)
      : undefined;
    const color = await colorOfDelegation(db, negotiationId, access.membership?.delegationId ?? null);
    const adoption = await adoptionStatusFor(db, user, access);
    return { user, access, delegationName: delegation?.actorName ?? null, color, adoption };
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { negotiationId, documentId } = await params;
  const { access } = await load(negotiationId, documentId);
  return { title: access.document.title };
}

/** The live drafting room of one document. */
export default async function DocumentPage({ params }: Props) {
  const { negotiationId, documentId } = await params;
  const { user, access, delegationName, color, adoption } = await load(negotiationId, documentId);
  const t = await getTranslations();
  return (
    <PageFrame user={user} crumbs={[{ href: `/negotiations/${negotiationId}`, label: t('editor.backToNegotiation') }]} current={access.document.title} className="stack document-page">
      <header className="page-head">
        <div>
          <h1>{access.document.title}</h1>
          <p className="cluster">
            <span className="badge neutral">{t(`documentKinds.${access.document.kind as 'declaration' | 'agreement' | 'memorandum'}`)}</span>
            <span className="badge">{t(`editor.modes.${access.mode}`)}</span>
          </p>
          <nav className="cluster" aria-label={t('editor.export')}>
            <span className="muted">{t('editor.export')}:</span>
            <a href={`/api/documents/${access.document.id}/export?format=docx`} download>
              {t('editor.exportWord')}
            </a>
            <a href={`/api/documents/${access.document.id}/export?format=md`} download>
              {t('editor.exportMarkdown')}
            </a>
            <a href={`/api/documents/${access.document.id}/export?format=html`} target="_blank" rel="noopener">
              {t('editor.exportHtml')}
            </a>
          </nav>
          {adoption && (
            <p>
              <a href={`/public/documents/${access.document.id}`}>{t('adoption.publicPage')}</a>
            </p>
          )}
        </div>
        {access.mayChangeMode && access.mode !== 'adopted' && (
          <ActionForm
            action={setDraftingModeAction.bind(null, negotiationId, access.document.id)}
            submitLabel={t('editor.setMode')}
            submitVariant="secondary"
            className="cluster"
            ariaLabel={t('editor.modeLabel')}
          >
            <SelectField
              name="mode"
              label={t('editor.modeLabel')}
              defaultValue={access.mode}
              options={(['open_drafting', 'amendments_only', 'adopted'] as const).map((mode) => ({ value: mode, label: t(`editor.modes.${mode}`) }))}
            />
          </ActionForm>
        )}
      </header>
      {adoption && <AdoptionPanel negotiationId={negotiationId} documentId={access.document.id} status={adoption} />}
      <DocumentEditorClient
        documentId={access.document.id}
        initialAccess={access.access}
        initialMode={access.mode}
        mayChangeStatus={access.mayChangeStatus}
        mayProposeAmendments={access.mayProposeAmendments}
        mayDecideAmendments={access.mayDecideAmendments}
        myDelegationId={access.membership?.delegationId ?? null}
        mayComment={access.mayComment}
        mayOpenBrackets={access.mayOpenBrackets}
        mayResolveBrackets={access.mayResolveBrackets}
        mayModerateComments={access.mayChangeMode}
        myUserId={user.id}
        me={{ name: user.name, delegation: delegationName, color }}
      />
    </PageFrame>
  );
}
