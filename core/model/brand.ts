import { z } from 'zod';
import { AccessLevels, Id } from './access.ts';
import { AssetRef, Length } from './template.ts';

export const BRAND_FORMAT = 'lockup.brand';
export const BRAND_FORMAT_VERSION = 1;

export const PaletteEntry = z
  .object({
    id: Id,
    name: z.string().min(1).max(80),
    hex: z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'must be "#RRGGBB"'),
    /** CMYK in percent, used for print output. */
    cmyk: z.tuple([z.number().min(0).max(100), z.number().min(0).max(100), z.number().min(0).max(100), z.number().min(0).max(100)]),
  })
  .strict();
export type PaletteEntry = z.infer<typeof PaletteEntry>;

export const BrandFont = z
  .object({
    id: Id,
    family: z.string().min(1).max(80),
    weight: z.number().int().min(100).max(1000).default(400),
    style: z.enum(['normal', 'italic']).default('normal'),
    file: AssetRef,
    licence: z.string().min(1).max(200),
  })
  .strict();
export type BrandFont = z.infer<typeof BrandFont>;

/** Fonts used for partner-supplied text in a script the brand fonts cannot draw. */
export const FallbackFont = z
  .object({
    /** ISO 15924 script name as used by Unicode, e.g. "Arabic", "Hebrew", "Han". */
    script: z.string().min(1).max(40),
    fonts: z.array(Id).min(1),
  })
  .strict();

export const LOGO_FORMATS = ['png', 'jpeg', 'pdf', 'svg'] as const;
export type LogoFormat = (typeof LOGO_FORMATS)[number];

export const BrandLogo = z
  .object({
    id: Id,
    name: z.string().min(1).max(80),
    file: AssetRef,
    /** The background this variant is designed for. */
    background: z.enum(['light', 'dark']),
  })
  .strict();
export type BrandLogo = z.infer<typeof BrandLogo>;

const Severity = z.enum(['error', 'warning']);

/** Brand rules. Each is data in the catalogue; thresholds are the vendor's to set. */
export const BrandRules = z
  .object({
    logoMinSize: z
      .object({ minWidth: Length.optional(), minHeight: Length.optional(), severity: Severity.default('error') })
      .strict()
      .default({ minWidth: '20mm', severity: 'error' }),
    logoClearSpace: z
      .object({ fraction: z.number().min(0).max(2), severity: Severity.default('error') })
      .strict()
      .default({ fraction: 0.25, severity: 'error' }),
    imageResolution: z
      .object({
        screen: z.object({ error: z.number().positive(), warning: z.number().positive() }).strict(),
        print: z.object({ error: z.number().positive(), warning: z.number().positive().optional() }).strict(),
      })
      .strict()
      .default({ screen: { error: 96, warning: 150 }, print: { error: 300 } }),
    textContrast: z
      .object({ minRatio: z.number().min(1).max(21), largeTextMinRatio: z.number().min(1).max(21), severity: Severity.default('error') })
      .strict()
      .default({ minRatio: 4.5, largeTextMinRatio: 3, severity: 'error' }),
    paletteOnly: z.object({ enabled: z.boolean(), severity: Severity.default('error') }).strict().default({ enabled: true, severity: 'error' }),
    logoFormats: z
      .object({ allowed: z.array(z.enum(LOGO_FORMATS)).min(1) })
      .strict()
      .default({ allowed: ['png', 'jpeg', 'pdf', 'svg'] }),
  })
  .strict();
export type BrandRules = z.infer<typeof BrandRules>;

export const Brand = z
  .object({
    format: z.literal(BRAND_FORMAT),
    formatVersion: z.literal(BRAND_FORMAT_VERSION),
    id: Id,
    name: z.string().min(1).max(120),
    palette: z.array(PaletteEntry).min(1),
    fonts: z.array(BrandFont).min(1),
    fallbackFonts: z.array(FallbackFont).default([]),
    logos: z.array(BrandLogo).min(1),
    rules: BrandRules.default(BrandRules.parse({})),
    access: AccessLevels,
  })
  .strict()
  .superRefine((b, ctx) => {
    const fontIds = new Set(b.fonts.map((f) => f.id));
    const dup = <T extends { id: string }>(list: T[], key: string) =>
      list.forEach((e, i) => {
        if (list.findIndex((o) => o.id === e.id) !== i) ctx.addIssue({ code: 'custom', path: [key, i, 'id'], message: `duplicate id "${e.id}"` });
      });
    dup(b.palette, 'palette');
    dup(b.fonts, 'fonts');
    dup(b.logos, 'logos');
    b.fallbackFonts.forEach((fb, i) =>
      fb.fonts.forEach((f, j) => {
        if (!fontIds.has(f)) ctx.addIssue({ code: 'custom', path: ['fallbackFonts', i, 'fonts', j], message: `no brand font "${f}"` });
      }),
    );
  });
export type Brand = z.infer<typeof Brand>;
export type BrandInput = z.input<typeof Brand>;
