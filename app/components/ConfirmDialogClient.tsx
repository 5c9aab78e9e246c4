'use client';

import { useTranslations } from 'next-intl';
import { useId, useRef, type ReactNode } from 'react';

interface ConfirmDialogProps {
  /** The button that asks: it opens the dialog, nothing more. */
  triggerLabel: string;
  triggerVariant?: 'secondary' | 'danger';
  heading: string;
  /** What will happen, said plainly: the dialog's accessible description. */
  description: string;
  /** The button that leaves everything as it was. */
  backLabel: string;
  /** The form that does it: its submit is the only way to go ahead. */
  children: ReactNode;
}

/**
 * Confirmation before anything irreversible: a modal dialog (the browser's, so focus stays inside
 * it and Escape closes it) that names what will happen, holds the form that does it, and a way back.
 */
export function ConfirmDialog({ triggerLabel, triggerVariant = 'danger', heading, description, backLabel, children }: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const back = useRef<HTMLButtonElement>(null);
  const id = useId();
  const open = () => {
    dialog.current?.showModal();
    // The safe choice has the focus: Enter right away changes nothing.
    back.current?.focus();
  };
  return (
    <>
      <button type="button" className={triggerVariant} aria-haspopup="dialog" onClick={open}>
        {triggerLabel}
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby={`${id}-heading`} aria-describedby={`${id}-description`}>
        <h2 id={`${id}-heading`}>{heading}</h2>
        <p id={`${id}-description`}>{description}</p>
        {children}
        <form method="dialog" className="form-actions">
          <button ref={back} type="submit" className="secondary">
            {backLabel}
          </button>
        </form>
      </dialog>
    </>
  );
}

/** The confirmation before a session ends (S85): a cancelled or closed session never moves again. */
export function SessionEndDialog({ action, children }: { action: 'cancel' | 'close'; children: ReactNode }) {
  const t = useTranslations();
  return (
    <ConfirmDialog
      triggerLabel={t(`sessionActions.${action}`)}
      heading={t(`sessionConfirm.${action}.heading`)}
      description={t(`sessionConfirm.${action}.description`)}
      backLabel={t('sessionConfirm.back')}
    >
      {children}
    </ConfirmDialog>
  );
}
