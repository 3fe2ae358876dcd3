import { useCallback, useEffect, useState } from 'react';
import type { AccessLevels } from '../../../core/model/access.ts';
import type { MdfProgram } from '../../../core/mdf/model.ts';
import { ApiError, call } from '../api/client.ts';
import { useApp } from '../app/context.ts';
import { FileButton } from '../vendor/editor-context.tsx';
import { errorText } from '../vendor/errors.ts';
import { formatMoney, KIND_TEXT, pct } from './format.ts';
import './mdf.css';

function issuesOf(err: unknown): { path: string; message: string }[] {
  const issues = err instanceof ApiError ? err.details?.['issues'] : undefined;
  return Array.isArray(issues) ? issues.filter((i): i is { path: string; message: string } => typeof i?.path === 'string' && typeof i?.message === 'string') : [];
}

const list = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** The program's veto rules as sentences a vendor can check against its policy. */
export function rulesInWords(p: MdfProgram, access: Pick<AccessLevels, 'tiers'>): string[] {
  const money = (c: number) => formatMoney(c, p.currency);
  const tier = (id: string) => access.tiers.find((t) => t.id === id)?.name ?? id;
  const type = (id: string) => p.activityTypes.find((t) => t.id === id)?.name ?? id;
  const r = p.rules;
  const out: string[] = [];
  if (r.maxPerQuarter) {
    // In the brand's tier order (lowest first), then any the brand no longer has.
    const rank = (id: string) => {
      const i = access.tiers.findIndex((t) => t.id === id);
      return i < 0 ? access.tiers.length : i;
    };
    const per = Object.entries(r.maxPerQuarter)
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([t, c]) => `${tier(t)} ${money(c)}`);
    out.push(`Most a partner may request per calendar quarter: ${per.length ? list(per) : 'nothing for any tier'}. Tiers not listed get no funds.`);
  }
  for (const [t, types] of Object.entries(r.disallowedActivities ?? {})) out.push(`${tier(t)} partners may not request funds for ${list(types.map(type))}.`);
  if (r.minLeadDays !== undefined) out.push(`Requests must be sent at least ${r.minLeadDays} days before the activity starts.`);
  for (const [key, kinds] of Object.entries(r.requiredAttachments ?? {})) {
    const what = list(kinds.map((k) => (k === 'collateral' ? 'co-branded collateral exported from Lockup' : KIND_TEXT[k].toLowerCase())));
    out.push(key === '*' ? `Every request must attach ${what}.` : `${type(key)} requests must attach ${what}.`);
  }
  if (r.partnerShare) {
    const { min, max } = r.partnerShare;
    out.push(min === max ? `The partner pays ${pct(min)} of the activity’s cost.` : `The partner pays between ${pct(min)} and ${pct(max)} of the activity’s cost.`);
  }
  if (r.noDuplicates) out.push('A partner may not have two open requests for the same activity type with overlapping dates.');
  return out;
}

/**
 * The vendor's MDF program tab (issue #8): the brand's program as its packs
 * will carry it, and importing a new version from a `lockup.mdf-program` file.
 */
export function MdfProgramPanel({ brandId, access, readOnly }: { brandId: string; access: AccessLevels; readOnly: boolean }) {
  const { api } = useApp();
  const [program, setProgram] = useState<MdfProgram | null>();
  const [loadError, setLoadError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string>();
  const [importError, setImportError] = useState<{ text: string; issues: { path: string; message: string }[] }>();

  const load = useCallback(async () => {
    try {
      const p = await call(api, 'vendor:mdf-program', { brand: brandId });
      setProgram(p);
      setLoadError(undefined);
      return p;
    } catch (err) {
      setLoadError(errorText(err));
      return undefined;
    }
  }, [api, brandId]);
  useEffect(() => {
    setResult(undefined);
    setImportError(undefined);
    void load();
  }, [load]);

  const importFile = async (file: File) => {
    setBusy(true);
    setResult(undefined);
    setImportError(undefined);
    try {
      const r = await call(api, 'vendor:mdf-program-import', { brand: brandId, source: await file.text() });
      const fresh = await load();
      setResult(`Imported “${fresh?.name ?? r.id}”, version ${r.version}. It is published with the brand’s next pack.`);
    } catch (err) {
      setImportError({ text: errorText(err), issues: issuesOf(err) });
    } finally {
      setBusy(false);
    }
  };

  const rules = program ? rulesInWords(program, access) : [];
  return (
    <section className="kit-section mdf-program" aria-labelledby="mdf-program-title">
      <div className="kit-section-head">
        <div>
          <h2 id="mdf-program-title">MDF program</h2>
          <p className="muted small">
            Market development funds: the activity types partners may request funds for, and the veto rules applied to every request, the same on the partner’s side before sending and in the reviewer’s queue. Import a program file (<span className="mono">lockup.mdf-program</span>, JSON); a changed file makes a new version.
          </p>
        </div>
        {!readOnly && (
          <div className="kit-section-actions">
            <FileButton label={busy ? 'Importing…' : 'Import program file…'} accept=".json,application/json" disabled={busy} onFile={(f) => void importFile(f)} />
          </div>
        )}
      </div>
      {loadError && (
        <p className="error" role="alert">
          {loadError}
        </p>
      )}
      {importError && (
        <div className="error" role="alert" data-testid="mdf-program-import-error">
          <p>Not imported: {importError.text}</p>
          {importError.issues.length > 0 && (
            <ul>
              {importError.issues.map((i) => (
                <li key={`${i.path}: ${i.message}`}>
                  <span className="mono">{i.path}</span>: {i.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {result && (
        <p className="ok" role="status">
          {result}
        </p>
      )}
      {program === undefined && !loadError && <p className="muted">Loading the program…</p>}
      {program === null && <p className="muted">No MDF program yet: partners of this brand see no request form until you import one.</p>}
      {program && (
        <div data-testid="mdf-program">
          <h3>
            {program.name} <span className="muted small">· version {program.version} · amounts in {program.currency}</span>
          </h3>
          <h4>Activity types</h4>
          <ul className="mdf-types" aria-label="Activity types">
            {program.activityTypes.map((t) => (
              <li key={t.id}>
                {t.name} <span className="muted small mono">{t.id}</span>
              </li>
            ))}
          </ul>
          <h4>Veto rules</h4>
          {rules.length === 0 ? (
            <p className="muted">No rules: every request goes to review (or is approved automatically within the limit below).</p>
          ) : (
            <ul className="mdf-rule-list" aria-label="Veto rules">
              {rules.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
          <h4>Automatic approval</h4>
          <p data-testid="mdf-auto-approve">
            {program.autoApproveUpTo === null ? 'None: a person reviews every request that breaks no rule.' : `A request that breaks no rule and asks for at most ${formatMoney(program.autoApproveUpTo, program.currency)} is approved without review.`}
          </p>
        </div>
      )}
    </section>
  );
}
