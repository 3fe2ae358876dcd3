/**
 * Signed packs and partner credentials in the app (File → Publish pack…,
 * Open pack…, Import credential…). Handlers in backend/api/pack-ops.ts.
 */
export const PACK_API = {} as const;
