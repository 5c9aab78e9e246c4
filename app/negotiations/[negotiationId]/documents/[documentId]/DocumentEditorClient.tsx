'use client';

import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useTranslations } from 'next-intl';
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { PluginKey } from '@tiptap/pm/state';
import type { Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { anchorRange, BRACKET_MARKS_REFRESH, BracketMarks, COMMENT_HIGHLIGHTS_REFRESH, CommentHighlights } from '@/lib/documents/anchors';
import { AUTHORSHIP_REFRESH, AuthorshipDecorations } from '@/lib/documents/authorship';
import { documentBlocks, type TBlock } from '@/lib/documents/blocks';
import { AWARENESS_REFUSALS } from '@/lib/documents/messages';
import { ParagraphAttributes } from '@/lib/documents/paragraph-attributes';
import { PARAGRAPH_STATUS_REFRESH, ParagraphStatusDecorations } from '@/lib/documents/paragraph-status';
import { DOCUMENT_FIELD } from '@/lib/documents/schema';
import { DocumentSyncProvider, type TAccess, type TProviderStatus } from '@/lib/documents/socket-provider';
import { useSocket } from '../../../../components/useSocket';
import { AmendmentsPanelClient, type TAmendmentDraft } from './AmendmentsPanelClient';
import { BracketsPanelClient, type TBracketView } from './BracketsPanelClient';
import { CommentsPanelClient, type TCommentDraft, type TCommentView } from './CommentsPanelClient';

interface TIdentity {
  name: string;
  delegation: string | null;
  color: string;
}

interface Props {
  documentId: string;
  initialAccess: 'edit' | 'read';
  initialMode: string;
  mayChangeStatus: boolean;
  mayProposeAmendments: boolean;
  mayDecideAmendments: boolean;
  myDelegationId: string | null;
  mayComment: boolean;
  mayOpenBrackets: boolean;
  mayResolveBrackets: boolean;
  mayModerateComments: boolean;
  myUserId: string;
  me: TIdentity;
}

const STATUSES = ['pending', 'bracketed', 'agreed_ad_ref', 'agreed'] as const;
type TStatus = (typeof STATUSES)[number];

type TPresence = TIdentity & { clientId: number };

/**
 * The live editor: the page's socket, a Y.Doc kept in sync by DocumentSyncProvider, Tiptap bound to
 * it with carets labelled by person and delegation. If the server refuses our content (D6), the
 * local copy is replaced by a fresh one from the server.
 */
export function DocumentEditorClient(props: Props) {
  const socket = useSocket();
  const [generation, setGeneration] = useState(0);
  const t = useTranslations('editor');
  const [refusal, setRefusal] = useState<string | null>(null);
  if (!socket) return <p className="muted">{t('connecting')}</p>;
  return (
    <>
      {refusal && (
        <div className="alert error" role="alert">
          {/* D25: a refused presence leaves the text alone; say which was refused. */}
          {t(AWARENESS_REFUSALS.some((code) => code === refusal) ? 'presenceRefused' : 'refused')}
        </div>
      )}
      <LiveEditor
        key={generation}
        socket={socket}
        {...props}
        onRefused={(code) => {
          setRefusal(code);
          setGeneration((value) => value + 1);
        }}
      />
    </>
  );
}

function LiveEditor({
  socket,
  documentId,
  initialAccess,
  initialMode,
  mayChangeStatus,
  mayProposeAmendments,
  mayDecideAmendments,
  myDelegationId,
  mayComment,
  mayOpenBrackets,
  mayResolveBrackets,
  mayModerateComments,
  myUserId,
  me,
  onRefused,
}: Props & { socket: Socket; onRefused: (code: string) => void }) {
  const t = useTranslations('editor');
  const [status, setStatus] = useState<TProviderStatus>('connecting');
  const [access, setAccess] = useState<TAccess>(initialAccess);
  const [mode, setMode] = useState<string>(initialMode);
  const [unconfirmed, setUnconfirmed] = useState(0);
  const [people, setPeople] = useState<TPresence[]>([]);
  // Bind the editor only once the server's text has arrived: an editor bound to an empty document
  // would create its own first paragraph, which would then be merged into everyone's text.
  const [synced, setSynced] = useState(false);
  const [statuses, setStatuses] = useState<Record<string, string>>({});
  const [draft, setDraft] = useState<TAmendmentDraft | null>(null);
  const [showAuthors, setShowAuthors] = useState(false);
  const [commentDraft, setCommentDraft] = useState<TCommentDraft | null>(null);
  const [threads, setThreads] = useState<TCommentView[]>([]);
  const [brackets, setBrackets] = useState<TBracketView[]>([]);
  const [bracketError, setBracketError] = useState(false);

  const { doc, provider } = useMemo(() => {
    const ydoc = new Y.Doc();
    const sync = new DocumentSyncProvider(socket, documentId, ydoc, {
      status: (value) => {
        setStatus(value);
        if (value === 'synced') setSynced(true);
      },
      access: (value, newMode) => {
        setAccess(value);
        if (newMode) setMode(newMode);
      },
      unconfirmed: setUnconfirmed,
      refused: onRefused,
      statuses: (changes) => setStatuses((current) => ({ ...current, ...changes })),
    });
    return { doc: ydoc, provider: sync };
    // The provider lives as long as this component (a new generation gets a new one).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [socket, documentId]);

  useEffect(() => {
    const refresh = () => {
      const states = [...provider.awareness.getStates().entries()]
        .map(([clientId, state]) => ({ clientId, ...(state.user as TIdentity | undefined) }))
        .filter((entry): entry is TPresence => typeof entry.name === 'string');
      setPeople(states);
    };
    provider.awareness.on('change', refresh);
    refresh();
    return () => {
      provider.awareness.off('change', refresh);
      provider.destroy();
      doc.destroy();
    };
  }, [provider, doc]);

  const blocks = useDocumentBlocks(doc);
  const authors = useAuthors(documentId, doc, showAuthors);
  const amend = (pid: string) => {
    const block = blocks.find((candidate) => candidate.pid === pid);
    setDraft((previous) => ({ pid, text: block ? block.runs.map((run) => run.text).join('') : '', nonce: (previous?.nonce ?? 0) + 1 }));
  };
  const mayPropose = mayProposeAmendments && mode !== 'adopted';
  const openBrackets = brackets.filter((bracket) => bracket.resolvedAt === null);
  const bracketRange = async (range: { start: string; end: string }) => {
    setBracketError(false);
    const response = await fetch(`/api/documents/${documentId}/brackets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ anchorStart: range.start, anchorEnd: range.end }),
    }).catch(() => null);
    if (!response?.ok) setBracketError(true);
  };

  const saving = unconfirmed > 0;
  const statusText =
    status === 'synced'
      ? saving
        ? t('saving', { count: unconfirmed })
        : t('saved')
      : status === 'refused'
        ? t('noAccess')
        : t('offline');

  return (
    <div className="editor-layout">
      <section className="card editor-card" aria-labelledby="editor-heading">
        <h2 id="editor-heading" className="visually-hidden">
          {t('textHeading')}
        </h2>
        <div className="editor-status cluster">
          <span role="status" aria-live="polite" className={`badge ${status === 'synced' ? (saving ? 'warn' : 'ok') : 'danger'}`}>
            {status !== 'synced' || saving ? <span className="spinner" aria-hidden="true" /> : null} {statusText}
          </span>
          <span className="muted">{access === 'edit' ? t('canEdit') : t(`readOnly.${mode === 'open_drafting' ? 'role' : 'mode'}`)}</span>
          <button type="button" className="secondary small" aria-pressed={showAuthors} onClick={() => setShowAuthors((value) => !value)}>
            {t('authorship.toggle')}
          </button>
        </div>
        {showAuthors && (
          <ul className="authorship-legend cluster" aria-label={t('authorship.legend')}>
            {[...new Map(Object.values(authors).map((author) => [author.delegation ?? '', author])).values()].map((author) => (
              <li key={author.delegation ?? 'none'}>
                <span className="presence-dot" style={{ background: author.color }} aria-hidden="true" />
                {author.delegation ?? t('authorship.noDelegation')}
              </li>
            ))}
          </ul>
        )}
        {bracketError && (
          <p className="alert error" role="alert">
            {t('brackets.failed')}
          </p>
        )}
        {synced ? (
          <BoundEditor
            doc={doc}
            provider={provider}
            me={me}
            editable={access === 'edit'}
            statuses={statuses}
            authors={showAuthors ? authors : null}
            threads={threads}
            brackets={openBrackets}
            onBracket={mayOpenBrackets && mode !== 'adopted' ? (range) => void bracketRange(range) : null}
            onAmend={mayPropose ? amend : null}
            onComment={
              mayComment ? (range) => setCommentDraft((previous) => ({ ...range, nonce: (previous?.nonce ?? 0) + 1 })) : null
            }
          />
        ) : (
          <p className="muted">
            <span className="spinner" aria-hidden="true" /> {t('loadingText')}
          </p>
        )}
      </section>
      <div className="stack">
      <aside className="card presence" aria-labelledby="presence-heading">
        <h2 id="presence-heading">{t('presence', { count: people.length })}</h2>
        <ul>
          {people.map((person) => (
            <li key={person.clientId}>
              <span className="presence-dot" style={{ background: person.color }} aria-hidden="true" />
              <span>
                {person.name}
                {person.delegation && <span className="muted"> · {person.delegation}</span>}
              </span>
            </li>
          ))}
        </ul>
      </aside>
      {synced && (
        <ParagraphPanel
          blocks={blocks}
          documentId={documentId}
          statuses={statuses}
          openBrackets={openBrackets}
          mayChange={mayChangeStatus}
          onAmend={mayPropose ? amend : null}
        />
      )}
      {synced && mayComment && (
        <CommentsPanelClient
          documentId={documentId}
          socket={socket}
          draft={commentDraft}
          hasDelegation={myDelegationId !== null}
          mayResolveAny={mayModerateComments}
          myUserId={myUserId}
          onThreads={setThreads}
        />
      )}
      </div>
      {synced && (
        <BracketsPanelClient
          documentId={documentId}
          socket={socket}
          blocks={blocks}
          myDelegationId={myDelegationId}
          mayPropose={mayPropose}
          mayResolve={mayResolveBrackets && mode !== 'adopted'}
          onBrackets={setBrackets}
        />
      )}
      {synced && (
        <AmendmentsPanelClient
          documentId={documentId}
          socket={socket}
          blocks={blocks}
          mayPropose={mayPropose}
          mayDecide={mayDecideAmendments && mode !== 'adopted'}
          myDelegationId={myDelegationId}
          draft={draft}
        />
      )}
    </div>
  );
}

type TAuthors = Record<string, { delegation: string | null; color: string }>;

/** Who wrote under each Yjs client id, fetched while the authorship view is on and as new writers appear. */
function useAuthors(documentId: string, doc: Y.Doc, enabled: boolean): TAuthors {
  const [authors, setAuthors] = useState<TAuthors>({});
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      const response = await fetch(`/api/documents/${documentId}/authors`, { cache: 'no-store' }).catch(() => null);
      if (!cancelled && response?.ok) setAuthors(((await response.json()) as { authors: TAuthors }).authors);
    };
    // New writers appear with new text; look again at most every few seconds while it changes.
    const onUpdate = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        void load();
      }, 3000);
    };
    const first = setTimeout(() => void load(), 0);
    doc.on('update', onUpdate);
    return () => {
      cancelled = true;
      clearTimeout(first);
      if (timer) clearTimeout(timer);
      doc.off('update', onUpdate);
    };
  }, [documentId, doc, enabled]);
  return authors;
}

/** The document's blocks, recomputed at most once a frame as the text changes. */
function useDocumentBlocks(doc: Y.Doc): TBlock[] {
  const [blocks, setBlocks] = useState(() => documentBlocks(doc));
  useEffect(() => {
    let frame = 0;
    const refresh = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setBlocks(documentBlocks(doc)));
    };
    doc.on('update', refresh);
    return () => {
      cancelAnimationFrame(frame);
      doc.off('update', refresh);
    };
  }, [doc]);
  return blocks;
}

/** Paragraph statuses: a summary for everyone, and the chair's controls. */
function ParagraphPanel({
  blocks,
  documentId,
  statuses,
  openBrackets,
  mayChange,
  onAmend,
}: {
  blocks: TBlock[];
  documentId: string;
  statuses: Record<string, string>;
  openBrackets: TBracketView[];
  mayChange: boolean;
  onAmend: ((pid: string) => void) | null;
}) {
  const t = useTranslations('editor.status');
  const amendLabel = useTranslations('editor.amendments');
  const bracketLabel = useTranslations('editor.brackets');
  const [failed, setFailed] = useState(false);
  const paragraphs = blocks.filter((block) => block.pid && block.type !== 'heading');
  const statusOf = (pid: string): TStatus => {
    const status = statuses[pid];
    return (STATUSES as readonly string[]).includes(status ?? '') ? (status as TStatus) : 'pending';
  };
  const counts = STATUSES.map((status) => ({ status, count: paragraphs.filter((block) => statusOf(block.pid ?? '') === status).length }));
  const change = async (pid: string, status: string) => {
    setFailed(false);
    const response = await fetch(`/api/documents/${documentId}/paragraphs/${pid}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status }),
    }).catch(() => null);
    if (!response?.ok) setFailed(true);
  };
  return (
    <aside className="card paragraph-panel" aria-labelledby="paragraphs-heading">
      <h2 id="paragraphs-heading">{t('heading')}</h2>
      <p className="cluster">
        {counts.map(({ status, count }) => (
          <span key={status} className={`badge status-${status}`}>
            {t(`summary.${status}`, { count })}
          </span>
        ))}
      </p>
      {failed && (
        <p className="alert error" role="alert">
          {t('failed')}
        </p>
      )}
      <ol>
        {paragraphs.map((block, index) => {
          const text = block.runs.map((run) => run.text).join('');
          const snippet = text.length > 70 ? `${text.slice(0, 70)}…` : text;
          const status = statusOf(block.pid ?? '');
          return (
            <li key={block.pid}>
              <span className="snippet">{snippet || t('empty')}</span>
              {mayChange ? (
                <select
                  aria-label={t('selectLabel', { number: index + 1 })}
                  value={status}
                  onChange={(event) => void change(block.pid ?? '', event.target.value)}
                >
                  {STATUSES.map((option) => (
                    <option key={option} value={option}>
                      {t(`names.${option}`)}
                    </option>
                  ))}
                </select>
              ) : (
                <span className={`badge status-${status}`}>{t(`names.${status}`)}</span>
              )}
              {openBrackets.some((bracket) => bracket.pid === block.pid) && (
                <span className="badge status-bracketed">
                  {bracketLabel('openCount', { count: openBrackets.filter((bracket) => bracket.pid === block.pid).length })}
                </span>
              )}
              {onAmend && (
                <button type="button" className="secondary small" onClick={() => onAmend(block.pid ?? '')} aria-label={amendLabel('amendNumber', { number: index + 1 })}>
                  {amendLabel('amend')}
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </aside>
  );
}

function BoundEditor({
  doc,
  provider,
  me,
  editable,
  statuses,
  authors,
  threads,
  brackets,
  onBracket,
  onAmend,
  onComment,
}: {
  doc: Y.Doc;
  provider: DocumentSyncProvider;
  me: TIdentity;
  editable: boolean;
  statuses: Record<string, string>;
  /** When set, text is coloured by the delegation that wrote it. */
  authors: TAuthors | null;
  threads: TCommentView[];
  brackets: TBracketView[];
  onBracket: ((range: { start: string; end: string }) => void) | null;
  onAmend: ((pid: string) => void) | null;
  onComment: ((range: { start: string; end: string; quote: string }) => void) | null;
}) {
  const t = useTranslations('editor');
  const statusNames = useTranslations('editor.status.names');
  const statusesRef = useRef(statuses);
  const authorsRef = useRef(authors);
  const threadsRef = useRef(threads);
  const bracketsRef = useRef(brackets);
  const [selection, setSelection] = useState<{ from: number; to: number } | null>(null);
  const noDelegation = t('authorship.noDelegation');
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable,
      extensions: [
        StarterKit.configure({ undoRedo: false }),
        ParagraphAttributes,
        // eslint-disable-next-line react-hooks/refs -- ProseMirror reads the statuses when it draws decorations, never during React's render.
        ParagraphStatusDecorations.configure({
          statuses: () => statusesRef.current,
          label: (status) => ((STATUSES as readonly string[]).includes(status) ? statusNames(status as TStatus) : status),
        }),
        Collaboration.configure({ document: doc, field: DOCUMENT_FIELD }),
        // eslint-disable-next-line react-hooks/refs -- ProseMirror reads the threads when it draws decorations, never during React's render.
        CommentHighlights.configure({
          ranges: () => threadsRef.current.filter((thread) => thread.anchorStart && thread.anchorEnd).map((thread) => ({ start: thread.anchorStart ?? '', end: thread.anchorEnd ?? '' })),
        }),
        // eslint-disable-next-line react-hooks/refs -- ProseMirror reads the brackets when it draws decorations, never during React's render.
        BracketMarks.configure({ ranges: () => bracketsRef.current.map((bracket) => ({ start: bracket.anchorStart, end: bracket.anchorEnd })) }),
        // eslint-disable-next-line react-hooks/refs -- ProseMirror reads the authors when it draws decorations, never during React's render.
        AuthorshipDecorations.configure({
          enabled: () => authorsRef.current !== null,
          authorOf: (clientId) => {
            const author = authorsRef.current?.[String(clientId)];
            return author ? { color: author.color, label: author.delegation ?? noDelegation } : undefined;
          },
        }),
        CollaborationCaret.configure({
          provider,
          user: { name: me.name, color: me.color, delegation: me.delegation },
          render: (user) => {
            const caret = document.createElement('span');
            caret.className = 'collaboration-carets__caret';
            // The people list says who is here; carets inside the text would only interrupt reading.
            caret.setAttribute('aria-hidden', 'true');
            caret.style.borderColor = String(user.color);
            const label = document.createElement('span');
            label.className = 'collaboration-carets__label';
            label.style.backgroundColor = String(user.color);
            label.textContent = user.delegation ? `${String(user.name)} · ${String(user.delegation)}` : String(user.name);
            caret.append(label);
            return caret;
          },
        }),
      ],
      onSelectionUpdate: ({ editor: current }) => {
        const { from, to } = current.state.selection;
        setSelection(to > from ? { from, to } : null);
      },
      editorProps: {
        attributes: { class: 'document-text', 'aria-label': t('textLabel'), 'aria-multiline': 'true', role: 'textbox' },
      },
    },
    [provider],
  );

  useEffect(() => {
    editor?.setEditable(editable);
  }, [editor, editable]);

  useDecorationSource(editor, bracketsRef, brackets, BRACKET_MARKS_REFRESH);
  useDecorationSource(editor, threadsRef, threads, COMMENT_HIGHLIGHTS_REFRESH);
  useDecorationSource(editor, authorsRef, authors, AUTHORSHIP_REFRESH);
  useDecorationSource(editor, statusesRef, statuses, PARAGRAPH_STATUS_REFRESH);

  return (
    <>
      {editable && editor && <Toolbar editor={editor} onAmend={onAmend} />}
      {(onComment || onBracket) && editor && (
        <div className="cluster comment-bar">
          {onBracket && (
            <button
              type="button"
              className="secondary small"
              disabled={!selection}
              onClick={() => {
                if (!selection) return;
                // A bracket stays within one paragraph: a selection that runs into the next one stops at its end.
                const end = Math.min(selection.to, editor.state.doc.resolve(selection.from).end());
                const range = end > selection.from ? anchorRange(editor.state, selection.from, end) : null;
                if (range) onBracket(range);
              }}
            >
              {t('brackets.onSelection')}
            </button>
          )}
          {onComment && (
            <button
              type="button"
              className="secondary small"
              disabled={!selection}
              onClick={() => {
                if (!selection) return;
                const range = anchorRange(editor.state, selection.from, selection.to);
                if (range) onComment({ ...range, quote: editor.state.doc.textBetween(selection.from, selection.to, ' ').slice(0, 500) });
              }}
            >
              {t('comments.onSelection')}
            </button>
          )}
          {!selection && <span className="muted">{t('comments.selectFirst')}</span>}
        </div>
      )}
      <EditorContent editor={editor} />
    </>
  );
}

/** Hands a decoration plugin its latest data (through a ref it reads while drawing) and redraws. */
function useDecorationSource<T>(editor: Editor | null, ref: RefObject<T>, value: T, key: PluginKey): void {
  useEffect(() => {
    ref.current = value;
    if (editor && !editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(key, true));
  }, [editor, ref, value, key]);
}

function Toolbar({ editor, onAmend }: { editor: Editor; onAmend: ((pid: string) => void) | null }) {
  const t = useTranslations('editor.toolbar');
  const [, setTick] = useState(0);
  useEffect(() => {
    const rerender = () => setTick((value) => value + 1);
    editor.on('transaction', rerender);
    return () => {
      editor.off('transaction', rerender);
    };
  }, [editor]);
  const kind = editor.getAttributes('paragraph').kind as string | null;
  const buttons = [
    { label: t('heading'), active: editor.isActive('heading', { level: 2 }), run: () => editor.chain().focus().toggleHeading({ level: 2 }).run() },
    { label: t('bold'), active: editor.isActive('bold'), run: () => editor.chain().focus().toggleBold().run() },
    { label: t('italic'), active: editor.isActive('italic'), run: () => editor.chain().focus().toggleItalic().run() },
    { label: t('bulletList'), active: editor.isActive('bulletList'), run: () => editor.chain().focus().toggleBulletList().run() },
    { label: t('orderedList'), active: editor.isActive('orderedList'), run: () => editor.chain().focus().toggleOrderedList().run() },
    {
      label: t('preambular'),
      active: kind === 'preambular',
      run: () => editor.chain().focus().setParagraph().updateAttributes('paragraph', { kind: kind === 'preambular' ? null : 'preambular' }).run(),
    },
    {
      label: t('operative'),
      active: kind === 'operative',
      run: () => editor.chain().focus().setParagraph().updateAttributes('paragraph', { kind: kind === 'operative' ? null : 'operative' }).run(),
    },
  ];
  const currentPid = editor.getAttributes('paragraph').pid as string | null;
  return (
    <div role="toolbar" aria-label={t('label')} className="editor-toolbar cluster">
      {buttons.map((button) => (
        <button key={button.label} type="button" className="secondary small" aria-pressed={button.active} onClick={button.run}>
          {button.label}
        </button>
      ))}
      {onAmend && currentPid && (
        <button type="button" className="small" onClick={() => onAmend(currentPid)}>
          {t('amend')}
        </button>
      )}
    </div>
  );
}
