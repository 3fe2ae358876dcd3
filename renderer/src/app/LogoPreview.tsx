import { useEffect, useState } from 'react';
import type { LogoView } from '../../../core/contracts/api.ts';
import { useApp } from './context.ts';

/** A logo shown as it will print: on a light or dark swatch, with its format and resolution. */
export function LogoPreview({ logo, background, widthMm = 40 }: { logo: LogoView; background: 'light' | 'dark'; widthMm?: number }) {
  const { assets } = useApp();
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let alive = true;
    const px = 400;
    void assets.image(logo.ref, logo.format, px).then((img) => {
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      canvas.getContext('2d')!.drawImage(img, 0, 0);
      if (alive) setSrc(canvas.toDataURL());
    });
    return () => {
      alive = false;
    };
  }, [assets, logo]);
  // Raster: the effective resolution at the largest slot a template gives it, else at `widthMm`.
  const ppi = logo.vector ? null : logo.effectivePpi ? `${logo.effectivePpi.value} ppi at its largest slot` : `${Math.round(logo.width / (widthMm / 25.4))} ppi at ${widthMm} mm wide`;
  const notes = logo.svg ? [...logo.svg.removed.map((r) => `removed: ${r}`), ...logo.svg.warnings] : [];
  return (
    <figure className={`logo-preview ${background}`}>
      <div className="swatch">{src ? <img src={src} alt={`${logo.name} on a ${background} background`} /> : <span className="muted">Loading…</span>}</div>
      <figcaption title={logo.effectivePpi ? `Largest slot: ${logo.effectivePpi.slot}` : undefined}>
        {logo.vector ? `Vector (${logo.format.toUpperCase()})` : `${logo.format.toUpperCase()} · Raster ${logo.width} × ${logo.height} px, ${ppi}`}
      </figcaption>
      {notes.length > 0 && (
        <ul className="svg-notes muted small" aria-label="What was changed in the SVG">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </figure>
  );
}
