import { PT_PER_INCH } from '../util/units.ts';

/** A logo slot in points, with the name the UI shows ("Datasheet — Partner logo"). */
export interface SlotSize {
  w: number;
  h: number;
  label: string;
}

/**
 * Effective resolution of a raster logo at its largest slot: the image is
 * fitted inside each slot keeping its aspect ratio (as compose places it),
 * and the slot that spreads its pixels thinnest wins. `null` without slots.
 */
export function ppiAtLargestSlot(width: number, height: number, slots: readonly SlotSize[]): { value: number; slot: string } | null {
  let best: { value: number; slot: string } | null = null;
  if (!(width > 0 && height > 0)) return null;
  for (const s of slots) {
    const scale = Math.min(s.w / width, s.h / height);
    const inches = (width * scale) / PT_PER_INCH;
    const value = Math.round(width / inches);
    if (!best || value < best.value) best = { value, slot: s.label };
  }
  return best;
}
