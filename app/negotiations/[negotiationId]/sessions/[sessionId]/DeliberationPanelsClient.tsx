'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { ChatPanel } from './ChatPanelClient';
import { PositionsPanel } from './PositionsPanelClient';
import type { TPanelProps } from './SessionRoomClient';
import styles from './deliberation.module.css';
import { useDocumentTargets } from './useDocumentTargets';
import { documentUnderDiscussion, type TDiscussableDocument } from '@/lib/session/room/document-under-discussion';
import { WorkspacePanel } from './WorkspacePanelClient';

/** One of the negotiation's documents, as the room lists it. */
export interface TRoomDocument extends TDiscussableDocument {
  title: string;
}

/** The negotiation's documents as the options of a select, by title. */
export function DocumentOptions({ documents }: { documents: TRoomDocument[] }) {
  return documents.map((document) => (
    <option key={document.id} value={document.id}>
      {document.title}
    </option>
  ));
}

/** What the deliberation panels share besides the room: the negotiation's documents. */
export interface TDeliberationProps extends Omit<TPanelProps, 'now'> {
  documents: TRoomDocument[];
}

/**
 * S50–S75: the chat, the positions with the consensus map, and the delegation workspace, over one
 * document under discussion chosen here (positions and notes are per paragraph of a document).
 */
export function DeliberationPanels({ documents, ...props }: TDeliberationProps) {
  const t = useTranslations('room.deliberation');
  const id = useId();
  const agenda = props.view.state.agenda;
  // S86: a participant's pick holds until the chair takes up another item; then the agenda leads again.
  const [picked, setPicked] = useState<{ documentId: string; forItemId: string | null } | null>(null);
  const documentId = picked && picked.forItemId === agenda.currentItemId ? picked.documentId : documentUnderDiscussion(documents, agenda);
  const setDocumentId = (chosen: string) => setPicked({ documentId: chosen, forItemId: agenda.currentItemId });
  const targets = useDocumentTargets(documentId);
  return (
    <div className={styles.deliberation}>
      <ChatPanel {...props} />
      <div className={styles.documentColumn}>
        {documents.length === 0 ? (
          <p className="muted">{t('noDocuments')}</p>
        ) : (
          <div className={`cluster ${styles.documentPicker}`}>
            <div className="field">
              <label htmlFor={`${id}-document`}>{t('documentLabel')}</label>
              <select id={`${id}-document`} value={documentId ?? ''} onChange={(event) => setDocumentId(event.target.value)}>
                <DocumentOptions documents={documents} />
              </select>
            </div>
            <button type="button" className="small secondary" onClick={targets.reload}>
              {t('reload')}
            </button>
          </div>
        )}
        {documentId && (
          <>
            <PositionsPanel {...props} documentId={documentId} targets={targets} />
            <WorkspacePanel {...props} documentId={documentId} targets={targets} />
          </>
        )}
      </div>
    </div>
  );
}
