import { describe, expect, it } from 'vitest';
import { prepareImage } from '../../core/images/prepare.ts';
import { nodeCodec } from '../assets/image-store.ts';
import { sampleLogos } from './sample-logo.ts';

describe('the sample partner logo', () => {
  it('is a valid 960 × 320 PNG with transparency, in two variants, made once', async () => {
    const logos = sampleLogos();
    expect(sampleLogos()).toBe(logos);
    for (const bytes of [logos.light, logos.dark]) {
      const image = await prepareImage(bytes, 'sample.png', 'k', nodeCodec);
      expect(image.info).toMatchObject({ format: 'png', width: 960, height: 320, hasAlpha: true, vector: false });
    }
    expect(Buffer.from(logos.light).equals(Buffer.from(logos.dark))).toBe(false);
  });
});
