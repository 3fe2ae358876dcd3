import { LockupError } from '../errors.ts';
import { Brand, BRAND_FORMAT_VERSION } from './brand.ts';
import { DOCUMENT_FORMAT_VERSION, PartnerDocument, PartnerProfile } from './document.ts';
import { createMigrator } from './migrate.ts';
import { Template, TEMPLATE_FORMAT_VERSION } from './template.ts';
import { parseOrThrow } from './validate.ts';

/*
 * Format migrations, one list per file kind. Version 1 is the first shipped
 * format, so the lists are empty; a change to a shipped format adds a step
 * here (with its own test) and bumps the *_FORMAT_VERSION constant.
 */
export const templateMigrator = createMigrator('template', TEMPLATE_FORMAT_VERSION, [], 'template-invalid');
export const documentMigrator = createMigrator('document', DOCUMENT_FORMAT_VERSION, [], 'document-invalid');
export const brandMigrator = createMigrator('brand', BRAND_FORMAT_VERSION, [], 'brand-invalid');

/** Migrates and validates a template; errors carry the JSON path of the fault. */
export function loadTemplate(data: unknown): Template {
  return parseOrThrow(Template, templateMigrator.migrate(data), 'template-invalid', 'Template');
}

export function loadDocument(data: unknown): PartnerDocument {
  return parseOrThrow(PartnerDocument, documentMigrator.migrate(data), 'document-invalid', 'Document');
}

export function loadBrand(data: unknown): Brand {
  return parseOrThrow(Brand, brandMigrator.migrate(data), 'brand-invalid', 'Brand');
}

export function loadProfile(data: unknown): PartnerProfile {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new LockupError('profile-invalid', 'Partner profile must be a JSON object');
  }
  return parseOrThrow(PartnerProfile, data, 'profile-invalid', 'Partner profile');
}

export * from './access.ts';
export * from './brand.ts';
export * from './condition.ts';
export * from './document.ts';
export * from './template.ts';
export { jsonPath, parseJson, parseOrThrow } from './validate.ts';
