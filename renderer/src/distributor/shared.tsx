import { useCallback, useEffect, useRef, useState } from 'react';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';

export type Problem = { title: string; hint: string | undefined; code: string };

/** One action at a time per panel: busy while it runs, its error (described for the user) when it fails. */
export function useAction(): { busy: boolean; error: Problem | undefined; setError: (e: Problem | undefined) => void; run: (fn: () => Promise<void>) => Promise<boolean> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem>();
  const run = useCallback(async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      return true;
    } catch (err) {
      const d = describe(err);
      if (d.code !== 'cancelled') setError(d);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}

/** Saves text (a .cred file) through the browser's download; the desktop shell saves it the same way. */
export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const imageFormat = (name: string): 'png' | 'jpeg' | 'svg' | 'pdf' => (/\.svg$/i.test(name) ? 'svg' : /\.jpe?g$/i.test(name) ? 'jpeg' : /\.pdf$/i.test(name) ? 'pdf' : 'png');

/** An asset from the catalogue (a logo, a product picture) drawn through the app's AssetCache. */
export function AssetImage({ assetRef, format, alt, width = 240 }: { assetRef: string; format: 'png' | 'jpeg' | 'svg' | 'pdf'; alt: string; width?: number }) {
  const { assets } = useApp();
  const [src, setSrc] = useState<string>();
  const canvas = useRef<HTMLCanvasElement | null>(null);
  useEffect(() => {
    let alive = true;
    void assets
      .image(assetRef, format, width * 2)
      .then((d) => {
        if (!alive) return;
        const c = canvas.current ?? document.createElement('canvas');
        canvas.current = c;
        c.width = d.width;
        c.height = d.height;
        c.getContext('2d')!.drawImage(d, 0, 0);
        setSrc(c.toDataURL('image/png'));
      })
      .catch(() => alive && setSrc(undefined));
    return () => {
      alive = false;
    };
  }, [assets, assetRef, format, width]);
  return src ? <img src={src} alt={alt} style={{ maxWidth: width }} /> : <span className="muted small">Loading…</span>;
}

/** A read-only value with a Copy button (a public key the other side pastes). */
export function CopyField({ label, value, id }: { label: string; value: string; id: string }) {
  const [copied, setCopied] = useState<string>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('Copied.');
    } catch {
      const el = document.getElementById(id) as HTMLTextAreaElement | null;
      el?.select();
      setCopied('Selected: press Ctrl+C (⌘C) to copy.');
    }
  };
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="row">
        <textarea id={id} className="mono" readOnly rows={2} value={value} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      {copied && (
        <p className="muted small" role="status">
          {copied}
        </p>
      )}
    </div>
  );
}

/** The vendor whose pack a panel works on; shown only when the workspace holds more than one. */
export function VendorSelect({ sources, value, onChange }: { sources: { vendor: { id: string; name: string } }[]; value: string; onChange: (vendorId: string) => void }) {
  if (sources.length < 2) return null;
  return (
    <label>
      Vendor
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {sources.map((s) => (
          <option key={s.vendor.id} value={s.vendor.id}>
            {s.vendor.name}
          </option>
        ))}
      </select>
    </label>
  );
}
