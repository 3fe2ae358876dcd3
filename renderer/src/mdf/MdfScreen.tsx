import { useCallback, useEffect, useState } from 'react';
import type { OpOutput } from '../../../core/contracts/api.ts';
import type { PartnerRequestView, ProgramView } from '../../../core/contracts/mdf-api.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { fileToBase64 } from '../app/files.ts';
import { dateRange, formatMoney, REQUEST_STATUS_TEXT, VERDICT_TEXT, when } from './format.ts';
import { RequestForm } from './RequestForm.tsx';
import { Badge, BreachList, WrittenFile } from './shared.tsx';
import './mdf.css';

type Submitted = OpOutput<'mdf:submit'>;

const statusTone = (s: PartnerRequestView['status']) => (s === 'approved' ? 'good' : s === 'rejected' ? 'bad' : s === 'changes-requested' ? 'warn' : 'neutral');

function activityName(programs: ProgramView[] | undefined, r: PartnerRequestView): string {
  const program = programs?.find((p) => p.program.id === r.request.program.id);
  return program?.program.activityTypes.find((t) => t.id === r.request.activityType)?.name ?? r.request.activityType;
}

/** The partner's requests with their status, and where a reviewer's decision file is imported. */
function MyRequests({ requests, programs, onChanged }: { requests: PartnerRequestView[] | undefined; programs: ProgramView[] | undefined; onChanged: () => void }) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ReturnType<typeof describe>>();
  const [imported, setImported] = useState<string>();

  const importDecision = async (file: File) => {
    setBusy(true);
    setError(undefined);
    setImported(undefined);
    try {
      const r = await call(api, 'mdf:decision-import', { name: file.name, data: await fileToBase64(file) });
      setImported(`Decision imported for “${r.request.title}”: ${REQUEST_STATUS_TEXT[r.status]}.`);
      onChanged();
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="mdf-panel" aria-labelledby="mdf-mine-title">
      <div className="mdf-panel-head">
        <h2 id="mdf-mine-title">My requests</h2>
        <div className="mdf-field">
          <label htmlFor="mdf-decision-file">Import decision file</label>
          <input
            id="mdf-decision-file"
            type="file"
            disabled={busy}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void importDecision(file);
            }}
          />
        </div>
      </div>
      <p className="muted small">Your distributor or vendor answers each request with a signed decision file; import it here.</p>
      {busy && (
        <p role="status" className="muted small">
          Importing…
        </p>
      )}
      {imported && (
        <p role="status" className="ok" data-testid="mdf-decision-imported">
          {imported}
        </p>
      )}
      <div data-testid="mdf-decision-error">
        <ErrorBox error={error} />
      </div>
      {!requests && <p className="muted">Loading…</p>}
      {requests && requests.length === 0 && <p className="muted">No requests sent yet.</p>}
      {requests && requests.length > 0 && (
        <ul className="mdf-requests" aria-label="My requests">
          {requests.map((r) => (
            <li key={r.request.id} className="mdf-request" data-request={r.request.id}>
              <div className="mdf-request-head">
                <h3>{r.request.title}</h3>
                <Badge text={REQUEST_STATUS_TEXT[r.status]} tone={statusTone(r.status)} testId="mdf-request-status" />
              </div>
              <p className="muted small">
                {activityName(programs, r)} · {formatMoney(r.request.budgetRequested, r.currency)} of {formatMoney(r.request.totalCost, r.currency)} · {dateRange(r.request.startDate, r.request.endDate)} · {r.programName}
              </p>
              <p className="small">
                Sent {when(r.submittedAt)} as{' '}
                <span className="mono" title={r.packet}>
                  {r.packet.split(/[\\/]/).pop()}
                </span>
                ; the rules said: {VERDICT_TEXT[r.evaluation.verdict].toLowerCase()}.
              </p>
              <BreachList breaches={r.evaluation.breaches} currency={r.currency} label={`Rules ${r.request.title} broke`} />
              {r.decision && (
                <p className="mdf-decision small" data-testid="mdf-decision">
                  {REQUEST_STATUS_TEXT[r.decision.decision]} by {r.decision.decidedBy} on {when(r.decision.decidedAt)}
                  {r.decision.reason ? (
                    <>
                      : <q>{r.decision.reason}</q>
                    </>
                  ) : (
                    '.'
                  )}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** What Send wrote: the packet, where it is, and how to get it to the reviewer. */
function SentPanel({ result, onAnother }: { result: Submitted; onAnother: () => void }) {
  return (
    <section className="mdf-panel mdf-sent" aria-labelledby="mdf-sent-title" data-testid="mdf-sent">
      <h2 id="mdf-sent-title">Request sent</h2>
      <p role="status">
        “{result.request.request.title}” is packed as a request packet: the signed request, the fillable PDF form and the attachments. Send the packet to your distributor or vendor.
      </p>
      <WrittenFile file={result.packet} what="request packet" testId="mdf-packet" />
      <div className="actions">
        <button type="button" onClick={onAnother}>
          Start another request
        </button>
      </div>
    </section>
  );
}

/**
 * The partner's MDF area (issue #8): the request form for the programs in
 * its vendors' packs, and its requests with the reviewers' decisions.
 */
export function MdfScreen({ onBack }: { onBack: () => void }) {
  const { api } = useApp();
  const [programs, setPrograms] = useState<ProgramView[]>();
  const [requests, setRequests] = useState<PartnerRequestView[]>();
  const [error, setError] = useState<ReturnType<typeof describe>>();
  const [sent, setSent] = useState<Submitted>();
  const [formKey, setFormKey] = useState(0);

  const loadRequests = useCallback(() => {
    call(api, 'mdf:requests', {})
      .then(setRequests)
      .catch((err) => setError(describe(err)));
  }, [api]);
  useEffect(() => {
    call(api, 'mdf:programs', {})
      .then(setPrograms)
      .catch((err) => setError(describe(err)));
    loadRequests();
  }, [api, loadRequests]);

  return (
    <main className="learn mdf">
      <header className="learn-head">
        <div>
          <h1>Market development funds</h1>
          <p className="lead">Ask your vendor to fund marketing activities. The form checks your request against the program’s rules as you type, so you see what would be vetoed before you send it.</p>
        </div>
        <div className="head-actions">
          <button type="button" onClick={onBack}>
            Back to templates
          </button>
        </div>
      </header>
      <ErrorBox error={error} />
      {!programs && !error && <p className="muted">Loading…</p>}
      {programs && programs.length === 0 && (
        <p className="muted" data-testid="mdf-no-program">
          None of your vendors’ packs has an MDF program yet.
        </p>
      )}
      {programs &&
        programs.length > 0 &&
        (sent ? (
          <SentPanel
            result={sent}
            onAnother={() => {
              setSent(undefined);
              setFormKey((k) => k + 1);
            }}
          />
        ) : (
          <RequestForm
            key={formKey}
            programs={programs}
            onSent={(r) => {
              setSent(r);
              loadRequests();
            }}
          />
        ))}
      <MyRequests requests={requests} programs={programs} onChanged={loadRequests} />
    </main>
  );
}
