import { useEffect, useState } from 'react';
import { useApp } from '../app/context.ts';

const SHA_REF = /^sha256:[0-9a-f]{64}$/;

/** What the stored bytes are (the ref does not say): PNG, JPEG and PDF by their magic, anything else is read as SVG. */
function sniff(bytes: Uint8Array): 'png' | 'jpeg' | 'pdf' | 'svg' {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  if (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46) return 'pdf';
  return 'svg';
}

/**
 * A playbook image block's picture, drawn through the app's AssetCache (SVG
 * sanitised, PDF rasterised) onto a canvas and shown as a PNG: the file's
 * own bytes never reach the DOM.
 */
export function PlaybookImage({ asset, alt, width = 640 }: { asset: string; alt: string; width?: number }) {
  const { assets } = useApp();
  const [src, setSrc] = useState<{ url: string; width: number }>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let alive = true;
    setSrc(undefined);
    setFailed(false);
    if (!SHA_REF.test(asset)) {
      setFailed(true);
      return;
    }
    void assets
      .data(asset)
      .then((bytes) => assets.image(asset, sniff(bytes), width * 2))
      .then((drawable) => {
        if (!alive) return;
        const canvas = document.createElement('canvas');
        canvas.width = drawable.width;
        canvas.height = drawable.height;
        canvas.getContext('2d')!.drawImage(drawable, 0, 0);
        setSrc({ url: canvas.toDataURL('image/png'), width: Math.min(width, drawable.width) });
      })
      .catch(() => alive && setFailed(true));
    return () => {
      alive = false;
    };
  }, [assets, asset, width]);
  if (failed) return <span className="pb-image-missing">[Image: {alt}]</span>;
  return src ? <img src={src.url} alt={alt} width={src.width} style={{ maxWidth: '100%', height: 'auto' }} /> : <span className="muted small">Loading image…</span>;
}
