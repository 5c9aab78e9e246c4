'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { TFormState } from '@/lib/shared/form-state';
import { ActionForm, SelectField, TextField } from '../../../components/FormClient';

interface Props {
  action: (state: TFormState, formData: FormData) => Promise<TFormState>;
  roleOptions: { value: string; label: string }[];
  delegationOptions: { value: string; label: string }[];
}

function InvitationLink({ path, email, replaced }: { path: string; email: string; replaced: boolean }) {
  const t = useTranslations('members');
  const [copied, setCopied] = useState(false);
  const link = `${window.location.origin}${path}`;
  return (
    <div className="stack">
      <p>{t('invitationCreated', { email })}</p>
      {replaced && <p className="alert warn">{t('invitationReplaced', { email })}</p>}
      <div className="copy-field">
        <label className="visually-hidden" htmlFor="invitation-link">
          {t('invitationLink')}
        </label>
        <input id="invitation-link" type="text" readOnly value={link} onFocus={(event) => event.currentTarget.select()} />
        <button
          type="button"
          className="secondary small"
          onClick={() => void navigator.clipboard?.writeText(link).then(() => setCopied(true))}
        >
          {copied ? t('copied') : t('copy')}
        </button>
      </div>
      <p className="hint">{t('invitationOnce')}</p>
    </div>
  );
}

/** The invitation form; on success it shows the one-time link to send to the invitee. */
export function InviteFormClient({ action, roleOptions, delegationOptions }: Props) {
  const t = useTranslations('members');
  return (
    <ActionForm
      action={action}
      submitLabel={t('invite')}
      renderSuccess={(data) => (data.path ? <InvitationLink path={data.path} email={data.email ?? ''} replaced={data.replaced === 'true'} /> : null)}
    >
      <TextField name="email" type="email" label={t('email')} required maxLength={254} />
      <SelectField name="role" label={t('role')} options={roleOptions} defaultValue="delegate" />
      <SelectField name="delegationId" label={t('delegation')} hint={t('delegationHint')} options={delegationOptions} />
    </ActionForm>
  );
}
