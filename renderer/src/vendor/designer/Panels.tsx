import type { FindingView } from '../../../../core/contracts/api.ts';
import type { DesignerBrand } from '../../../../core/contracts/designer-api.ts';
import { SAMPLE_LABELS, type SampleKind } from '../../../../core/designer/samples.ts';
import type { DraftIssue } from '../../../../core/designer/validate.ts';
import { ZONE_KIND_LABELS } from '../../../../core/designer/zones.ts';
import type { Zone } from '../../../../core/model/template.ts';
import { CompliancePanel } from '../../app/CompliancePanel.tsx';
import { CheckField, CheckList, SelectField } from './controls.tsx';

export interface PreviewPartner {
  tier: string;
  type: string;
  region: string;
  certifications: string[];
  distributor: boolean;
}

/** "Preview as": who the sample partner is, which sample data, and what the engine found. */
export function PreviewPanel({ brand, partner, sample, findings, hidden, ms, onPartner, onSample, onSelect, zoneName }: { brand: DesignerBrand; partner: PreviewPartner; sample: SampleKind; findings: FindingView[]; hidden: { zoneId: string; reason: string }[]; ms: number | undefined; onPartner: (p: PreviewPartner) => void; onSample: (s: SampleKind) => void; onSelect: (zoneId: string | null) => void; zoneName: (id: string) => string }) {
  const a = brand.access;
  return (
    <div className="dz-preview" aria-label="Preview settings">
      <fieldset className="dz-group">
        <legend>Preview as</legend>
        <SelectField label="Partner tier" value={partner.tier} options={[{ value: '', label: 'No tier' }, ...a.tiers.map((t) => ({ value: t.id, label: t.name }))]} onChange={(tier) => onPartner({ ...partner, tier })} />
        {a.partnerTypes.length > 0 && <SelectField label="Partner type" value={partner.type} options={[{ value: '', label: 'Any / none' }, ...a.partnerTypes.map((t) => ({ value: t.id, label: t.name }))]} onChange={(type) => onPartner({ ...partner, type })} />}
        {a.regions.length > 0 && <SelectField label="Region" value={partner.region} options={[{ value: '', label: 'Any / none' }, ...a.regions.map((t) => ({ value: t.id, label: t.name }))]} onChange={(region) => onPartner({ ...partner, region })} />}
        <CheckList legend="Certifications held" options={a.certifications} values={partner.certifications} onChange={(certifications) => onPartner({ ...partner, certifications })} />
        <CheckField label="Buys through a distributor" checked={partner.distributor} onChange={(distributor) => onPartner({ ...partner, distributor })} />
        <SelectField<SampleKind> label="Sample data" value={sample} options={(Object.keys(SAMPLE_LABELS) as SampleKind[]).map((k) => ({ value: k, label: SAMPLE_LABELS[k] }))} onChange={onSample} hint="Long names fill every field to its character limit." />
      </fieldset>
      <CompliancePanel findings={findings} checkMs={ms} onSelect={onSelect} zoneName={zoneName} />
      {hidden.length > 0 && (
        <section aria-labelledby="dz-hidden-title">
          <h2 id="dz-hidden-title">Not on this partner’s page</h2>
          <ul className="dz-hidden" data-testid="hidden-zones">
            {hidden.map((h) => (
              <li key={h.zoneId}>
                <strong>{zoneName(h.zoneId)}</strong> <span className="muted">{h.reason}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/** What stops publishing (from the model and the brand), then what the engine finds on the sample page. */
export function ChecksPanel({ issues, findings, onSelect, zoneName }: { issues: DraftIssue[]; findings: FindingView[]; onSelect: (zoneId: string | null) => void; zoneName: (id: string) => string }) {
  return (
    <div className="dz-checks">
      <section aria-labelledby="dz-issues-title">
        <h2 id="dz-issues-title">
          Before publishing <span className={issues.length > 0 ? 'count bad' : 'count good'} data-testid="issue-count">{issues.length === 0 ? 'Ready' : `${issues.length} to fix`}</span>
        </h2>
        {issues.length === 0 && <p className="muted small">The template is valid for the model and the brand.</p>}
        <ul className="findings">
          {issues.map((i) => (
            <li key={i.path + i.message} className="finding error">
              <button type="button" onClick={() => onSelect(i.zoneId)}>
                {i.zoneId && <span className="zone">{zoneName(i.zoneId)}</span>}
                <span className="msg">{i.message}</span>
                <span className="measure">{i.path}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      <p className="muted small">On the design page (typical sample, every zone shown) the brand rules find:</p>
      <CompliancePanel findings={findings} checkMs={undefined} onSelect={onSelect} zoneName={zoneName} />
    </div>
  );
}

/** The page's zones, top first: select any zone (also those under others), pin it so the canvas leaves it alone. */
export function LayersPanel({ zones, selected, pinned, invalid, onSelect, onPin }: { zones: Zone[]; selected: string | null; pinned: Set<string>; invalid: Set<string>; onSelect: (id: string) => void; onPin: (id: string, pinned: boolean) => void }) {
  return (
    <section className="dz-layers" aria-labelledby="dz-layers-title">
      <h2 id="dz-layers-title">Layers</h2>
      {zones.length === 0 && <p className="muted small">No zones on this page yet.</p>}
      <ul role="listbox" aria-label="Zones on this page, top first">
        {[...zones].reverse().map((z) => (
          <li key={z.id} role="option" aria-selected={z.id === selected} className={`${z.id === selected ? 'selected' : ''} ${invalid.has(z.id) ? 'invalid' : ''}`} data-zone={z.id}>
            <button type="button" className="dz-layer-name" onClick={() => onSelect(z.id)}>
              <span>{z.name || (z.kind === 'form-field' ? z.fieldName : z.id)}</span>
              <span className="muted small">
                {ZONE_KIND_LABELS[z.kind]} · {z.owner} · {z.lock}
              </span>
            </button>
            <button type="button" className="dz-pin" aria-pressed={pinned.has(z.id)} aria-label={`${pinned.has(z.id) ? 'Unpin' : 'Pin'} ${z.name || z.id}`} title={pinned.has(z.id) ? 'Pinned: the canvas will not select it (click to unpin)' : 'Pin: the canvas will not select it'} onClick={() => onPin(z.id, !pinned.has(z.id))}>
              {pinned.has(z.id) ? '●' : '○'}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
