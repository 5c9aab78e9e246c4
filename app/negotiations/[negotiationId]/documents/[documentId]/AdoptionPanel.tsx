import { getTranslations } from 'next-intl/server';
import type { TAdoptionStatus } from '@/lib/server/documents/adoption-status';
import { signDocumentAction } from '../../../../actions/documents';
import { ActionForm } from '../../../../components/FormClient';
import { LocalTime } from '../../../../components/LocalTime';
import styles from './adoption-panel.module.css';

/**
 * Adoption and signatures on the document page: when it was adopted, the text's fingerprint, who
 * has signed (delegation, person, time in the viewer's zone), which member delegations have not,
 * and — for a head whose member delegation has not signed yet — the signing form.
 */
export async function AdoptionPanel({ negotiationId, documentId, status }: { negotiationId: string; documentId: string; status: TAdoptionStatus }) {
  const t = await getTranslations('adoption');
  return (
    <section className="card stack" aria-labelledby="adoption-heading">
      <h2 id="adoption-heading">{t('heading')}</h2>
      <dl className={styles.facts}>
        <div>
          <dt>{t('adopted')}</dt>
          <dd>
            <LocalTime at={status.adoptedAt} />
          </dd>
        </div>
        <div>
          <dt>{t('textHash')}</dt>
          <dd>
            <code className={styles.hash}>{status.textHash}</code>
          </dd>
        </div>
      </dl>
      {status.maySignFor && (
        <ActionForm
          action={signDocumentAction.bind(null, negotiationId, documentId)}
          submitLabel={t('signFor', { delegation: status.maySignFor.name })}
          ariaLabel={t('signFormLabel')}
        >
          <p>{t('signHint', { delegation: status.maySignFor.name })}</p>
        </ActionForm>
      )}
      <div className="split">
        <section aria-labelledby="signed-heading">
          <h3 id="signed-heading">{t('signedHeading', { count: status.signatures.length })}</h3>
          {status.signatures.length === 0 ? (
            <p className="muted">{t('noSignatures')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('delegation')}</th>
                    <th scope="col">{t('signedBy')}</th>
                    <th scope="col">{t('signedAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {status.signatures.map((signature) => (
                    <tr key={signature.delegationId}>
                      <td>{signature.delegationName}</td>
                      <td>{signature.signerName}</td>
                      <td>
                        <LocalTime at={signature.signedAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section aria-labelledby="unsigned-heading">
          <h3 id="unsigned-heading">{t('unsignedHeading', { count: status.unsigned.length })}</h3>
          {status.unsigned.length === 0 ? (
            <p className="muted">{t('allSigned')}</p>
          ) : (
            <ul>
              {status.unsigned.map((delegation) => (
                <li key={delegation.id}>{delegation.name}</li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </section>
  );
}
