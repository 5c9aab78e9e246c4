import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/lib/db';
import { getSignedInUser } from '@/lib/server/auth/current-user';
import { describeInvitation, type TInvitationSummary } from '@/lib/server/negotiations/accept-invitation';
import { AppError } from '@/lib/shared/errors';
import { acceptInvitationAction } from '../../actions/negotiations';
import { ActionForm, TextField } from '../../components/FormClient';
import { PublicBar } from '../../components/PublicBar';

type Props = { params: Promise<{ token: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('invite'))('title'), referrer: 'no-referrer' };
}

/** Where an invitation link lands: set a name and password (or sign in), then join. */
export default async function InvitePage({ params }: Props) {
  const { token } = await params;
  const t = await getTranslations();
  let invitation: TInvitationSummary | null = null;
  try {
    invitation = await describeInvitation(await getDb(), token);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
  }
  const user = await getSignedInUser();
  const returnTo = `/invite/${token}`;

  let body;
  if (!invitation) {
    body = <div className="alert error" role="alert">{t('errors.invitation_invalid')}</div>;
  } else if (invitation.state !== 'valid') {
    body = <div className="alert error" role="alert">{t(invitation.state === 'used' ? 'errors.invitation_used' : 'errors.invitation_expired')}</div>;
  } else if (invitation.hasAccount && user?.email !== invitation.email) {
    body = (
      <div className="stack">
        <p>{t('invite.signInFirst', { email: invitation.email })}</p>
        <Link className="button" href={`/signin?callbackUrl=${encodeURIComponent(returnTo)}`}>
          {t('invite.signIn')}
        </Link>
      </div>
    );
  } else if (!invitation.hasAccount && user) {
    body = <div className="alert error" role="alert">{t('invite.signedInAsOther', { email: invitation.email })}</div>;
  } else {
    body = (
      <ActionForm action={acceptInvitationAction.bind(null, token)} submitLabel={t('invite.accept')}>
        {!invitation.hasAccount && (
          <>
            <TextField name="email" type="email" label={t('invite.email')} defaultValue={invitation.email} autoComplete="username" readOnly />
            <TextField name="name" label={t('invite.name')} hint={t('invite.nameHint')} required maxLength={120} autoComplete="name" />
            <TextField name="password" type="password" label={t('invite.password')} hint={t('invite.passwordHint')} required autoComplete="new-password" maxLength={200} />
          </>
        )}
      </ActionForm>
    );
  }

  return (
    <>
      <PublicBar />
      <main id="main" className="narrow stack">
        <h1>{t('invite.title')}</h1>
        {invitation && invitation.state === 'valid' && (
          <p className="lead">
            {t('invite.lead', {
              negotiation: invitation.negotiationTitle,
              role: t(`roles.${invitation.role}`),
              delegation: invitation.delegationName ?? '',
              hasDelegation: invitation.delegationName ? 'yes' : 'no',
            })}
          </p>
        )}
        <section className="card">{body}</section>
      </main>
    </>
  );
}
