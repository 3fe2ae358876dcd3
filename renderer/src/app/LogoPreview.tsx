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
  const ppi = logo.vector ? null : Math.round(logo.width / (widthMm / 25.4));
  return (
    <figure className={`logo-preview ${background}`}>
      <div className="swatch">{src ? <img src={src} alt={`${logo.name} on a ${background} background`} /> : <span className="muted">Loading…</span>}</div>
      <figcaption>
        {logo.format.toUpperCase()} · {logo.vector ? 'vector' : `${logo.width} × ${logo.height} px`}
        {ppi !== null && <> · {ppi} ppi at {widthMm} mm wide</>}
      </figcaption>
    </figure>
  );
}
