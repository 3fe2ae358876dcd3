import { LockupError } from '../../core/errors.ts';

/**
 * Rules for entry names in a pack. A pack is never unpacked to disk, but
 * names still decide which entry is which, and a vendor's tools may unzip
 * it: so a name that could mean a different file anywhere is refused.
 */

const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;
const MAX_NAME = 255;

/** The reason a name is refused, or undefined when it is acceptable. */
export function entryNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_NAME) return `is longer than ${MAX_NAME} characters`;
  if (name.includes('\\')) return 'contains a backslash';
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return 'contains a control character';
  if (name.startsWith('/')) return 'is an absolute path';
  if (/^[a-zA-Z]:/.test(name)) return 'starts with a drive letter';
  if (name.endsWith('/')) return 'is a folder';
  const parts = name.split('/');
  for (const part of parts) {
    if (part === '') return 'has an empty path segment';
    if (part === '.' || part === '..') return `has a "${part}" segment`;
    if (WINDOWS_DEVICES.test(part)) return `names the device "${part}"`;
    if (/[<>:"|?*]/.test(part)) return 'contains a character Windows refuses in file names';
    if (/[. ]$/.test(part)) return 'has a segment ending in a dot or space';
  }
  if (name !== name.normalize('NFC')) return 'is not in Unicode normal form C';
  return undefined;
}

/** How a name compares for duplicates: case-folded NFC, as case-insensitive file systems see it. */
export function normalizedName(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** Throws `pack-invalid` for the first bad or duplicate name. */
export function checkEntryNames(names: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const problem = entryNameProblem(name);
    if (problem) throw new LockupError('pack-invalid', `The pack has an entry whose name ${problem}: ${JSON.stringify(name)}`, { entry: name });
    const key = normalizedName(name);
    const prior = seen.get(key);
    if (prior !== undefined) {
      throw new LockupError('pack-invalid', `The pack has two entries with the same name: ${JSON.stringify(prior)} and ${JSON.stringify(name)}`, { entry: name });
    }
    seen.set(key, name);
  }
}
