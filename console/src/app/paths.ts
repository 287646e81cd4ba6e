// The console's paths that several screens link to.

/** One asset's page; the ID encoded, since an ID may hold "/", "?" or "#". */
export const assetHref = (id: string) => `/assets/${encodeURIComponent(id)}`;

/** The create form. Not /assets/new: "new" is a valid asset ID, which that path would hide (as the API keeps /asset-stats apart). */
export const NEW_ASSET = "/new-asset";
