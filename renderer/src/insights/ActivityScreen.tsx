import { useEffect, useState } from 'react';
import type { EventKind } from '../../../core/contracts/insights-api.ts';
import type { OpOutput } from '../../../core/contracts/api.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { ExportAction } from '../learn/ExportAction.tsx';
import { clock } from '../learn/format.ts';
import { count, plural } from './format.ts';
import './insights.css';

const KIND_LABELS: Record<EventKind, string> = {
  'template-open': 'Templates opened',
  export: 'Exports',
  'playbook-step': 'Playbook steps done',
  'playbook-export': 'Playbook exports',
  'quiz-result': 'Quiz results',
  'mdf-request': 'MDF requests',
  'mdf-decision': 'MDF decisions',
};
const KIND_SHORT: Record<EventKind, string> = {
  'template-open': 'Opened template',
  export: 'Export',
  'playbook-step': 'Playbook step',
  'playbook-export': 'Playbook export',
  'quiz-result': 'Quiz result',
  'mdf-request': 'MDF request',
  'mdf-decision': 'MDF decision',
};
const label = (kind: string) => KIND_LABELS[kind as EventKind] ?? kind;

/**
 * The partner's own activity ledger (issue #8): what it holds, as the
 * activity report will carry it, and the export of that signed report for
 * the distributor (or the vendor, for a partner it serves directly).
 */
export function ActivityScreen({ onBack }: { onBack: () => void }) {
  const { api } = useApp();
  const [activity, setActivity] = useState<OpOutput<'insights:activity'>>();
  const [error, setError] = useState<ReturnType<typeof describe>>();
  const [exported, setExported] = useState<number>();
  const [reload, setReload] = useState(0);

  useEffect(() => {
    call(api, 'insights:activity', {})
      .then((a) => {
        setActivity(a);
        setError(undefined);
      })
      .catch((err) => setError(describe(err)));
  }, [api, reload]);

  const kinds = activity ? Object.entries(activity.counts).filter(([, n]) => n > 0) : [];
  return (
    <main className="insights activity-screen">
      <header className="insight-head">
        <div>
          <p className="eyebrow">Your activity</p>
          <h1>Activity</h1>
          <p className="lead">What Lockup recorded on this computer: templates you opened and exported, playbook steps, quiz results and MDF requests. Nothing leaves it until you export the report and send it.</p>
        </div>
        <div className="head-actions">
          <button type="button" onClick={onBack}>
            Back to templates
          </button>
        </div>
      </header>
      <ErrorBox error={error} />
      {!activity && !error && <p className="muted">Reading the activity ledger…</p>}
      {activity && (
        <div className="activity-layout">
          <section className="insight-card" aria-label="Activity report">
            <h2>Activity report</h2>
            <p data-testid="activity-total">{activity.total === 0 ? 'Nothing recorded yet.' : `${plural(activity.total, 'event')} recorded.`}</p>
            <p className="muted small">A signed file your distributor (or the vendor) imports to see how its partners use the templates, playbooks and training. It holds the events listed here, nothing else.</p>
            <ExportAction
              label="Export activity report"
              what="report"
              mediaType="application/octet-stream"
              testId="activity-export"
              run={async () => {
                const written = await call(api, 'insights:report-export', { path: null });
                setExported(written.events);
                setReload((n) => n + 1);
                return written;
              }}
            />
            {exported !== undefined && (
              <p className="muted small" data-testid="activity-exported-events">
                The report carries {plural(exported, 'event')}.
              </p>
            )}
          </section>
          <section className="insight-card" aria-label="Recorded activity">
            <h2>By kind</h2>
            {kinds.length === 0 ? (
              <p className="muted">Open a template, export a PDF or read a playbook, and it shows here.</p>
            ) : (
              <ul className="activity-counts" aria-label="Events by kind">
                {kinds.map(([kind, n]) => (
                  <li key={kind} data-kind={kind}>
                    <span className="kpi-value">{count(n)}</span>
                    <span className="kpi-label">{label(kind)}</span>
                  </li>
                ))}
              </ul>
            )}
            {activity.latest.length > 0 && (
              <>
                <h2>Latest</h2>
                <div className="table-scroll">
                  <table className="insight-table" aria-label="Latest activity">
                    <thead>
                      <tr>
                        <th scope="col">When</th>
                        <th scope="col">What</th>
                        <th scope="col">Details</th>
                      </tr>
                    </thead>
                    <tbody>
                      {activity.latest.map((e) => (
                        <tr key={e.seq}>
                          <td>
                            <time dateTime={e.at}>{clock(e.at)}</time>
                          </td>
                          <td>{KIND_SHORT[e.kind] ?? e.kind}</td>
                          <td>{e.summary || e.subject}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </section>
        </div>
      )}
    </main>
  );
}
