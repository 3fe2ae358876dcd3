import { useEffect, useRef, useState } from 'react';
import type { LogoView } from '../../../core/contracts/api.ts';
import type { LogoFix, PreflightView } from '../../../core/contracts/logo-api.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from './context.ts';
import { LogoPreview } from './LogoPreview.tsx';
import './logo-preflight.css';

type Variant = 'light' | 'dark';

const FIX_LABELS: Record<LogoFix, string> = {
  'remove-checkerboard': 'Remove checkerboard background',
  'remove-background': 'Make the background transparent',
  trim: 'Trim transparent padding',
};

/**
 * What the preflight found about a logo just put in a profile slot, with
 * one-click fixes. A fix makes a new asset and puts it in the slot (the
 * original stays in the catalogue and one click puts it back); the profile
 * changes only when the partner saves it.
 */
export function LogoPreflight(props: {
  variant: Variant;
  logo: LogoView;
  /** Backgrounds this slot's logo will sit on (the other variant's too while that slot is empty). */
  usedOn: Variant[];
  onLogo: (logo: LogoView) => void;
  /** Offered when the logo suits the other slot's backgrounds better. */
  onSwap: () => void;
}) {
  const { api } = useApp();
  const { logo, variant, usedOn } = props;
  const [report, setReport] = useState<PreflightView>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<LogoFix>();
  /** The logo before the last fix, for the before/after preview and to undo. */
  const [before, setBefore] = useState<LogoView>();
  /** The asset the last fix made: any other logo in the slot is a new file, with no "before". */
  const lastFixed = useRef<string>(undefined);
  const usedKey = usedOn.join(',');

  useEffect(() => {
    if (before && logo.ref !== lastFixed.current && logo.ref !== before.ref) setBefore(undefined);
  }, [logo.ref, before]);

  useEffect(() => {
    let alive = true;
    setReport(undefined);
    void call(api, 'logo:preflight', { ref: logo.ref, usedOn: usedKey.split(',') as Variant[] })
      .then((r) => alive && setReport(r))
      .catch((err: unknown) => alive && setError(describe(err).title));
    return () => {
      alive = false;
    };
  }, [api, logo.ref, usedKey]);

  const apply = async (fix: LogoFix) => {
    setBusy(fix);
    setError(undefined);
    try {
      const fixed = await call(api, 'logo:fix', { ref: logo.ref, fix });
      lastFixed.current = fixed.ref;
      setBefore(before ?? logo);
      props.onLogo(fixed);
    } catch (err) {
      setError(describe(err).title);
    } finally {
      setBusy(undefined);
    }
  };

  const other: Variant = variant === 'light' ? 'dark' : 'light';
  const suitsOther = report?.bestOn === other && report.contrast !== null && report.contrast[other] > report.contrast[variant] * 1.5;
  const shown = report?.findings.filter((f) => f.severity !== 'info' || f.code !== 'logo-vector') ?? [];
  return (
    <section className="logo-preflight" aria-label={`Checks of the ${variant} logo`} data-testid={`logo-preflight-${variant}`} data-ref={logo.ref}>
      {!report && !error && <p className="muted">Checking the logo…</p>}
      {report?.ppi && !report.findings.some((f) => f.code.startsWith('logo-resolution')) && (
        <p className="preflight-ppi">
          Sharp enough: {report.ppi.value} ppi at the largest slot ({report.ppi.slot}); print needs {report.ppi.print}, screens {report.ppi.screen}.
        </p>
      )}
      {report?.vector && <p className="muted">Vector logo: sharp at any size, nothing to check.</p>}
      {shown.length > 0 && (
        <ul className="preflight-findings">
          {shown.map((f) => (
            <li key={f.code + f.message} className={`preflight-finding ${f.severity}`} data-code={f.code}>
              <span>{f.message}</span>
              {f.fix && (
                <button type="button" onClick={() => void apply(f.fix!)} disabled={busy !== undefined}>
                  {busy === f.fix ? 'Fixing…' : FIX_LABELS[f.fix]}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {suitsOther && (
        <p className="preflight-finding warning" data-code="logo-suits-other">
          <span>This logo stands out better on {other} backgrounds ({report!.contrast![other]}:1 against {report!.contrast![variant]}:1).</span>
          <button type="button" onClick={props.onSwap}>
            Use it as the {other}-background logo
          </button>
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {before && before.ref !== logo.ref && (
        <div className="preflight-compare" data-testid={`logo-compare-${variant}`}>
          <div>
            <strong>Before</strong>
            <LogoPreview logo={before} background={variant} />
          </div>
          <div>
            <strong>After</strong>
            <LogoPreview logo={logo} background={variant} />
          </div>
          <button
            type="button"
            className="link"
            onClick={() => {
              props.onLogo(before);
              setBefore(undefined);
            }}
          >
            Use the original file
          </button>
        </div>
      )}
    </section>
  );
}
