import { useState, type FormEvent } from 'react';
import type { WorkspaceView } from '../../../core/contracts/distributor-api.ts';
import { Id } from '../../../core/model/access.ts';
import { call } from '../api/client.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { downloadText, useAction, VendorSelect } from './shared.tsx';

/**
 * Partner credentials signed with your key, within what the vendor allowed
 * you (the tiers up to the authorisation's highest). The partner imports the
 * .cred file next to your derived pack.
 */
export function PartnerCredentialsPanel({ ws }: { ws: WorkspaceView }) {
  const { api } = useApp();
  const [vendor, setVendor] = useState(ws.sources[0]?.vendor.id ?? '');
  const source = ws.sources.find((s) => s.vendor.id === vendor) ?? ws.sources[0];
  const tiers = source?.credential.tiers ?? [];
  const [company, setCompany] = useState('');
  const [tier, setTier] = useState('');
  const [type, setType] = useState('');
  const [region, setRegion] = useState('');
  const [days, setDays] = useState('365');
  const [issued, setIssued] = useState<string>();
  const { busy, error, run } = useAction();
  const chosenTier = tiers.some((t) => t.id === tier) ? tier : (tiers.at(-1)?.id ?? '');
  const optional = (v: string) => v.trim() === '' || Id.safeParse(v.trim()).success;
  const daysN = Number(days);
  const valid = source && company.trim() !== '' && chosenTier !== '' && optional(type) && optional(region) && Number.isInteger(daysN) && daysN >= 1 && daysN <= 1825;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!valid || !source) return;
    setIssued(undefined);
    void run(async () => {
      const r = await call(api, 'distributor:credential-issue', {
        vendor: source.vendor.id,
        company: company.trim(),
        tier: chosenTier,
        ...(type.trim() ? { type: type.trim() } : {}),
        ...(region.trim() ? { region: region.trim() } : {}),
        days: daysN,
      });
      downloadText(r.fileName, r.text);
      const tierName = tiers.find((t) => t.id === r.tier)?.name ?? r.tier;
      setIssued(`${tierName} credential for ${company.trim()} (${source.vendor.name}) issued, valid until ${r.expires.slice(0, 10)}; saved as ${r.fileName}.`);
    });
  };

  if (!source) return <p className="muted dist-card">Add a vendor’s pack first (Vendors).</p>;
  return (
    <form className="dist-card" onSubmit={submit} aria-labelledby="dist-creds-title">
      <h2 id="dist-creds-title">Partner credentials</h2>
      <p className="muted">A partner imports the credential with your derived pack; it grants access to that vendor’s templates and your sheets up to the tier you give.</p>
      {tiers.length === 0 ? (
        <p className="notice" role="note">
          {source.vendor.name} has not allowed you to issue partner credentials (the authorisation has no highest tier).
        </p>
      ) : null}
      <div className="grid-2">
        <VendorSelect sources={ws.sources} value={source.vendor.id} onChange={setVendor} />
        <label>
          Partner company
          <input value={company} onChange={(e) => setCompany(e.target.value)} maxLength={120} required />
        </label>
        <label>
          Tier
          <select value={chosenTier} onChange={(e) => setTier(e.target.value)} disabled={tiers.length === 0}>
            {tiers.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Partner type (optional)
          <input className="mono" value={type} onChange={(e) => setType(e.target.value)} aria-invalid={!optional(type)} placeholder="msp" />
        </label>
        <label>
          Region (optional)
          <input className="mono" value={region} onChange={(e) => setRegion(e.target.value)} aria-invalid={!optional(region)} placeholder="na" />
        </label>
        <div className="dist-field">
          <label htmlFor="partner-cred-days">Valid for (days)</label>
          <input id="partner-cred-days" type="number" min={1} max={1825} value={days} onChange={(e) => setDays(e.target.value)} aria-describedby="partner-cred-days-help" />
          <span id="partner-cred-days-help" className="muted small">
            Never beyond {source.vendor.name}’s authorisation ({source.credential.expiresAt.slice(0, 10)}).
          </span>
        </div>
      </div>
      <ErrorBox error={error} />
      {issued && (
        <p className="ok" role="status" data-testid="credential-issued">
          {issued}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !valid}>
          {busy ? 'Issuing…' : 'Issue credential'}
        </button>
      </div>
    </form>
  );
}
