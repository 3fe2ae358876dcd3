import { useState } from 'react';
import type { EvaluationView } from '../../../core/contracts/mdf-api.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { downloadBase64 } from '../app/files.ts';
import { breachFigures, formatMoney, RULE_NAMES, sizeText, VERDICT_TEXT } from './format.ts';

export interface Written {
  path: string;
  fileName: string;
  byteLength?: number;
}

/** A status as a small coloured badge; `tone` picks the colour (a CSS class). The text is its accessible name. */
export function Badge({ text, tone, testId }: { text: string; tone: string; testId?: string }) {
  return (
    <span className={`mdf-badge ${tone}`} role="status" aria-label={text} data-testid={testId}>
      {text}
    </span>
  );
}

/**
 * A file the backend wrote (a request packet, a decision file): its name and
 * where it is, then "Show in folder" in the desktop app or a download in the
 * browser host, as the export dialog and the Learn exports do.
 */
export function WrittenFile({ file, what, testId, mediaType = 'application/octet-stream' }: { file: Written; what: string; testId: string; mediaType?: string }) {
  const { api, transport } = useApp();
  const [error, setError] = useState<ReturnType<typeof describe>>();
  const download = async () => {
    setError(undefined);
    try {
      const f = await call(api, 'export:download', { path: file.path });
      downloadBase64(f.fileName, f.data, mediaType);
    } catch (err) {
      setError(describe(err));
    }
  };
  const reveal = async () => {
    setError(undefined);
    try {
      await call(api, 'file:reveal', { path: file.path });
    } catch (err) {
      setError(describe(err));
    }
  };
  return (
    <div className="mdf-written" data-testid={testId}>
      <p>
        <strong data-testid={`${testId}-name`}>{file.fileName}</strong>
        {file.byteLength !== undefined && <span className="muted"> ({sizeText(file.byteLength)})</span>}
      </p>
      <p className="muted small path" data-testid={`${testId}-path`}>
        {file.path}
      </p>
      {transport === 'electron' ? (
        <button type="button" onClick={() => void reveal()}>
          Show {what} in folder
        </button>
      ) : (
        <button type="button" onClick={() => void download()}>
          Download {what}
        </button>
      )}
      <ErrorBox error={error} />
    </div>
  );
}

/** The quarter's use: what earlier live requests claim, this request, and the tier's limit. */
export function QuarterBar({ quarter, thisRequest, currency }: { quarter: EvaluationView['quarter']; thisRequest: number | null; currency: string }) {
  const money = (c: number) => formatMoney(c, currency);
  const mine = thisRequest ?? 0;
  const total = quarter.used + mine;
  if (quarter.limit === null) {
    return (
      <p className="mdf-quarter muted small" data-testid="mdf-quarter">
        {quarter.id}: {money(quarter.used)} already requested; no per-quarter limit is set for your tier.
      </p>
    );
  }
  const over = total > quarter.limit;
  const scale = Math.max(quarter.limit, total, 1);
  return (
    <div className={`mdf-quarter${over ? ' over' : ''}`} data-testid="mdf-quarter">
      <p className="small">
        <strong>{quarter.id}</strong>: {money(quarter.used)} already requested{thisRequest !== null ? ` + ${money(mine)} in this request` : ''} of {money(quarter.limit)}
        {over ? ` — ${money(total - quarter.limit)} over` : ''}
      </p>
      <div className="mdf-bar" role="meter" aria-label={`Quarter ${quarter.id} use`} aria-valuemin={0} aria-valuemax={quarter.limit} aria-valuenow={total} aria-valuetext={`${money(total)} of ${money(quarter.limit)}`}>
        <span className="mdf-bar-used" style={{ width: `${(Math.min(quarter.used, scale) / scale) * 100}%` }} />
        <span className="mdf-bar-this" style={{ width: `${(Math.min(mine, scale - Math.min(quarter.used, scale)) / scale) * 100}%` }} />
        {total > quarter.limit && <span className="mdf-bar-limit" style={{ left: `${(quarter.limit / scale) * 100}%` }} aria-hidden="true" />}
      </div>
    </div>
  );
}

/** Every broken rule, with what was measured against the limit. */
export function BreachList({ breaches, currency, label = 'Broken rules' }: { breaches: EvaluationView['breaches']; currency: string; label?: string }) {
  if (breaches.length === 0) return null;
  return (
    <ul className="mdf-breaches" aria-label={label}>
      {breaches.map((b, i) => {
        const f = breachFigures(b, currency);
        return (
          <li key={`${b.rule}-${i}`} data-rule={b.rule}>
            <span className="mdf-rule">{RULE_NAMES[b.rule]}</span>
            <span className="mdf-breach-message">{b.message}</span>
            {(f.measured || f.limit) && (
              <span className="mdf-figures small">
                {f.measured && (
                  <>
                    Measured: <strong>{f.measured}</strong>
                  </>
                )}
                {f.measured && f.limit && ' · '}
                {f.limit && (
                  <>
                    Limit: <strong>{f.limit}</strong>
                  </>
                )}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export const verdictTone = (v: EvaluationView['verdict']) => (v === 'auto-vetoed' ? 'bad' : v === 'needs-review' ? 'warn' : 'good');

/** The partner's live "Rules check": the verdict the reviewer's Lockup would reach, the broken rules, the quarter's use. */
export function RulesCheck({ evaluation, checking, budget, currency, incomplete, autoApproveUpTo }: { evaluation: EvaluationView | null; checking: boolean; budget: number | null; currency: string; incomplete: boolean; autoApproveUpTo: number | null }) {
  return (
    <section className="mdf-rules" aria-labelledby="mdf-rules-title" data-testid="rules-check">
      <h2 id="mdf-rules-title">Rules check</h2>
      {evaluation ? (
        <>
          <p className={`mdf-verdict ${verdictTone(evaluation.verdict)}`} data-testid="mdf-verdict" aria-live="polite">
            {VERDICT_TEXT[evaluation.verdict]}
            {checking && <span className="muted small"> (checking…)</span>}
          </p>
          {evaluation.breaches.length === 0 ? (
            <p className="muted small" data-testid="mdf-verdict-why">
              This request breaks none of the program’s rules.
              {evaluation.verdict === 'needs-review' &&
                (autoApproveUpTo === null ? ' A person reviews every request.' : ` It asks for more than the ${formatMoney(autoApproveUpTo, currency)} approved automatically, so a person reviews it.`)}
              {evaluation.verdict === 'auto-approved' && ' It is within the amount approved without review.'}
            </p>
          ) : (
            <BreachList breaches={evaluation.breaches} currency={currency} />
          )}
          <QuarterBar quarter={evaluation.quarter} thisRequest={budget} currency={currency} />
        </>
      ) : (
        <p className="muted" data-testid="mdf-verdict">
          {checking ? 'Checking…' : incomplete ? 'The rules are checked as soon as the form is complete.' : 'Not checked yet.'}
        </p>
      )}
    </section>
  );
}
