import { useEffect, useState } from 'react';
import type { TemplateCard } from '../../../core/contracts/api.ts';
import type { PartnerProfile } from '../../../core/model/document.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { base64ToBytes, renderPdfPage } from '../canvas/assets.ts';
import type { LearnView } from '../learn/LearnScreen.tsx';
import { LearnNotice } from '../learn/LearnNotice.tsx';
import { CredentialBar } from '../packs/CredentialBar.tsx';
import { OpenPackDialog } from '../packs/OpenPackDialog.tsx';
import { useApp } from './context.ts';
import { fileToBase64, pickFile } from './files.ts';

const THUMB_WIDTH = 260;

/** A thumbnail rendered from the real PDF output (pdf.js), for the current partner. */
function Thumbnail({ card }: { card: TemplateCard }) {
  const { api } = useApp();
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let alive = true;
    void call(api, 'template:thumbnail', { id: card.id })
      .then(({ pdf }) => renderPdfPage(base64ToBytes(pdf), THUMB_WIDTH * 2, '#ffffff'))
      .then((canvas) => alive && setSrc(canvas.toDataURL('image/png')))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [api, card.id]);
  const ratio = card.height / card.width;
  return (
    <div className="thumb" style={{ aspectRatio: `${1} / ${Math.min(1.6, ratio)}` }}>
      {src ? <img src={src} alt={`Preview of ${card.name}`} /> : <div className="thumb-loading" aria-hidden="true" />}
    </div>
  );
}

/** Templates the partner may use, and the ones they may not (greyed, with the reason). */
export function Gallery({ profile, onOpen, onEditProfile, onLearn, onMdf, onActivity }: { profile: PartnerProfile; onOpen: (id: string) => void; onEditProfile: () => void; onLearn: (view: LearnView) => void; onMdf?: () => void; onActivity?: () => void }) {
  const { api } = useApp();
  const [cards, setCards] = useState<TemplateCard[]>();
  const [error, setError] = useState<string>();
  const [reload, setReload] = useState(0);
  const [packFile, setPackFile] = useState<{ name: string; data: string }>();
  useEffect(() => {
    call(api, 'templates:list', {})
      .then(setCards)
      .catch((err) => setError(describe(err).title));
  }, [api, profile, reload]);
  // File → Open Pack… in the desktop app: main picked and read the file.
  useEffect(() => window.lockupMenu?.onCommand((command) => command.name === 'open-pack' && setPackFile(command.file)), []);

  const openPack = async () => {
    const file = await pickFile('.lockup');
    if (file) setPackFile({ name: file.name, data: await fileToBase64(file) });
  };
  const notices = [...new Set(cards?.flatMap((c) => (c.notice ? [c.notice] : [])) ?? [])];

  return (
    <main className="gallery">
      <header className="gallery-head">
        <div>
          <h1>Templates</h1>
          <p className="lead">
            For {profile.company}
            {profile.tier ? ` · ${profile.tier[0]!.toUpperCase()}${profile.tier.slice(1)} partner` : ''}
          </p>
        </div>
        <div className="head-actions">
          <button type="button" onClick={() => onLearn({ kind: 'overview' })}>
            Learn
          </button>
          {onMdf && (
            <button type="button" onClick={onMdf}>
              MDF
            </button>
          )}
          {onActivity && (
            <button type="button" onClick={onActivity}>
              Activity
            </button>
          )}
          <button type="button" onClick={() => void openPack()}>
            Open pack…
          </button>
          <button type="button" onClick={onEditProfile}>
            Edit profile
          </button>
        </div>
      </header>
      <CredentialBar refresh={reload} onChanged={() => setReload((n) => n + 1)} />
      {notices.map((n) => (
        <p key={n} className="notice" role="note">
          {n}
        </p>
      ))}
      <LearnNotice cards={cards} onOpenTraining={(id) => onLearn({ kind: 'training', id })} />
      {packFile && <OpenPackDialog file={packFile} onClose={() => setPackFile(undefined)} onImported={() => setReload((n) => n + 1)} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!cards && !error && <p className="muted">Loading templates…</p>}
      <ul className="cards" aria-label="Templates">
        {cards?.map((card) => (
          <li key={card.id} className={card.available ? 'card' : 'card locked'}>
            <button
              type="button"
              className="card-button"
              onClick={() => card.available && onOpen(card.id)}
              aria-disabled={!card.available}
              aria-describedby={card.available ? undefined : `reason-${card.id}`}
              data-template={card.id}
            >
              <Thumbnail card={card} />
              <span className="card-title">{card.name}</span>
              <span className="card-meta">
                {card.category} · {card.pageSize}
                {card.hasDraft && <span className="badge">Draft</span>}
              </span>
              {card.draftNote && (
                <span className="draft-note" data-testid={`draft-note-${card.id}`}>
                  <span aria-hidden="true">⚠</span> {card.draftNote}
                </span>
              )}
              {!card.available && (
                <span className="lock-reason" id={`reason-${card.id}`}>
                  <span aria-hidden="true">🔒</span> {card.reasons.join('; ')}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </main>
  );
}
