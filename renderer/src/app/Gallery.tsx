import { useEffect, useState } from 'react';
import type { TemplateCard } from '../../../core/contracts/api.ts';
import type { PartnerProfile } from '../../../core/model/document.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { base64ToBytes, renderPdfPage } from '../canvas/assets.ts';
import { useApp } from './context.ts';

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
export function Gallery({ profile, onOpen, onEditProfile }: { profile: PartnerProfile; onOpen: (id: string) => void; onEditProfile: () => void }) {
  const { api } = useApp();
  const [cards, setCards] = useState<TemplateCard[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    call(api, 'templates:list', {})
      .then(setCards)
      .catch((err) => setError(describe(err).title));
  }, [api, profile]);

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
        <button type="button" onClick={onEditProfile}>
          Edit profile
        </button>
      </header>
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
