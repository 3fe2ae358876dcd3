import { useEffect, useState } from 'react';
import type { OpOutput } from '../../../core/contracts/api.ts';
import type { ModuleCard, PlaybookCard } from '../../../core/contracts/learning-api.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { day, lessonsText, names, percent, rulesText, statusText } from './format.ts';
import { useNow } from './hooks.ts';

type Overview = OpOutput<'learning:overview'>;
type Held = Overview['certifications'][number];

const SOURCE: Record<Held['source'], string> = {
  credential: 'From your partner credential',
  training: 'Earned in training',
  profile: 'From your profile',
};

function PlaybookItem({ card, onOpen }: { card: PlaybookCard; onOpen: () => void }) {
  const { done, total } = card.progress;
  const reasonId = `pb-reason-${card.id}`;
  return (
    <li className={card.available ? 'learn-card' : 'learn-card locked'} data-playbook={card.id}>
      <h3>
        <button type="button" className="learn-card-title" onClick={() => card.available && onOpen()} aria-disabled={!card.available} aria-describedby={card.available ? undefined : reasonId}>
          {card.name}
        </button>
      </h3>
      <p className="learn-meta">{card.brandName}</p>
      {card.summary && <p className="learn-summary">{card.summary}</p>}
      {total > 0 ? (
        <div className="learn-progress">
          <progress max={total} value={done} aria-label={`Progress: ${card.name}`} />
          <span>
            {done} of {total} steps
          </span>
        </div>
      ) : (
        <p className="muted small">No steps to tick off.</p>
      )}
      {!card.available && (
        <p className="lock-reason" id={reasonId}>
          <span aria-hidden="true">🔒</span> {card.reasons.join('; ')}
        </p>
      )}
    </li>
  );
}

export function StatusBadge({ card }: { card: Pick<ModuleCard, 'status'> }) {
  const now = useNow(card.status.until);
  return (
    <span className={`status-badge ${card.status.state}`} data-testid="module-status">
      {statusText(card.status, now)}
    </span>
  );
}

/** "Passing grants X, which unlocks: A, B" (before a pass). */
export function GrantsLine({ grants }: { grants: ModuleCard['grants'] }) {
  const unlocked = [...grants.unlocks.templates, ...grants.unlocks.playbooks];
  return (
    <p className="learn-grants">
      Passing grants <strong>{grants.name}</strong>
      {unlocked.length > 0 ? `, which unlocks: ${names(unlocked)}` : '.'}
    </p>
  );
}

function ModuleItem({ card, onOpen }: { card: ModuleCard; onOpen: () => void }) {
  return (
    <li className="learn-card" data-module={card.id}>
      <h3>
        <button type="button" className="learn-card-title" onClick={onOpen}>
          {card.title}
        </button>
      </h3>
      <p className="learn-meta">
        {card.brandName} · {lessonsText(card.lessons)} <StatusBadge card={card} />
      </p>
      {card.summary && <p className="learn-summary">{card.summary}</p>}
      <p className="learn-rules">{rulesText(card)}</p>
      {card.status.state === 'passed' ? (
        card.earned && (
          <p className="learn-earned">
            Passed on {day(card.earned.at)} with {percent(card.earned.score)}: you hold <strong>{card.earned.certificationName}</strong>.
          </p>
        )
      ) : (
        <GrantsLine grants={card.grants} />
      )}
    </li>
  );
}

function HeldItem({ cert, earned, brandName }: { cert: Held; earned: Overview['earned'][number] | undefined; brandName: string }) {
  const unlocked = [...cert.unlocks.templates, ...cert.unlocks.playbooks];
  return (
    <li className="learn-cert" data-certification={cert.id}>
      <span>
        <strong>{cert.name}</strong> <span className="muted">· {brandName}</span>
      </span>
      <span className="cert-source">{SOURCE[cert.source]}</span>
      {earned && (
        <span className="muted small">
          {earned.moduleTitle}, {day(earned.at)} · code <span className="mono">{earned.code}</span>
        </span>
      )}
      {unlocked.length > 0 && <span className="muted small">Opens: {names(unlocked)}</span>}
    </li>
  );
}

/** The Learn area's front page: playbooks, training modules, certifications held. */
export function Overview({ onBack, onOpenPlaybook, onOpenTraining }: { onBack: () => void; onOpenPlaybook: (id: string) => void; onOpenTraining: (id: string) => void }) {
  const { api, info } = useApp();
  const [data, setData] = useState<Overview>();
  const [error, setError] = useState<ReturnType<typeof describe>>();
  useEffect(() => {
    call(api, 'learning:overview', {})
      .then(setData)
      .catch((err) => setError(describe(err)));
  }, [api]);
  const brandName = (id: string) => info.brands.find((b) => b.id === id)?.name ?? id;

  return (
    <main className="learn">
      <header className="learn-head">
        <div>
          <h1>Learn</h1>
          <p className="lead">Playbooks to run with your vendors, and training that unlocks more collateral.</p>
        </div>
        <div className="head-actions">
          <button type="button" onClick={onBack}>
            Back to templates
          </button>
        </div>
      </header>
      <ErrorBox error={error} />
      {!data && !error && <p className="muted">Loading…</p>}
      {data && (
        <>
          <section aria-labelledby="learn-playbooks-title">
            <h2 id="learn-playbooks-title">Playbooks</h2>
            {data.playbooks.length === 0 ? (
              <p className="muted">No playbooks yet: they arrive with your vendors’ packs.</p>
            ) : (
              <ul className="learn-cards" aria-label="Playbooks">
                {data.playbooks.map((p) => (
                  <PlaybookItem key={p.id} card={p} onOpen={() => onOpenPlaybook(p.id)} />
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="learn-training-title">
            <h2 id="learn-training-title">Training</h2>
            {data.modules.length === 0 ? (
              <p className="muted">No training modules yet: they arrive with your vendors’ packs.</p>
            ) : (
              <ul className="learn-cards" aria-label="Training modules">
                {data.modules.map((m) => (
                  <ModuleItem key={m.id} card={m} onOpen={() => onOpenTraining(m.id)} />
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="learn-certs-title">
            <h2 id="learn-certs-title">Certifications held</h2>
            {data.certifications.length === 0 ? (
              <p className="muted">None yet. Pass a training module to earn one.</p>
            ) : (
              <ul className="learn-certs" aria-label="Certifications held">
                {data.certifications.map((c) => (
                  <HeldItem key={`${c.brand}/${c.id}`} cert={c} brandName={brandName(c.brand)} earned={data.earned.find((e) => e.certification === c.id && e.brand === c.brand)} />
                ))}
              </ul>
            )}
            <p className="muted" data-testid="install-key">
              Completion records from this computer are signed with install key <code>{data.installKey.fingerprint}</code>. Give it to your vendor or distributor so they can check your certificates with <code>lockup completion verify --key</code>.
            </p>
          </section>
        </>
      )}
    </main>
  );
}
