'use client';

import { useTranslations } from 'next-intl';
import { createContext, useActionState, useContext, useId, useState, type ReactNode } from 'react';
import { useFormStatus } from 'react-dom';
import { IDLE, type TFormState } from '@/lib/shared/form-state';
import type messages from '@/messages/en.json';

type TFieldErrorKey = keyof (typeof messages)['fieldErrors'];

const FormStateContext = createContext<TFormState>(IDLE);
/**
 * What the form held when it was last submitted. The server echoes text fields back, but only one
 * value per name, so checkbox groups (several values) are restored from here after a failure.
 */
const SubmittedContext = createContext<FormData | null>(null);

interface ActionFormProps {
  action: (state: TFormState, formData: FormData) => Promise<TFormState>;
  children: ReactNode;
  submitLabel: string;
  /** Shown after a successful submit (for forms that stay on the page). */
  successMessage?: string;
  /** Rendered after a successful submit, with the action's data (e.g. an invitation link). */
  renderSuccess?: (data: Record<string, string>) => ReactNode;
  submitVariant?: 'primary' | 'secondary' | 'danger';
  className?: string;
  ariaLabel?: string;
}

/**
 * A form bound to a server action: shows a progress indicator while it runs, an error summary and
 * per-field messages when it fails, and keeps what the user typed.
 */
export function ActionForm({ action, children, submitLabel, successMessage, renderSuccess, submitVariant = 'primary', className = 'form', ariaLabel }: ActionFormProps) {
  const [state, formAction] = useActionState(action, IDLE);
  const [submitted, setSubmitted] = useState<FormData | null>(null);
  const t = useTranslations();
  return (
    <FormStateContext.Provider value={state}>
      <SubmittedContext.Provider value={submitted}>
        <form
          action={formAction}
          className={className}
          aria-label={ariaLabel}
          noValidate
          onSubmit={(event) => setSubmitted(new FormData(event.currentTarget))}
        >
          {state.status === 'error' && (
            <div className="alert error" role="alert">
              {t(`errors.${state.code}`)}
            </div>
          )}
          {state.status === 'success' && (successMessage || renderSuccess) && (
            <div className="alert success" role="status">
              {successMessage}
              {renderSuccess?.(state.data ?? {})}
            </div>
          )}
          {children}
          <div className="form-actions">
            <SubmitButton label={submitLabel} variant={submitVariant} />
          </div>
        </form>
      </SubmittedContext.Provider>
    </FormStateContext.Provider>
  );
}

function SubmitButton({ label, variant }: { label: string; variant: 'primary' | 'secondary' | 'danger' }) {
  const { pending } = useFormStatus();
  const t = useTranslations('common');
  return (
    <button type="submit" disabled={pending} aria-disabled={pending} className={variant === 'primary' ? undefined : variant}>
      {pending && <span className="spinner" aria-hidden="true" />}
      {pending ? t('working') : label}
    </button>
  );
}

/** The error and previous value of one field, from the enclosing form's last result. */
function useField(name: string) {
  const state = useContext(FormStateContext);
  const t = useTranslations('fieldErrors');
  const errorKey = state.status === 'error' ? state.fields[name] : undefined;
  const previous = state.status === 'error' ? state.values[name] : undefined;
  // Keys come from the server; one the catalogue lacks still shows a sensible message.
  const error = errorKey ? t(t.has(errorKey as TFieldErrorKey) ? (errorKey as TFieldErrorKey) : 'invalid_value') : undefined;
  return { error, previous };
}

interface FieldFrameProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ReactNode;
}

function FieldFrame({ id, label, hint, error, children }: FieldFrameProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {children}
      {error && (
        <span className="error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  return [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
}

interface TextFieldProps {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'datetime-local';
  hint?: string;
  required?: boolean;
  defaultValue?: string;
  autoComplete?: string;
  maxLength?: number;
  readOnly?: boolean;
}

/** A labelled text input with its hint and error. */
export function TextField({ name, label, type = 'text', hint, required, defaultValue, autoComplete, maxLength, readOnly }: TextFieldProps) {
  const id = useId();
  const { error, previous } = useField(name);
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        name={name}
        type={type}
        required={required}
        aria-required={required}
        defaultValue={type === 'password' ? undefined : (previous ?? defaultValue)}
        autoComplete={autoComplete}
        maxLength={maxLength}
        readOnly={readOnly}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        key={previous}
      />
    </FieldFrame>
  );
}

/** A labelled multi-line input. */
export function TextAreaField({ name, label, hint, defaultValue, maxLength }: Omit<TextFieldProps, 'type' | 'readOnly'>) {
  const id = useId();
  const { error, previous } = useField(name);
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        name={name}
        defaultValue={previous ?? defaultValue}
        maxLength={maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        key={previous}
      />
    </FieldFrame>
  );
}

interface SelectFieldProps {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  hint?: string;
  defaultValue?: string;
}

/** A labelled select. */
export function SelectField({ name, label, options, hint, defaultValue }: SelectFieldProps) {
  const id = useId();
  const { error, previous } = useField(name);
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <select
        id={id}
        name={name}
        defaultValue={previous ?? defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        key={previous}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

interface ChoiceGroupProps {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  type: 'checkbox' | 'radio';
  defaultValues?: string[];
}

/** A fieldset of checkboxes or radio buttons. */
export function ChoiceGroup({ name, legend, options, type, defaultValues = [] }: ChoiceGroupProps) {
  const id = useId();
  const { error } = useField(name);
  const state = useContext(FormStateContext);
  const submitted = useContext(SubmittedContext);
  // React resets a form after its action; after a failure the choices go back to what was submitted.
  const checked =
    state.status === 'error' && submitted ? submitted.getAll(name).filter((value): value is string => typeof value === 'string') : defaultValues;
  return (
    <fieldset className="field" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      <div className="choices" key={checked.join('\n')}>
        {options.map((option) => (
          <label key={option.value}>
            <input type={type} name={name} value={option.value} defaultChecked={checked.includes(option.value)} />
            {option.label}
          </label>
        ))}
      </div>
      {error && (
        <span className="error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </fieldset>
  );
}
