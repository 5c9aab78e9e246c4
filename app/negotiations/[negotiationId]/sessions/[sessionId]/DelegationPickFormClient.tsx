'use client';

import { useId, type FormEvent } from 'react';

/** A delegation chosen from a list, and one button to act on it (give the floor, consult, share). */
export function DelegationPickForm({
  label,
  action,
  delegations,
  busy,
  onPick,
  formLabel,
  defaultValue,
}: {
  label: string;
  action: string;
  delegations: { delegationId: string; name: string }[];
  busy: boolean;
  onPick: (delegationId: string) => void;
  formLabel?: string;
  defaultValue?: string;
}) {
  const id = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const delegationId = String(new FormData(event.currentTarget).get('delegationId') ?? '');
    if (delegationId) onPick(delegationId);
  };
  return (
    <form className="cluster room-inline-form" onSubmit={submit} aria-label={formLabel}>
      <div className="field">
        <label htmlFor={`${id}-delegation`}>{label}</label>
        <select id={`${id}-delegation`} name="delegationId" defaultValue={defaultValue}>
          {delegations.map((delegation) => (
            <option key={delegation.delegationId} value={delegation.delegationId}>
              {delegation.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="secondary" disabled={busy}>
        {action}
      </button>
    </form>
  );
}
