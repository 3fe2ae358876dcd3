import { useCallback, useEffect, useState } from 'react';
import type { OpOutput } from '../../../core/contracts/api.ts';
import type { QueueItem } from '../../../core/contracts/mdf-api.ts';
import { partnerShareOf } from '../../../core/mdf/model.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { fileToBase64 } from '../app/files.ts';
import { dateRange, dateText, formatMoney, KIND_TEXT, pct, QUEUE_STATUS_TEXT, REQUEST_STATUS_TEXT, sizeText, VERDICT_DONE, when } from './format.ts';
import { Badge, BreachList, QuarterBar, verdictTone, WrittenFile, type Written } from './shared.tsx';
import './mdf.css';

type Decision = 'approved' | 'rejected' | 'changes-requested';
type Decided = OpOutput<'mdf:decide'>;

const statusTone = (s: QueueItem['status']) => (s === 'approved' ? 'good' : s === 'auto-vetoed' || s === 'rejected' ? 'bad' : 'warn');

function QueueBadge({ item }: { item: QueueItem }) {
  return <Badge text={QUEUE_STATUS_TEXT[item.status]} tone={statusTone(item.status)} testId="mdf-queue-status" />;
}

/** The whole request as the partner filled it in, what the rules said, and (while it waits) the reviewer's decision. */
function Detail({ item, onDecided }: { item: QueueItem; onDecided: (d: Decided) => void }) {
  const { api } = useApp();
  const r = item.request;
  const money = (c: number) => formatMoney(c, item.currency);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<Decision>();
  const [error, setError] = useState<ReturnType<typeof describe>>();
  const [written, setWritten] = useState<Written>();
  const waiting = item.status === 'awaiting-review';
  const noReason = reason.trim() === '';

  const decide = async (decision: Decision) => {
    setBusy(decision);
    setError(undefined);
    try {
      const d = await call(api, 'mdf:decide', { request: r.id, decision, reason: reason.trim(), path: null });
      setWritten(d.file);
      setReason('');
      onDecided(d);
    } catch (err) {
      const x = describe(err);
      if (x.code !== 'cancelled') setError(x);
    } finally {
      setBusy(undefined);
    }
  };

  const brokenAttachments = item.attachments.filter((a) => !a.ok).length;
  const decisionFile: Written | undefined = written ?? (item.decision ? { path: item.decision.file, fileName: item.decision.file.split(/[\\/]/).pop() ?? item.decision.file } : undefined);

  return (
    <section className="dist-card mdf-detail" aria-labelledby="mdf-detail-title" data-testid="mdf-detail">
      <div className="mdf-request-head">
        <h3 id="mdf-detail-title">{r.title}</h3>
        <QueueBadge item={item} />
      </div>
      <p className="muted small">
        From {r.partner.name}
        {r.partner.tier ? ` (${r.partner.tier})` : ''} · {item.programName} · signed by install key <span className="mono">{item.signedBy}</span> · imported {when(item.importedAt)}
      </p>
      <dl className="dist-facts">
        <dt>Activity</dt>
        <dd>{item.activityName}</dd>
        <dt>Dates</dt>
        <dd>{dateRange(r.startDate, r.endDate)}</dd>
        <dt>Budget requested</dt>
        <dd>{money(r.budgetRequested)}</dd>
        <dt>Total cost</dt>
        <dd>
          {money(r.totalCost)} <span className="muted">(partner’s share {pct(partnerShareOf(r))})</span>
        </dd>
        <dt>Expected leads</dt>
        <dd>{r.expectedLeads}</dd>
        <dt>Expected pipeline</dt>
        <dd>{money(r.expectedPipeline)}</dd>
        <dt>Audience</dt>
        <dd className="mdf-prose">{r.audience}</dd>
        <dt>Description</dt>
        <dd className="mdf-prose">{r.description}</dd>
        <dt>Submitted on</dt>
        <dd>{dateText(r.submittedOn)}</dd>
      </dl>

      <h4>Attachments</h4>
      {item.attachments.length === 0 ? (
        <p className="muted small">None.</p>
      ) : (
        <ul className="mdf-attached" aria-label="Attachments in the packet">
          {item.attachments.map((a) => (
            <li key={a.name}>
              <span>
                <strong>{a.name}</strong> <span className="muted small">· {KIND_TEXT[a.kind]} · {sizeText(a.size)}</span>
              </span>
              <span className={a.ok ? 'ok small' : 'error small'}>{a.ok ? '✓ Hash matches' : '✗ Missing or changed'}</span>
            </li>
          ))}
        </ul>
      )}
      {brokenAttachments > 0 && (
        <p className="error small" role="note">
          {brokenAttachments === 1 ? 'One attachment does not match' : `${brokenAttachments} attachments do not match`} the hash the partner signed.
        </p>
      )}

      <h4>Rules check on import</h4>
      <p className={`mdf-verdict ${verdictTone(item.evaluation.verdict)}`}>{VERDICT_DONE[item.evaluation.verdict]}</p>
      {item.evaluation.breaches.length === 0 ? <p className="muted small">No rule broken.</p> : <BreachList breaches={item.evaluation.breaches} currency={item.currency} />}
      <QuarterBar quarter={item.evaluation.quarter} thisRequest={r.budgetRequested} currency={item.currency} />

      {item.decision && (
        <>
          <h4>Decision</h4>
          <p data-testid="mdf-queue-decision">
            {REQUEST_STATUS_TEXT[item.decision.decision]} on {when(item.decision.decidedAt)}
            {item.decision.reason ? (
              <>
                : <q>{item.decision.reason}</q>
              </>
            ) : (
              '.'
            )}
          </p>
        </>
      )}
      {decisionFile && (
        <>
          <p className="small">Send this signed decision file to the partner:</p>
          <WrittenFile file={decisionFile} what="decision file" testId="mdf-decision-file" />
        </>
      )}

      {waiting && (
        <div className="mdf-decide" role="group" aria-labelledby="mdf-decide-title">
          <h4 id="mdf-decide-title">Your decision</h4>
          <label htmlFor="mdf-reason">Reason</label>
          <textarea id="mdf-reason" rows={3} maxLength={4000} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby="mdf-reason-hint" />
          <p id="mdf-reason-hint" className="muted small">
            {noReason ? 'Required to reject or to ask for changes; optional to approve.' : 'The partner sees this reason with the decision.'}
          </p>
          <div className="row">
            <button type="button" className="primary" onClick={() => void decide('approved')} disabled={busy !== undefined}>
              {busy === 'approved' ? 'Approving…' : 'Approve'}
            </button>
            <button type="button" onClick={() => void decide('rejected')} disabled={busy !== undefined || noReason} aria-describedby="mdf-reason-hint">
              {busy === 'rejected' ? 'Rejecting…' : noReason ? 'Reject (write a reason first)' : 'Reject'}
            </button>
            <button type="button" onClick={() => void decide('changes-requested')} disabled={busy !== undefined || noReason} aria-describedby="mdf-reason-hint">
              {busy === 'changes-requested' ? 'Sending…' : noReason ? 'Ask for changes (write a reason first)' : 'Ask for changes'}
            </button>
          </div>
        </div>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

/**
 * The reviewer's MDF queue (issue #8), in the distributor workspace: request
 * packets are imported (signature, attachments and veto rules checked on
 * the way in), and each request waiting for review is approved, rejected or
 * sent back for changes with a signed decision file for the partner.
 */
export function MdfReviewPanel() {
  const { api } = useApp();
  const [queue, setQueue] = useState<QueueItem[]>();
  const [selected, setSelected] = useState<string>();
  const [loadError, setLoadError] = useState<ReturnType<typeof describe>>();
  const [busy, setBusy] = useState(false);
  const [importError, setImportError] = useState<ReturnType<typeof describe>>();
  const [imported, setImported] = useState<string>();

  const load = useCallback(() => {
    call(api, 'mdf:queue', {})
      .then((q) => {
        setQueue(q);
        setLoadError(undefined);
      })
      .catch((err) => setLoadError(describe(err)));
  }, [api]);
  useEffect(load, [load]);

  const importPacket = async (file: File) => {
    setBusy(true);
    setImportError(undefined);
    setImported(undefined);
    try {
      const item = await call(api, 'mdf:packet-import', { name: file.name, data: await fileToBase64(file) });
      setQueue((q) => [item, ...(q ?? []).filter((x) => x.request.id !== item.request.id)]);
      setSelected(item.request.id);
      setImported(`Imported “${item.request.title}” from ${item.request.partner.name}: ${QUEUE_STATUS_TEXT[item.status]}.`);
      load();
    } catch (err) {
      setImportError(describe(err));
    } finally {
      setBusy(false);
    }
  };

  const item = queue?.find((q) => q.request.id === selected);
  const waiting = queue?.filter((q) => q.status === 'awaiting-review').length ?? 0;

  return (
    <div className="mdf-review">
      <section className="dist-card" aria-labelledby="mdf-queue-title">
        <div className="mdf-panel-head">
          <div>
            <h2 id="mdf-queue-title">MDF review</h2>
            <p className="muted small">Partners send MDF requests as packets (.lockup-mdf). Importing one checks its signature, its attachments and the program’s veto rules.</p>
          </div>
          <div className="mdf-field">
            <label htmlFor="mdf-packet-file">Import request packet</label>
            <input
              id="mdf-packet-file"
              type="file"
              accept=".lockup-mdf"
              disabled={busy}
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void importPacket(file);
              }}
            />
          </div>
        </div>
        {busy && (
          <p role="status" className="muted small">
            Importing…
          </p>
        )}
        {imported && (
          <p role="status" className="ok" data-testid="mdf-packet-imported">
            {imported}
          </p>
        )}
        <ErrorBox error={importError} />
        <ErrorBox error={loadError} />
        {!queue && !loadError && <p className="muted">Loading the queue…</p>}
        {queue && queue.length === 0 && <p className="muted">No requests yet.</p>}
        {queue && queue.length > 0 && (
          <>
            <p className="muted small">
              {queue.length} {queue.length === 1 ? 'request' : 'requests'}, {waiting} waiting for review.
            </p>
            <div className="table-scroll">
              <table className="dist-table mdf-queue" aria-label="MDF requests">
                <thead>
                  <tr>
                    <th scope="col">Partner</th>
                    <th scope="col">Title</th>
                    <th scope="col">Activity</th>
                    <th scope="col">Amount</th>
                    <th scope="col">Starts</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {queue.map((q) => (
                    <tr key={q.request.id} className={q.request.id === selected ? 'selected' : undefined} data-request={q.request.id}>
                      <td>{q.request.partner.name}</td>
                      <td>
                        <button type="button" className="link" onClick={() => setSelected(q.request.id)} aria-pressed={q.request.id === selected}>
                          {q.request.title}
                        </button>
                      </td>
                      <td>{q.activityName}</td>
                      <td>{formatMoney(q.request.budgetRequested, q.currency)}</td>
                      <td>{dateText(q.request.startDate)}</td>
                      <td>
                        <QueueBadge item={q} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
      {item ? (
        <Detail
          key={item.request.id}
          item={item}
          onDecided={(d) => {
            setQueue((q) => q?.map((x) => (x.request.id === d.item.request.id ? d.item : x)));
          }}
        />
      ) : (
        queue && queue.length > 0 && <p className="muted">Choose a request to see it whole.</p>
      )}
    </div>
  );
}
