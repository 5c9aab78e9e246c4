import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ACTOR_KINDS, QUORUM_RULES } from '@/lib/shared/domain';
import { accreditDelegationAction, setQuorumRuleAction } from '../../../actions/negotiations';
import { ActionForm, ChoiceGroup, SelectField, TextField } from '../../../components/FormClient';
import { LocalTime } from '../../../components/LocalTime';
import { PageFrame } from '../../../components/PageFrame';
import { loadNegotiation } from '../load-negotiation';

type Props = { params: Promise<{ negotiationId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('delegations'))('title') };
}

/** Secretariat screen: accredit delegations. */
export default async function DelegationsPage({ params }: Props) {
  const { negotiationId } = await params;
  const { user, overview } = await loadNegotiation(negotiationId, `/negotiations/${negotiationId}/delegations`, 'delegation.accredit');
  const t = await getTranslations();
  const { negotiation } = overview;
  const accredited = new Set(overview.delegations.map((d) => d.actorId));
  const available = overview.actors.filter((actor) => !accredited.has(actor.id));
  return (
    <PageFrame user={user} crumbs={[{ href: `/negotiations/${negotiation.id}`, label: negotiation.title }]} current={t('delegations.title')}>
      <h1>{t('delegations.title')}</h1>
      <div className="split">
        <section className="card" aria-labelledby="accredit-heading">
          <h2 id="accredit-heading">{t('delegations.accredit')}</h2>
          <ActionForm action={accreditDelegationAction.bind(null, negotiation.id)} submitLabel={t('delegations.submit')} successMessage={t('delegations.accredited')}>
            <ChoiceGroup
              name="status"
              type="radio"
              legend={t('delegations.status')}
              defaultValues={['member']}
              options={[
                { value: 'member', label: t('delegationStatus.member') },
                { value: 'observer', label: t('delegationStatus.observer') },
              ]}
            />
            <SelectField
              name="actorId"
              label={t('delegations.existingActor')}
              hint={t('delegations.existingActorHint')}
              options={[{ value: '', label: t('delegations.newActorOption') }, ...available.map((actor) => ({ value: actor.id, label: `${actor.name} (${actor.country})` }))]}
            />
            <fieldset className="stack">
              <legend>{t('delegations.newActor')}</legend>
              <TextField name="name" label={t('delegations.actorName')} maxLength={200} />
              <SelectField name="kind" label={t('delegations.actorKind')} options={ACTOR_KINDS.map((kind) => ({ value: kind, label: t(`actorKinds.${kind}`) }))} />
              <TextField name="country" label={t('delegations.country')} maxLength={100} />
            </fieldset>
          </ActionForm>
        </section>
        <section className="card" aria-labelledby="accredited-heading">
          <h2 id="accredited-heading">{t('delegations.accreditedList', { count: overview.delegations.length })}</h2>
          {overview.delegations.length === 0 ? (
            <p className="empty">{t('negotiation.noDelegations')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('delegations.actorName')}</th>
                    <th scope="col">{t('delegations.status')}</th>
                    <th scope="col" className="optional">
                      {t('delegations.accreditedAt')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {overview.delegations.map((delegation) => (
                    <tr key={delegation.id}>
                      <td>
                        {delegation.actorName}
                        <br />
                        <span className="muted">
                          {t(`actorKinds.${delegation.actorKind}`)} · {delegation.actorCountry}
                        </span>
                      </td>
                      <td>
                        <span className={`badge ${delegation.status === 'member' ? '' : 'neutral'}`}>{t(`delegationStatus.${delegation.status}`)}</span>
                      </td>
                      <td className="optional">
                        <LocalTime at={delegation.accreditedAt} withZone={false} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section className="card" aria-labelledby="quorum-heading">
          <h2 id="quorum-heading">{t('delegations.quorumHeading')}</h2>
          <ActionForm action={setQuorumRuleAction.bind(null, negotiation.id)} submitLabel={t('delegations.saveQuorum')} successMessage={t('delegations.quorumSaved')} submitVariant="secondary">
            <SelectField
              name="quorumRule"
              label={t('delegations.quorumRule')}
              hint={t('delegations.quorumHint')}
              defaultValue={negotiation.quorumRule}
              options={QUORUM_RULES.map((rule) => ({ value: rule, label: t(`quorumRules.${rule}`) }))}
            />
          </ActionForm>
        </section>
      </div>
    </PageFrame>
  );
}
