import { useId, useState } from 'react';
import { call } from '../api/client.ts';
import { useApp } from '../app/context.ts';
import { ExportAction } from '../learn/ExportAction.tsx';
import { Dashboard } from './Dashboard.tsx';
import { plural } from './format.ts';
import { ImportReports, ImportsList } from './ImportReports.tsx';
import './insights.css';

/**
 * The Insights tab (issue #8). The vendor imports its distributors'
 * aggregates (and reports of partners it serves directly) and sees the
 * dashboard across its channel; a distributor imports its partners' reports,
 * sees the same dashboard over its own partners, and exports the signed
 * aggregate the vendor imports.
 */
export function InsightsPanel({ scope }: { scope: 'vendor' | 'distributor' }) {
  const { api } = useApp();
  const [refresh, setRefresh] = useState(0);
  const importsId = useId();
  const [aggregate, setAggregate] = useState<{ events: number; partners: number }>();
  const bump = () => setRefresh((n) => n + 1);
  return (
    <div className="insights" data-testid={`insights-${scope}`}>
      <div className="insight-top">
        <section className="insight-card" aria-labelledby={importsId}>
          <h2 id={importsId}>Import reports</h2>
          <ImportReports
            label={scope === 'vendor' ? 'Distributor aggregates or partner reports (.lockup-activity)' : 'Partner activity reports (.lockup-activity)'}
            hint={scope === 'vendor' ? 'Each file is checked against its signature; events already counted (from another copy or an older aggregate) are not counted twice.' : 'Partners export these from Lockup. Each file is checked against its signature; a report imported twice is counted once.'}
            onImported={bump}
          />
          <h3>Imported so far</h3>
          <ImportsList refresh={refresh} />
        </section>
        {scope === 'distributor' && (
          <section className="insight-card" aria-label="Aggregate for the vendor">
            <h2>Aggregate for the vendor</h2>
            <p className="muted small">One signed file with every partner report imported here and your own MDF decisions. Send it to the vendor.</p>
            <ExportAction label="Export aggregate for the vendor" what="aggregate" mediaType="application/octet-stream" testId="aggregate-export" run={async () => {
                const written = await call(api, 'insights:aggregate-export', { path: null });
                setAggregate(written);
                return written;
              }}
            />
            {aggregate && (
              <p className="muted small" data-testid="aggregate-counts">
                It carries {plural(aggregate.events, 'event')} from {plural(aggregate.partners, 'partner')}.
              </p>
            )}
          </section>
        )}
      </div>
      <Dashboard refresh={refresh} scope={scope} />
    </div>
  );
}
