import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ROLES } from '@/lib/shared/domain';
import { changeMemberRoleAction, inviteMemberAction } from '../../../actions/negotiations';
import { ActionForm, SelectField } from '../../../components/FormClient';
import { LocalTime } from '../../../components/LocalTime';
import { PageFrame } from '../../../components/PageFrame';
import { loadNegotiation } from '../load-negotiation';
import { InviteFormClient } from './InviteFormClient';

type Props = { params: Promise<{ negotiationId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('members'))('title') };
}

/** Secretariat screen: invite members and change roles. */
export default async function MembersPage({ params }: Props) {
  const { negotiationId } = await params;
  const { user, overview } = await loadNegotiation(negotiationId, `/negotiations/${negotiationId}/members`, 'member.invite');
  const t = await getTranslations();
  const { negotiation } = overview;
  const roleOptions = ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }));
  const delegationOptions = [
    { value: '', label: t('members.noDelegation') },
    ...overview.delegations.map((d) => ({ value: d.id, label: `${d.actorName} (${t(`delegationStatus.${d.status}`)})` })),
  ];
  const delegationName = new Map(overview.delegations.map((d) => [d.id, d.actorName]));
  const members = [...overview.staff, ...overview.delegations.flatMap((d) => d.members)];
  return (
    <PageFrame user={user} crumbs={[{ href: `/negotiations/${negotiation.id}`, label: negotiation.title }]} current={t('members.title')}>
      <h1>{t('members.title')}</h1>
      <div className="split">
        <section className="card" aria-labelledby="invite-heading">
          <h2 id="invite-heading">{t('members.inviteTitle')}</h2>
          <InviteFormClient action={inviteMemberAction.bind(null, negotiation.id)} roleOptions={roleOptions} delegationOptions={delegationOptions} />
        </section>
        <section className="card" aria-labelledby="pending-heading">
          <h2 id="pending-heading">{t('members.pending', { count: overview.openInvitations.length })}</h2>
          {overview.openInvitations.length === 0 ? (
            <p className="empty">{t('members.noPending')}</p>
          ) : (
            <ul>
              {overview.openInvitations.map((invitation) => (
                <li key={invitation.id}>
                  {invitation.email} — {t(`roles.${invitation.role}`)}
                  {invitation.delegationId && `, ${delegationName.get(invitation.delegationId) ?? ''}`}
                  <br />
                  <span className="muted">
                    {t('members.expires')} <LocalTime at={invitation.expiresAt} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section className="card" aria-labelledby="members-heading">
        <h2 id="members-heading">{t('members.list', { count: members.length })}</h2>
        <div className="table-wrap">
          <table className="rows-on-phone">
            <thead>
              <tr>
                <th scope="col">{t('members.name')}</th>
                <th scope="col">{t('members.roleAndDelegation')}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <tr key={member.id}>
                  <td>
                    {member.userName}
                    <br />
                    <span className="muted">{member.userEmail}</span>
                  </td>
                  <td>
                    {overview.abilities['member.changeRole'] ? (
                      <ActionForm
                        action={changeMemberRoleAction.bind(null, negotiation.id)}
                        submitLabel={t('members.saveRole')}
                        submitVariant="secondary"
                        successMessage={t('members.roleSaved')}
                        className="cluster compact"
                        ariaLabel={t('members.changeRoleFor', { name: member.userName })}
                      >
                        <input type="hidden" name="membershipId" value={member.id} />
                        <SelectField name="role" label={t('members.role')} options={roleOptions} defaultValue={member.role} />
                        <SelectField name="delegationId" label={t('members.delegation')} options={delegationOptions} defaultValue={member.delegationId ?? ''} />
                      </ActionForm>
                    ) : (
                      <>
                        {t(`roles.${member.role}`)}
                        {member.delegationId && `, ${delegationName.get(member.delegationId) ?? ''}`}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </PageFrame>
  );
}
