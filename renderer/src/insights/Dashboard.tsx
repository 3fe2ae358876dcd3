import { useEffect, useId, useState, type ReactNode } from 'react';
import './insights.css';
import type { Dashboard as DashboardData, DashboardFilters, DashboardTable } from '../../../core/contracts/insights-api.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { ExportAction } from '../learn/ExportAction.tsx';
import { BarChart, ColumnChart, StackedBarChart, type StackPart } from './charts.tsx';
import { count, duration, money, monthLabel, monthRange, percent } from './format.ts';

const NO_FILTERS: DashboardFilters = { from: null, to: null, tier: null, region: null };

const MDF_PARTS: StackPart[] = [
  { name: 'approved', className: 'part-approved' },
  { name: 'vetoed', className: 'part-vetoed' },
  { name: 'rejected', className: 'part-rejected' },
  { name: 'pending', className: 'part-pending' },
];
const ACTIVITY_PARTS: StackPart[] = [
  { name: 'approved', className: 'part-approved' },
  { name: 'vetoed', className: 'part-vetoed' },
  { name: 'rejected or pending', className: 'part-pending' },
];
const TRAINING_PARTS: StackPart[] = [
  { name: 'passed', className: 'part-approved' },
  { name: 'attempted only', className: 'part-rejected' },
  { name: 'not attempted', className: 'part-none', light: true },
];

/** "Export CSV" for one table, with the filters on screen; then Show in folder / Download. */
function CsvExport({ table, filters }: { table: DashboardTable; filters: DashboardFilters }) {
  const { api } = useApp();
  return <ExportAction label="Export CSV" what="CSV" mediaType="text/csv" testId={`csv-${table}`} run={() => call(api, 'insights:csv', { table, filters, path: null })} />;
}

/** A dashboard section: heading, chart(s), the table with every number, and its CSV export. */
function Section({ title, table, filters, wide, charts, children, empty }: { title: string; table: DashboardTable; filters: DashboardFilters; wide?: boolean; charts: ReactNode; children: ReactNode; empty: boolean }) {
  const id = useId();
  return (
    <section className={`insight-section${wide ? ' wide' : ''}`} aria-labelledby={id} data-testid={`section-${table}`}>
      <div className="insight-section-head">
        <h2 id={id}>{title}</h2>
        <CsvExport table={table} filters={filters} />
      </div>
      {charts}
      {empty ? (
        <p className="muted insight-none" data-testid={`empty-${table}`}>
          Nothing matches these filters.
        </p>
      ) : (
        <div className="table-scroll">{children}</div>
      )}
    </section>
  );
}

function Th({ children, num }: { children: ReactNode; num?: boolean }) {
  return (
    <th scope="col" className={num ? 'num' : undefined}>
      {children}
    </th>
  );
}

/** A label and its select, linked by id (a wrapping label would add the options' text to the name). */
function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="insight-field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

function Filters({ data, filters, onChange }: { data: DashboardData; filters: DashboardFilters; onChange: (f: DashboardFilters) => void }) {
  const set = (patch: Partial<DashboardFilters>) => onChange({ ...filters, ...patch });
  const months = data.options.months;
  const changed = filters.from !== null || filters.to !== null || filters.tier !== null || filters.region !== null;
  return (
    <form className="insight-filters" aria-label="Dashboard filters" onSubmit={(e) => e.preventDefault()}>
      <Field label="From month">
        {(id) => (
          <select id={id} value={filters.from ?? ''} onChange={(e) => set({ from: e.target.value || null })}>
            <option value="">Earliest</option>
            {months.map((m) => (
              <option key={m} value={m} disabled={filters.to !== null && m > filters.to}>
                {monthLabel(m)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="To month">
        {(id) => (
          <select id={id} value={filters.to ?? ''} onChange={(e) => set({ to: e.target.value || null })}>
            <option value="">Latest</option>
            {months.map((m) => (
              <option key={m} value={m} disabled={filters.from !== null && m < filters.from}>
                {monthLabel(m)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Tier">
        {(id) => (
          <select id={id} value={filters.tier ?? ''} onChange={(e) => set({ tier: e.target.value || null })}>
            <option value="">All tiers</option>
            {data.options.tiers.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Region">
        {(id) => (
          <select id={id} value={filters.region ?? ''} onChange={(e) => set({ region: e.target.value || null })}>
            <option value="">All regions</option>
            {data.options.regions.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="button" onClick={() => onChange(NO_FILTERS)} disabled={!changed}>
        Reset filters
      </button>
    </form>
  );
}

function Kpis({ data }: { data: DashboardData }) {
  const t = data.totals;
  const m = (n: number) => money(n, data.currency);
  const tiles: { id: string; label: string; value: string; note?: string }[] = [
    { id: 'partners', label: 'Partners', value: count(t.partners) },
    { id: 'active-partners', label: 'Active partners', value: count(t.activePartners), note: t.partners > 0 ? `${percent(t.activePartners / t.partners)} of partners` : undefined },
    { id: 'exports', label: 'Exports', value: count(t.exports) },
    { id: 'training-passed', label: 'Training passed', value: count(t.trainingPassed) },
    { id: 'mdf-requested', label: 'MDF requested', value: m(t.mdfRequested) },
    { id: 'mdf-approved', label: 'MDF approved', value: m(t.mdfApproved), note: t.mdfRequested > 0 ? `${percent(t.mdfApproved / t.mdfRequested)} of requested` : undefined },
    { id: 'pipeline', label: 'Pipeline', value: m(t.pipeline), note: 'expected, from MDF requests' },
  ];
  return (
    <ul className="kpis" aria-label="Key figures">
      {tiles.map((k) => (
        <li key={k.id} className="kpi" data-testid={`kpi-${k.id}`} aria-label={`${k.label}: ${k.value}`}>
          <span className="kpi-label">{k.label}</span>
          <span className="kpi-value">{k.value}</span>
          {k.note && <span className="kpi-note muted small">{k.note}</span>}
        </li>
      ))}
    </ul>
  );
}

function Timings({ timings }: { timings: Record<string, number> }) {
  const entries = Object.entries(timings);
  if (entries.length === 0) return null;
  const total = entries.reduce((a, [, ms]) => a + ms, 0);
  const slowest = entries.reduce((a, b) => (b[1] > a[1] ? b : a));
  return (
    <p className="insight-timings muted small" data-testid="insight-timings" title={entries.map(([k, ms]) => `${k}: ${duration(ms)}`).join('\n')}>
      Queried in {duration(total)} ({entries.length} queries; slowest {slowest[0]}, {duration(slowest[1])}).
    </p>
  );
}

/**
 * The insights dashboard over what this catalogue imported (issue #8): the
 * vendor's over its distributors' aggregates, a distributor's over its
 * partners' reports. `refresh` changes when an import added data.
 */
export function Dashboard({ refresh = 0, scope }: { refresh?: number; scope: 'vendor' | 'distributor' }) {
  const { api } = useApp();
  const [filters, setFilters] = useState<DashboardFilters>(NO_FILTERS);
  const [data, setData] = useState<DashboardData>();
  const [error, setError] = useState<ReturnType<typeof describe>>();
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let alive = true;
    setLoading(true);
    call(api, 'insights:dashboard', { filters })
      .then((d) => {
        if (!alive) return;
        setData(d);
        setError(undefined);
      })
      .catch((err) => alive && setError(describe(err)))
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
  }, [api, filters, refresh]);

  if (!data) {
    return (
      <div className="insight-dashboard">
        <ErrorBox error={error} />
        {!error && <p className="muted">Loading the dashboard…</p>}
      </div>
    );
  }

  const m = (n: number) => money(n, data.currency);
  const nothingImported = data.options.months.length === 0 && data.totals.events === 0 && !Object.values(filters).some((v) => v !== null);
  if (nothingImported) {
    return (
      <div className="insight-dashboard">
        <div className="insight-empty" data-testid="insights-empty">
          <h2>No activity yet</h2>
          <p>
            Import reports to see engagement, training and MDF across your channel.{' '}
            {scope === 'vendor' ? 'Distributors send their aggregate; partners reporting to you directly send their activity report.' : 'Each partner exports an activity report from Lockup (Templates → Activity) and sends it to you.'}
          </p>
        </div>
      </div>
    );
  }

  // The charts run over every month between the first and the last with data (a month without any is a zero, not a gap).
  const byMonth = new Map(data.monthly.map((r) => [r.month, r]));
  const monthly = (data.monthly.length ? monthRange(data.monthly[0]!.month, data.monthly[data.monthly.length - 1]!.month) : []).map((month) => ({
    ...(byMonth.get(month) ?? { month, activePartners: 0, exports: 0, trainingPassed: 0, mdfRequested: 0 }),
    label: monthLabel(month, 'short'),
  }));
  return (
    <div className="insight-dashboard" aria-busy={loading}>
      <Filters data={data} filters={filters} onChange={setFilters} />
      <ErrorBox error={error} />
      <Kpis data={data} />
      {data.totals.events === 0 && (
        <p className="notice" role="status">
          No activity matches these filters.
        </p>
      )}
      <div className="insight-grid">
        <Section
          title="Engagement by distributor"
          table="engagement"
          filters={filters}
          wide
          empty={data.engagement.length === 0}
          charts={
            <div className="chart-row">
              <BarChart title="Active partners" rows={data.engagement.map((r) => ({ label: r.distributor.name, value: r.activePartners }))} format={count} tone={1} />
              <BarChart title="Exports" rows={data.engagement.map((r) => ({ label: r.distributor.name, value: r.exports }))} format={count} tone={2} />
              <BarChart title="Training completion" rows={data.engagement.map((r) => ({ label: r.distributor.name, value: r.completionRate }))} format={percent} tone={3} domain={1} />
            </div>
          }
        >
          <table className="insight-table" aria-label="Engagement by distributor">
            <thead>
              <tr>
                <Th>Distributor</Th>
                <Th num>Partners</Th>
                <Th num>Active partners</Th>
                <Th num>Exports</Th>
                <Th num>Training passed</Th>
                <Th num>Completion</Th>
              </tr>
            </thead>
            <tbody>
              {data.engagement.map((r) => (
                <tr key={r.distributor.id} data-distributor={r.distributor.id}>
                  <th scope="row">{r.distributor.name}</th>
                  <td className="num">{count(r.partners)}</td>
                  <td className="num">{count(r.activePartners)}</td>
                  <td className="num">{count(r.exports)}</td>
                  <td className="num">{count(r.trainingPassed)}</td>
                  <td className="num">{percent(r.completionRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>

        <Section title="Top templates" table="top-templates" filters={filters} empty={data.topTemplates.length === 0} charts={<BarChart title="Exports per template" rows={data.topTemplates.map((r) => ({ label: r.template.name, value: r.exports }))} format={count} tone={2} />}>
          <table className="insight-table" aria-label="Top templates">
            <thead>
              <tr>
                <Th>Template</Th>
                <Th num>Exports</Th>
                <Th num>Opens</Th>
              </tr>
            </thead>
            <tbody>
              {data.topTemplates.map((r) => (
                <tr key={r.template.id}>
                  <th scope="row">{r.template.name}</th>
                  <td className="num">{count(r.exports)}</td>
                  <td className="num">{count(r.opens)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>

        <Section title="Top playbooks" table="top-playbooks" filters={filters} empty={data.topPlaybooks.length === 0} charts={<BarChart title="Playbook steps done" rows={data.topPlaybooks.map((r) => ({ label: r.playbook.name, value: r.steps }))} format={count} tone={4} />}>
          <table className="insight-table" aria-label="Top playbooks">
            <thead>
              <tr>
                <Th>Playbook</Th>
                <Th num>Steps done</Th>
                <Th num>Exports</Th>
              </tr>
            </thead>
            <tbody>
              {data.topPlaybooks.map((r) => (
                <tr key={r.playbook.id}>
                  <th scope="row">{r.playbook.name}</th>
                  <td className="num">{count(r.steps)}</td>
                  <td className="num">{count(r.exports)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>

        <Section
          title="Training completion by tier"
          table="training-by-tier"
          filters={filters}
          empty={data.trainingByTier.length === 0}
          charts={
            <StackedBarChart
              title="Partners per tier by training"
              parts={TRAINING_PARTS}
              scale="whole"
              rows={data.trainingByTier.map((r) => ({ label: r.tier.name, values: [r.passed, Math.max(0, r.attempted - r.passed), Math.max(0, r.partners - r.attempted)] }))}
              format={count}
              end={(v) => `${percent(v[0]! / Math.max(1, v[0]! + v[1]! + v[2]!))} passed`}
            />
          }
        >
          <table className="insight-table" aria-label="Training completion by tier">
            <thead>
              <tr>
                <Th>Tier</Th>
                <Th num>Partners</Th>
                <Th num>Attempted</Th>
                <Th num>Passed</Th>
                <Th num>Completion</Th>
              </tr>
            </thead>
            <tbody>
              {data.trainingByTier.map((r) => (
                <tr key={r.tier.id}>
                  <th scope="row">{r.tier.name}</th>
                  <td className="num">{count(r.partners)}</td>
                  <td className="num">{count(r.attempted)}</td>
                  <td className="num">{count(r.passed)}</td>
                  <td className="num">{percent(r.rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>

        <Section
          title="MDF by activity type"
          table="mdf-by-activity"
          filters={filters}
          empty={data.mdfByActivity.length === 0}
          charts={<StackedBarChart title="Requests per activity type" parts={ACTIVITY_PARTS} rows={data.mdfByActivity.map((r) => ({ label: r.activity.name, values: [r.approved, r.vetoed, Math.max(0, r.requests - r.approved - r.vetoed)] }))} format={count} />}
        >
          <table className="insight-table" aria-label="MDF by activity type">
            <thead>
              <tr>
                <Th>Activity type</Th>
                <Th num>Requests</Th>
                <Th num>Requested</Th>
                <Th num>Approved</Th>
                <Th num>Vetoed</Th>
                <Th num>Approved amount</Th>
                <Th num>Pipeline</Th>
              </tr>
            </thead>
            <tbody>
              {data.mdfByActivity.map((r) => (
                <tr key={r.activity.id}>
                  <th scope="row">{r.activity.name}</th>
                  <td className="num">{count(r.requests)}</td>
                  <td className="num">{m(r.requested)}</td>
                  <td className="num">{count(r.approved)}</td>
                  <td className="num">{count(r.vetoed)}</td>
                  <td className="num">{m(r.approvedAmount)}</td>
                  <td className="num">{m(r.pipeline)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>

        <Section
          title="MDF by distributor"
          table="mdf-by-distributor"
          filters={filters}
          wide
          empty={data.mdfByDistributor.length === 0}
          charts={
            <div className="chart-row two">
              <StackedBarChart title="Requests by outcome" parts={MDF_PARTS} rows={data.mdfByDistributor.map((r) => ({ label: r.distributor.name, values: [r.approved, r.vetoed, r.rejected, r.pending] }))} format={count} />
              <StackedBarChart
                title="Pipeline from MDF requests"
                parts={[
                  { name: 'from approved requests', className: 'part-approved' },
                  { name: 'other requests', className: 'part-pending' },
                ]}
                rows={data.mdfByDistributor.map((r) => ({ label: r.distributor.name, values: [r.approvedPipeline, Math.max(0, r.pipeline - r.approvedPipeline)] }))}
                format={m}
              />
            </div>
          }
        >
          <table className="insight-table" aria-label="MDF by distributor">
            <thead>
              <tr>
                <Th>Distributor</Th>
                <Th num>Requests</Th>
                <Th num>Requested</Th>
                <Th num>Approved</Th>
                <Th num>Vetoed</Th>
                <Th num>Rejected</Th>
                <Th num>Pending</Th>
                <Th num>Approved amount</Th>
                <Th num>Pipeline</Th>
                <Th num>Approved pipeline</Th>
              </tr>
            </thead>
            <tbody>
              {data.mdfByDistributor.map((r) => (
                <tr key={r.distributor.id}>
                  <th scope="row">{r.distributor.name}</th>
                  <td className="num">{count(r.requests)}</td>
                  <td className="num">{m(r.requested)}</td>
                  <td className="num">{count(r.approved)}</td>
                  <td className="num">{count(r.vetoed)}</td>
                  <td className="num">{count(r.rejected)}</td>
                  <td className="num">{count(r.pending)}</td>
                  <td className="num">{m(r.approvedAmount)}</td>
                  <td className="num">{m(r.pipeline)}</td>
                  <td className="num">{m(r.approvedPipeline)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>

        <Section
          title="Monthly trend"
          table="monthly"
          filters={filters}
          wide
          empty={data.monthly.length === 0}
          charts={
            <div className="chart-row two">
              <ColumnChart title="Active partners per month" points={monthly.map((r) => ({ label: r.label, value: r.activePartners }))} format={count} tone={1} />
              <ColumnChart title="Exports per month" points={monthly.map((r) => ({ label: r.label, value: r.exports }))} format={count} tone={2} />
              <ColumnChart title="Training passed per month" points={monthly.map((r) => ({ label: r.label, value: r.trainingPassed }))} format={count} tone={3} />
              <ColumnChart title="MDF requested per month" points={monthly.map((r) => ({ label: r.label, value: r.mdfRequested }))} format={m} tone={4} />
            </div>
          }
        >
          <table className="insight-table" aria-label="Monthly trend">
            <thead>
              <tr>
                <Th>Month</Th>
                <Th num>Active partners</Th>
                <Th num>Exports</Th>
                <Th num>Training passed</Th>
                <Th num>MDF requested</Th>
              </tr>
            </thead>
            <tbody>
              {data.monthly.map((r) => (
                <tr key={r.month}>
                  <th scope="row">{monthLabel(r.month)}</th>
                  <td className="num">{count(r.activePartners)}</td>
                  <td className="num">{count(r.exports)}</td>
                  <td className="num">{count(r.trainingPassed)}</td>
                  <td className="num">{m(r.mdfRequested)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      </div>
      <Timings timings={data.timings} />
    </div>
  );
}
