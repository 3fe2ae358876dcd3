import type { FindingView } from '../../../core/contracts/api.ts';

function detail(f: FindingView): string | null {
  if (f.measured === null && f.required === null) return null;
  const unit = f.unit ? (f.unit === ':1' ? ':1' : ` ${f.unit}`) : '';
  const m = f.measured === null || f.measured === '' ? null : `${f.measured}${typeof f.measured === 'number' ? unit : ''}`;
  const r = f.required === null ? null : `${f.required}${typeof f.required === 'number' ? unit : ''}`;
  return [m && `measured ${m}`, r && `required ${r}`].filter(Boolean).join(' · ');
}

/** Live compliance: every finding names its zone, what was measured and what is required. */
export function CompliancePanel({ findings, checkMs, onSelect, zoneName }: { findings: FindingView[]; checkMs: number | undefined; onSelect: (zoneId: string | null) => void; zoneName: (id: string) => string }) {
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.length - errors.length;
  return (
    <section className="compliance" aria-labelledby="compliance-title">
      <h2 id="compliance-title">
        Compliance{' '}
        <span className={errors.length > 0 ? 'count bad' : 'count good'} data-testid="error-count">
          {errors.length === 0 ? (warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : 'All good') : `${errors.length} error${errors.length === 1 ? '' : 's'}`}
        </span>
      </h2>
      <ul className="findings" aria-live="polite">
        {findings.length === 0 && <li className="muted">This document follows every brand rule.</li>}
        {findings.map((f, i) => (
          <li key={`${f.code}-${f.zoneId}-${i}`} className={`finding ${f.severity}`} data-code={f.code}>
            <button type="button" onClick={() => onSelect(f.zoneId)}>
              <span className="sev">{f.severity === 'error' ? 'Error' : 'Warning'}</span>
              {f.zoneId && <span className="zone">{zoneName(f.zoneId)}</span>}
              <span className="msg">{f.message}</span>
              {detail(f) && <span className="measure">{detail(f)}</span>}
            </button>
          </li>
        ))}
      </ul>
      {checkMs !== undefined && <p className="muted small">Checked in {checkMs.toFixed(1)} ms</p>}
    </section>
  );
}
