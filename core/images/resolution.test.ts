import { describe, expect, it } from 'vitest';
import { ppiAtLargestSlot } from './resolution.ts';

describe('effective resolution at the largest slot', () => {
  it('fits the logo inside each slot keeping its aspect ratio; the lowest ppi wins', () => {
    // 1200 × 400 px in a 5 in × 2 in slot: width-bound, 5 in wide → 240 ppi.
    expect(ppiAtLargestSlot(1200, 400, [{ w: 360, h: 144, label: 'Flyer' }])).toEqual({ value: 240, slot: 'Flyer' });
    // A taller slot is height-bound: 1 in high → 3 in wide → 400 ppi; the flyer stays the largest.
    expect(ppiAtLargestSlot(1200, 400, [{ w: 72 * 10, h: 72, label: 'Banner' }, { w: 360, h: 144, label: 'Flyer' }])).toEqual({ value: 240, slot: 'Flyer' });
    expect(ppiAtLargestSlot(1200, 400, [])).toBeNull();
  });
});
