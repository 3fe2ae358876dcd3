/**
 * Vendor workspace operations: brand kit and access levels.
 * Merged into API (api.ts); handlers in backend/api/vendor-ops.ts.
 */
export const VENDOR_API = {} as const;
