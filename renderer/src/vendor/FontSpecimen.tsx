import { useEffect, useState } from 'react';
import { useApp } from '../app/context.ts';

/** One FontFace per font file for the whole session, shared by every specimen of it. */
const faces = new Map<string, Promise<string>>();

function loadFace(ref: string, bytes: () => Promise<Uint8Array<ArrayBuffer>>): Promise<string> {
  let hit = faces.get(ref);
  if (!hit) {
    // Named after the file's hash: two brands with a "lato-regular" id may hold different files.
    const family = `lk-specimen-${ref.slice(7, 23)}`;
    hit = bytes().then(async (data) => {
      const face = new FontFace(family, data);
      await face.load();
      document.fonts.add(face);
      return family;
    });
    hit.catch(() => faces.delete(ref));
    faces.set(ref, hit);
  }
  return hit;
}

const PANGRAM = 'The quick brown fox jumps over the lazy dog';
const LATIN_LINE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 & @ € £ ? !';

/** A line in each script describeFont probes for ("Hello, world" and the like), for fonts without Latin. */
const SAMPLES: Record<string, string> = {
  Greek: 'Γειά σου κόσμε — ΑΒΓΔ αβγδ',
  Cyrillic: 'Съешь же ещё этих мягких французских булок',
  Armenian: 'Բարեւ աշխարհ',
  Hebrew: 'שלום עולם — אבגדהו',
  Arabic: 'مرحبا بالعالم — أبجد هوز',
  Devanagari: 'नमस्ते दुनिया',
  Bengali: 'হ্যালো বিশ্ব',
  Tamil: 'வணக்கம் உலகம்',
  Thai: 'สวัสดีชาวโลก',
  Georgian: 'გამარჯობა მსოფლიო',
  Ethiopic: 'ሰላም ለዓለም',
  Hangul: '안녕하세요 세계',
  Hiragana: 'こんにちは せかい',
  Katakana: 'コンニチハ セカイ',
  Han: '你好，世界',
};

/** The first `n` user-perceived characters (a Devanagari syllable is one, not three code points). */
function firstGraphemes(text: string, n: number): string {
  return [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)]
    .slice(0, n)
    .map((g) => g.segment)
    .join('');
}

/** The uploaded font drawing a specimen, loaded from its catalogue bytes (not a system font of the same name). */
export function FontSpecimen({ fileRef, label, scripts }: { fileRef: string; label: string; scripts?: readonly string[] | undefined }) {
  const { assets } = useApp();
  const [family, setFamily] = useState<string>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let alive = true;
    setFamily(undefined);
    setFailed(false);
    loadFace(fileRef, () => assets.data(fileRef))
      .then((f) => alive && setFamily(f))
      .catch(() => alive && setFailed(true));
    return () => {
      alive = false;
    };
  }, [assets, fileRef]);

  // A font without Latin letters shows its own script: a Latin pangram would be drawn by a system font.
  const other = scripts && !scripts.includes('Latin') ? scripts.find((sc) => SAMPLES[sc] !== undefined) : undefined;
  if (failed) return <p className="error small">The browser could not draw this font.</p>;
  // The face is registered with its own weight and style, so the specimen asks for none: what shows is the file.
  const style = family ? { fontFamily: `"${family}", system-ui`, fontWeight: 'normal' as const, fontStyle: 'normal' as const } : undefined;
  return (
    <figure className="specimen" data-testid="font-specimen" data-loaded={family ? 'true' : 'false'} data-family={family ?? ''} aria-label={`Specimen of ${label}`}>
      {family ? (
        <div style={style}>
          <span className="specimen-big" aria-hidden="true">
            {other ? firstGraphemes(SAMPLES[other]!, 2) : 'Aa'}
          </span>
          <span className="specimen-text">{other ? SAMPLES[other] : PANGRAM}</span>
          {other ? <span className="specimen-small muted">{other}: this font draws no Latin letters (the browser would fill them in from another font).</span> : <span className="specimen-small">{LATIN_LINE}</span>}
        </div>
      ) : (
        <span className="muted">Loading the font…</span>
      )}
    </figure>
  );
}
