/**
 * Template designer operations: drafts, preview, publish.
 * Merged into API (api.ts); handlers in backend/api/designer-ops.ts.
 */
export const DESIGNER_API = {} as const;
