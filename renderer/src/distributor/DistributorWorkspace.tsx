import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { WorkspaceView } from '../../../core/contracts/distributor-api.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { InsightsPanel } from '../insights/InsightsPanel.tsx';
import { MdfReviewPanel } from '../mdf/MdfReviewPanel.tsx';
import { IdentityPanel } from './IdentityPanel.tsx';
import { PartnerCredentialsPanel } from './PartnerCredentialsPanel.tsx';
import { ProductsPanel } from './ProductsPanel.tsx';
import { PublishDerivedPanel } from './PublishDerivedPanel.tsx';
import { SheetsPanel } from './SheetsPanel.tsx';
import { SourcesPanel } from './SourcesPanel.tsx';
import '../vendor/vendor.css';
import './distributor.css';

export type DistributorTab = 'identity' | 'vendors' | 'products' | 'sheets' | 'publish' | 'credentials' | 'mdf' | 'insights';
const TABS: { id: DistributorTab; label: string }[] = [
  { id: 'identity', label: 'Identity' },
  { id: 'vendors', label: 'Vendors' },
  { id: 'products', label: 'Your products' },
  { id: 'sheets', label: 'Sheets' },
  { id: 'publish', label: 'Publish' },
  { id: 'credentials', label: 'Partner credentials' },
  { id: 'mdf', label: 'MDF review' },
  { id: 'insights', label: 'Insights' },
];

/**
 * The distributor's workspace (issue #5, docs/decisions/0021): the
 * distributor's key and profile, the vendors' packs it is authorised for,
 * its own products, the sheets it builds from the vendors' templates, the
 * derived packs it publishes and the partner credentials it issues. Every
 * operation returns the whole workspace, so each panel shows what the
 * backend stored.
 */
export function DistributorWorkspace() {
  const { api } = useApp();
  const [ws, setWs] = useState<WorkspaceView>();
  const [tab, setTab] = useState<DistributorTab>('identity');
  const [loadError, setLoadError] = useState<string>();
  const tabRefs = useRef<Partial<Record<DistributorTab, HTMLButtonElement | null>>>({});

  const reload = useCallback(() => {
    call(api, 'distributor:workspace', {})
      .then(setWs)
      .catch((err) => setLoadError(describe(err).title));
  }, [api]);
  useEffect(reload, [reload]);

  const onTabKey = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const to = e.key === 'ArrowRight' ? (i + 1) % TABS.length : e.key === 'ArrowLeft' ? (i + TABS.length - 1) % TABS.length : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    setTab(TABS[to]!.id);
    tabRefs.current[TABS[to]!.id]?.focus();
  };

  if (loadError) {
    return (
      <main className="vendor distributor">
        <h1>Distributor workspace</h1>
        <p className="error" role="alert">
          {loadError}
        </p>
      </main>
    );
  }
  if (!ws) return <main className="vendor distributor muted">Opening the distributor workspace…</main>;

  const needsKey = ws.key === null;
  return (
    <main className="vendor distributor">
      <header className="vendor-head">
        <div>
          <p className="eyebrow">Distributor workspace</p>
          <h1>{ws.profile?.name ?? ws.key?.publisher.name ?? 'Set up your distributor workspace'}</h1>
        </div>
        {ws.key && (
          <p className="muted small">
            {ws.sources.length} {ws.sources.length === 1 ? 'vendor' : 'vendors'} · {ws.ownProducts.length} of your own {ws.ownProducts.length === 1 ? 'product' : 'products'}
          </p>
        )}
      </header>
      {needsKey ? (
        <IdentityPanel ws={ws} onChanged={setWs} reload={reload} />
      ) : (
        <>
          <div className="tabs" role="tablist" aria-label="Distributor workspace" onKeyDown={onTabKey}>
            {TABS.map((t) => (
              <button
                key={t.id}
                ref={(el) => {
                  tabRefs.current[t.id] = el;
                }}
                type="button"
                role="tab"
                id={`dtab-${t.id}`}
                aria-selected={tab === t.id}
                aria-controls={`dpanel-${t.id}`}
                tabIndex={tab === t.id ? 0 : -1}
                onClick={() => setTab(t.id)}
              >
                {t.label}
              </button>
            ))}
          </div>
          <div className="tab-panel" role="tabpanel" id={`dpanel-${tab}`} aria-labelledby={`dtab-${tab}`}>
            {tab === 'identity' ? (
              <IdentityPanel ws={ws} onChanged={setWs} reload={reload} />
            ) : tab === 'vendors' ? (
              <SourcesPanel ws={ws} onChanged={setWs} />
            ) : tab === 'products' ? (
              <ProductsPanel ws={ws} onChanged={setWs} />
            ) : tab === 'sheets' ? (
              <SheetsPanel ws={ws} onChanged={setWs} />
            ) : tab === 'publish' ? (
              <PublishDerivedPanel ws={ws} reload={reload} />
            ) : tab === 'insights' ? (
              <InsightsPanel scope="distributor" />
            ) : tab === 'mdf' ? (
              <MdfReviewPanel />
            ) : (
              <PartnerCredentialsPanel ws={ws} />
            )}
          </div>
        </>
      )}
    </main>
  );
}
