'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { findMentions, MAX_MESSAGE_LENGTH, sameChannel, type TChatChannel, type TChatMessage, type TConsultation } from '@/lib/session/room/chat';
import { DelegationPickForm } from './DelegationPickFormClient';
import type { TDeliberationProps } from './DeliberationPanelsClient';
import styles from './deliberation.module.css';
import { sessionIsOver } from '@/lib/shared/domain';

type TTab = { key: string; channel: TChatChannel; label: string; consultation: TConsultation | null };

/**
 * The text of a message as React text nodes (never HTML, T28), with `@` mentions of delegations
 * marked; a mention of the viewer's own delegation is highlighted.
 */
function MessageText({ text, delegations, own }: { text: string; delegations: { delegationId: string; name: string }[]; own: string | null }) {
  const parts: ReactNode[] = [];
  let from = 0;
  for (const mention of findMentions(text, delegations)) {
    if (mention.start > from) parts.push(text.slice(from, mention.start));
    const label = text.slice(mention.start, mention.end);
    parts.push(mention.delegationId === own ? <mark key={mention.start}>{label}</mark> : <strong key={mention.start}>{label}</strong>);
    from = mention.end;
  }
  parts.push(text.slice(from));
  return <p className={styles.messageText}>{parts}</p>;
}

/**
 * S50–S61: channel tabs (the plenary, the delegation's own channel, its consultations), the
 * messages of the chosen one, and a composer that says why it is closed when it is. The chair
 * deletes plenary messages and mutes people; heads request and answer consultations.
 */
export function ChatPanel({ view, names, run, busy }: Omit<TDeliberationProps, 'documents'>) {
  const t = useTranslations('room.chat');
  const format = useFormatter();
  const id = useId();
  const { state, viewer, directory } = view;
  const own = viewer.delegationId;
  const delegationName = (delegationId: string | null) => names.delegation(delegationId) ?? '—';

  const tabs: TTab[] = [{ key: 'plenary', channel: { kind: 'plenary' }, label: t('plenary'), consultation: null }];
  if (own) tabs.push({ key: `delegation:${own}`, channel: { kind: 'delegation', delegationId: own }, label: t('ownDelegation', { delegation: delegationName(own) }), consultation: null });
  for (const consultation of state.chat.consultations) {
    if (!own || (consultation.status !== 'open' && consultation.status !== 'closed')) continue;
    const partner = consultation.delegationIds[0] === own ? consultation.delegationIds[1] : consultation.delegationIds[0];
    const label = t('consultationTab', { delegation: delegationName(partner) }) + (consultation.status === 'closed' ? ` (${t('consultationClosed')})` : '');
    tabs.push({ key: `consultation:${consultation.consultationId}`, channel: { kind: 'consultation', consultationId: consultation.consultationId, delegationIds: consultation.delegationIds }, label, consultation });
  }
  const [selected, setSelected] = useState('plenary');
  const tab = tabs.find((candidate) => candidate.key === selected) ?? tabs[0]!;
  const messages = state.chat.messages.filter((message) => sameChannel(message.channel, tab.channel));

  const logRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [messages.length, tab.key]);

  const muted = state.chat.muted.includes(viewer.userId);
  const observer = viewer.role === 'observer' || viewer.delegationStatus === 'observer';
  const closedReason =
    tab.channel.kind === 'plenary'
      ? !viewer.may.postPlenary
        ? t('noPlenary')
        : muted
          ? t('youAreMuted')
          : observer && !state.chat.observersMayWrite
            ? t('observersReadOnly')
            : null
      : !viewer.may.postDelegation
        ? t('noPlenary')
        : tab.consultation && tab.consultation.status !== 'open'
          ? t('consultationNotOpen')
          : null;

  const send = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const text = String(new FormData(form).get('text') ?? '');
    const sent =
      tab.channel.kind === 'plenary'
        ? await run('chat.post_plenary', { text })
        : tab.channel.kind === 'delegation'
          ? await run('chat.post_delegation', { text })
          : await run('chat.post_consultation', { consultationId: tab.channel.consultationId, text });
    if (sent) form.reset();
  };

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = tabs[(index + step + tabs.length) % tabs.length]!;
    setSelected(next.key);
    document.getElementById(`${id}-tab-${next.key}`)?.focus();
  };

  return (
    <section className={`card ${styles.chat}`} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('heading')}</h2>
      <div role="tablist" aria-label={t('channels')} className={styles.tabs}>
        {tabs.map((candidate, index) => {
          const active = candidate.key === tab.key;
          const unreadMention = !active && state.chat.messages.some((message) => sameChannel(message.channel, candidate.channel) && own !== null && message.mentions.includes(own));
          return (
            <button
              key={candidate.key}
              id={`${id}-tab-${candidate.key}`}
              type="button"
              role="tab"
              aria-selected={active}
              aria-controls={`${id}-panel`}
              tabIndex={active ? 0 : -1}
              className={styles.tab}
              onClick={() => setSelected(candidate.key)}
              onKeyDown={(event) => onTabKey(event, index)}
            >
              {candidate.label}
              {unreadMention && <span className="visually-hidden"> ({t('mentionsYou')})</span>}
            </button>
          );
        })}
      </div>
      <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-tab-${tab.key}`} className={styles.channel}>
        {tab.channel.kind === 'delegation' && <p className="muted">{t('internalNote')}</p>}
        {tab.consultation && own && <p className="muted">{t('consultationNote', { delegation: delegationName(tab.consultation.delegationIds.find((delegationId) => delegationId !== own) ?? null) })}</p>}
        {messages.length === 0 ? (
          <p className="empty">{t('empty')}</p>
        ) : (
          // The log scrolls: focusable, so keyboard users can scroll it too.
          <div ref={logRef} className={styles.log} role="log" aria-live="polite" aria-label={t('log', { channel: tab.label })} tabIndex={0}>
            <ol className={styles.messages}>
              {messages.map((message) => (
                <Message key={message.messageId} message={message} view={view} names={names} run={run} busy={busy} format={format} />
              ))}
            </ol>
          </div>
        )}
        {closedReason ? (
          <p className="muted" role="status">
            {closedReason}
          </p>
        ) : (
          <form className={styles.composer} onSubmit={(event) => void send(event)}>
            <div className="field">
              <label htmlFor={`${id}-text`}>{t('composeLabel', { channel: tab.label })}</label>
              <textarea id={`${id}-text`} name="text" rows={2} required maxLength={MAX_MESSAGE_LENGTH} aria-describedby={`${id}-limit`} />
              <span id={`${id}-limit`} className="hint">
                {t('limit', { max: MAX_MESSAGE_LENGTH })}
              </span>
            </div>
            <button type="submit" disabled={busy}>
              {t('send')}
            </button>
          </form>
        )}
      </div>
      {viewer.may.moderateChat && !sessionIsOver(state.status) && (
        <fieldset className={styles.settings}>
          <legend>{t('settingsLegend')}</legend>
          <label className="check">
            <input type="checkbox" checked={state.chat.observersMayWrite} disabled={busy} onChange={(event) => void run('chat.settings', { observersMayWrite: event.target.checked })} />
            {t('observersMayWrite')}
          </label>
        </fieldset>
      )}
      {own && <Consultations view={view} names={names} run={run} busy={busy} directory={directory} />}
    </section>
  );
}

/** One message: who, when, the text (or that the chair deleted it), and the chair's tools. */
function Message({ message, view, names, run, busy, format }: Pick<TDeliberationProps, 'view' | 'names' | 'run' | 'busy'> & { message: TChatMessage; format: ReturnType<typeof useFormatter> }) {
  const t = useTranslations('room.chat');
  const { state, viewer, directory } = view;
  const person = names.person(message.userId) ?? '—';
  const own = viewer.delegationId;
  const mentionsYou = own !== null && message.mentions.includes(own);
  const moderate = viewer.may.moderateChat && message.channel.kind === 'plenary' && !sessionIsOver(state.status) && message.userId !== viewer.userId && message.userId !== null;
  const muted = message.userId !== null && state.chat.muted.includes(message.userId);
  return (
    <li className={mentionsYou ? styles.mentionsYou : undefined}>
      <p className={styles.messageHead}>
        <span className={styles.author}>{message.delegationId ? t('from', { person, delegation: names.delegation(message.delegationId) ?? '—' }) : person}</span>
        <time dateTime={new Date(message.at).toISOString()} className="muted">
          {format.dateTime(new Date(message.at), { hour: '2-digit', minute: '2-digit' })}
        </time>
        {muted && <span className="badge warn">{t('mutedBadge')}</span>}
        {mentionsYou && <span className="badge">{t('mentionsYou')}</span>}
      </p>
      {message.text === null ? (
        <p className={`muted ${styles.deleted}`}>{t('deleted')}</p>
      ) : (
        <MessageText text={message.text} delegations={directory.delegations} own={own} />
      )}
      {moderate && (
        <div className="cluster row-actions">
          {message.text !== null && (
            <button type="button" className="small danger" disabled={busy} aria-label={t('deleteMessage', { person })} onClick={() => void run('chat.delete', { messageId: message.messageId })}>
              {t('delete')}
            </button>
          )}
          {muted ? (
            <button type="button" className="small secondary" disabled={busy} aria-label={t('unmutePerson', { person })} onClick={() => void run('chat.unmute', { userId: message.userId ?? '' })}>
              {t('unmute')}
            </button>
          ) : (
            <button type="button" className="small secondary" disabled={busy} aria-label={t('mutePerson', { person })} onClick={() => void run('chat.mute', { userId: message.userId ?? '' })}>
              {t('mute')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/** S59: the delegation's consultation requests, in and out, and a request to another delegation. */
function Consultations({ view, names, run, busy, directory }: Pick<TDeliberationProps, 'view' | 'names' | 'run' | 'busy'> & { directory: TDeliberationProps['view']['directory'] }) {
  const t = useTranslations('room.chat.consultations');
  const { state, viewer } = view;
  const own = viewer.delegationId;
  const manage = viewer.may.manageConsultations && !sessionIsOver(state.status);
  const active = state.chat.consultations.filter((consultation) => consultation.status === 'requested' || consultation.status === 'open');
  const busyWith = new Set(active.flatMap((consultation) => consultation.delegationIds));
  const candidates = directory.delegations.filter((delegation) => delegation.delegationId !== own && !busyWith.has(delegation.delegationId));
  if (!own) return null;
  return (
    <div className={styles.consultations}>
      <h3>{t('heading')}</h3>
      {active.length === 0 ? (
        <p className="muted">{t('none')}</p>
      ) : (
        <ul className={styles.plainList}>
          {active.map((consultation) => {
            const incoming = consultation.delegationIds[1] === own;
            const partner = names.delegation(incoming ? consultation.delegationIds[0] : consultation.delegationIds[1]) ?? '—';
            const consultationId = consultation.consultationId;
            return (
              <li key={consultationId} className="cluster">
                <span>{consultation.status === 'open' ? partner : incoming ? t('requestedBy', { delegation: partner }) : t('requestedTo', { delegation: partner })}</span>
                {manage && consultation.status === 'requested' && incoming && (
                  <>
                    <button type="button" className="small" disabled={busy} aria-label={t('acceptFrom', { delegation: partner })} onClick={() => void run('consultation.accept', { consultationId })}>
                      {t('accept')}
                    </button>
                    <button type="button" className="small secondary" disabled={busy} aria-label={t('declineFrom', { delegation: partner })} onClick={() => void run('consultation.decline', { consultationId })}>
                      {t('decline')}
                    </button>
                  </>
                )}
                {manage && (consultation.status === 'open' || !incoming) && (
                  <button
                    type="button"
                    className="small secondary"
                    disabled={busy}
                    aria-label={consultation.status === 'open' ? t('closeWith', { delegation: partner }) : t('withdrawTo', { delegation: partner })}
                    onClick={() => void run('consultation.close', { consultationId })}
                  >
                    {consultation.status === 'open' ? t('close') : t('withdraw')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {manage && candidates.length > 0 && (
        <DelegationPickForm label={t('requestLabel')} action={t('request')} delegations={candidates} busy={busy} onPick={(delegationId) => void run('consultation.request', { delegationId })} />
      )}
    </div>
  );
}
