import { useEffect, useState } from 'react';
import type { TemplateCard } from '../../../core/contracts/api.ts';
import type { ModuleCard } from '../../../core/contracts/learning-api.ts';
import { call } from '../api/client.ts';
import { useApp } from '../app/context.ts';
import './learn.css';

/**
 * For the gallery: "Complete <module> to unlock <templates>" for each
 * module not yet passed whose certification would open templates the
 * partner cannot use now. Quiet when there is nothing to say, or when the
 * overview cannot be read (the gallery does not depend on it).
 */
export function LearnNotice({ cards, onOpenTraining }: { cards: readonly TemplateCard[] | undefined; onOpenTraining: (moduleId: string) => void }) {
  const { api } = useApp();
  const [modules, setModules] = useState<ModuleCard[]>();
  useEffect(() => {
    let alive = true;
    call(api, 'learning:overview', {})
      .then((o) => alive && setModules(o.modules))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [api, cards]);

  const locked = new Map((cards ?? []).filter((c) => !c.available).map((c) => [c.id, c.name]));
  const offers = (modules ?? []).flatMap((m) => {
    if (m.status.state === 'passed' || m.status.state === 'exhausted') return [];
    const opens = m.grants.unlocks.templates.filter((t) => locked.has(t.id)).map((t) => locked.get(t.id)!);
    return opens.length > 0 ? [{ module: m, opens }] : [];
  });
  if (offers.length === 0) return null;
  return (
    <aside className="learn-notice" aria-label="Training that unlocks templates">
      <ul>
        {offers.map(({ module, opens }) => (
          <li key={module.id}>
            Complete{' '}
            <button type="button" className="link" onClick={() => onOpenTraining(module.id)}>
              {module.title}
            </button>{' '}
            to unlock {opens.join(', ')}
          </li>
        ))}
      </ul>
    </aside>
  );
}
