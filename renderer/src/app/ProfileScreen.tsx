import { useEffect, useState, type DragEvent, type FormEvent } from 'react';
import type { LogoView } from '../../../core/contracts/api.ts';
import type { PartnerProfile } from '../../../core/model/document.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from './context.ts';
import { fileToBase64, pickFile } from './files.ts';
import { LogoPreflight } from './LogoPreflight.tsx';
import { LogoPreview } from './LogoPreview.tsx';

type Variant = 'light' | 'dark';

function LogoDrop({ variant, logo, onLogo, usedOn, onSwap }: { variant: Variant; logo: LogoView | undefined; onLogo: (logo: LogoView | undefined) => void; usedOn: Variant[]; onSwap: () => void }) {
  const { api } = useApp();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const take = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      onLogo(await call(api, 'logo:intake', { name: file.name, data: await fileToBase64(file) }));
    } catch (err) {
      const d = describe(err);
      setError(d.hint ? `${d.title} ${d.hint}` : d.title);
    } finally {
      setBusy(false);
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    void take(e.dataTransfer.files[0]);
  };
  const label = variant === 'light' ? 'Logo for light backgrounds' : 'Logo for dark backgrounds';
  return (
    <div className="logo-drop" onDragOver={(e) => e.preventDefault()} onDrop={onDrop} data-testid={`logo-drop-${variant}`}>
      <div className="logo-drop-head">
        <strong>{label}</strong>
        <button type="button" onClick={() => void pickFile().then(take)} disabled={busy}>
          {logo ? 'Replace…' : 'Choose file…'}
        </button>
        {logo && variant === 'dark' && (
          <button type="button" className="link" onClick={() => onLogo(undefined)}>
            Remove
          </button>
        )}
      </div>
      {busy && <p className="muted">Checking the file…</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {logo ? <LogoPreview logo={logo} background={variant} /> : <p className="muted drop-hint">Drop a PNG, JPEG, PDF or SVG logo here</p>}
      {logo && <LogoPreflight variant={variant} logo={logo} usedOn={usedOn} onLogo={onLogo} onSwap={onSwap} />}
    </div>
  );
}

/** A labelled select over access-level entries (tiers, partner types, regions). */
function Choice(p: { label: string; name: string; value: string; onChange: (v: string) => void; options: { id: string; name: string }[]; optional?: boolean }) {
  return (
    <label>
      {p.label}
      <select name={p.name} value={p.value} onChange={(e) => p.onChange(e.target.value)}>
        {p.optional && <option value="">—</option>}
        {p.options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** First run: the partner's company, contact details and logos. */
export function ProfileScreen({
  profile,
  onSaved,
  onCancel,
  onChooseVendor,
  onChooseDistributor,
}: {
  profile: PartnerProfile | null;
  onSaved: (p: PartnerProfile) => void;
  onCancel?: () => void;
  onChooseVendor?: () => void;
  onChooseDistributor?: () => void;
}) {
  const { api, info } = useApp();
  const access = info.brands[0]?.access;
  const [company, setCompany] = useState(profile?.company ?? '');
  const [contact, setContact] = useState({ phone: '', email: '', url: '', address: '', ...profile?.contact });
  const [tier, setTier] = useState(profile?.tier ?? access?.tiers[0]?.id ?? '');
  const [type, setType] = useState(profile?.type ?? '');
  const [region, setRegion] = useState(profile?.region ?? '');
  const [distributor, setDistributor] = useState(profile?.distributor ?? '');
  const initial = typeof profile?.logo === 'string' ? { light: profile.logo } : (profile?.logo ?? {});
  const [logos, setLogos] = useState<{ light?: LogoView; dark?: LogoView }>({});
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    for (const variant of ['light', 'dark'] as const) {
      const ref = initial[variant];
      if (ref) void call(api, 'logo:describe', { ref }).then((logo) => setLogos((l) => ({ ...l, [variant]: logo })));
    }
    // Only the profile's logos at mount; later changes come from the drop zones.
  }, []);

  const swapLogos = () => setLogos((c) => ({ light: c.dark, dark: c.light }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(undefined);
    try {
      const clean = Object.fromEntries(Object.entries(contact).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
      const saved = await call(api, 'profile:save', {
        ...(profile ? { id: profile.id } : {}),
        company: company.trim(),
        contact: clean,
        ...(tier ? { tier } : {}),
        ...(type ? { type } : {}),
        ...(region ? { region } : {}),
        ...(distributor.trim() ? { distributor: distributor.trim() } : {}),
        ...(logos.light || logos.dark ? { logo: { ...(logos.light ? { light: logos.light.ref } : {}), ...(logos.dark ? { dark: logos.dark.ref } : {}) } } : {}),
        certifications: profile?.certifications ?? [],
      });
      onSaved(saved);
    } catch (err) {
      setError(describe(err).title);
    } finally {
      setSaving(false);
    }
  };

  return (
    <main className="profile-screen">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="profile-title">
        <h1 id="profile-title">{profile ? 'Your partner profile' : 'Welcome to Lockup'}</h1>
        <p className="lead">
          {profile ? 'These details fill the partner areas of every template.' : `Set up your company once. ${info.brands[0]?.name ?? 'Your vendor'}'s templates will carry your logo and contact details.`}
        </p>
        {!profile && (onChooseVendor || onChooseDistributor) && (
          <p className="role-choice">
            {onChooseVendor && (
              <button type="button" className="link" onClick={onChooseVendor}>
                I’m a brand owner — set up a vendor workspace
              </button>
            )}
            {onChooseDistributor && (
              <button type="button" className="link" onClick={onChooseDistributor}>
                I’m a distributor — set up a distributor workspace
              </button>
            )}
          </p>
        )}
        <div className="grid-2">
          <label>
            Company name
            <input name="company" required value={company} onChange={(e) => setCompany(e.target.value)} autoFocus maxLength={300} />
          </label>
          <label>
            Phone
            <input name="phone" value={contact.phone} onChange={(e) => setContact({ ...contact, phone: e.target.value })} />
          </label>
          <label>
            Email
            <input name="email" type="email" value={contact.email} onChange={(e) => setContact({ ...contact, email: e.target.value })} />
          </label>
          <label>
            Website
            <input name="url" value={contact.url} onChange={(e) => setContact({ ...contact, url: e.target.value })} />
          </label>
          <label className="span-2">
            Address
            <textarea name="address" rows={2} value={contact.address} onChange={(e) => setContact({ ...contact, address: e.target.value })} />
          </label>
          {access && (
            <>
              <Choice label="Partner level" name="tier" value={tier} onChange={setTier} options={access.tiers} />
              <Choice label="Partner type" name="type" value={type} onChange={setType} options={access.partnerTypes} optional />
              <Choice label="Region" name="region" value={region} onChange={setRegion} options={access.regions} optional />
            </>
          )}
          <label>
            Distributor (if you buy through one)
            <input name="distributor" value={distributor} onChange={(e) => setDistributor(e.target.value)} />
          </label>
        </div>
        <h2>Logos</h2>
        <div className="grid-2">
          <LogoDrop variant="light" logo={logos.light} onLogo={(l) => setLogos((c) => ({ ...c, light: l }))} usedOn={logos.dark ? ['light'] : ['light', 'dark']} onSwap={swapLogos} />
          <LogoDrop variant="dark" logo={logos.dark} onLogo={(l) => setLogos((c) => ({ ...c, dark: l }))} usedOn={logos.light ? ['dark'] : ['light', 'dark']} onSwap={swapLogos} />
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          {onCancel && (
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="primary" disabled={saving || company.trim() === ''}>
            {saving ? 'Saving…' : profile ? 'Save profile' : 'Continue to templates'}
          </button>
        </div>
      </form>
    </main>
  );
}
