import { api, data } from "../api/client";
import { errorFromParts } from "../api/errors";
import type { Json } from "../api/types";

// The calls of the asset page and the create form. Every write carries the
// version it was based on (If-Match), so the API refuses it with 412 when
// someone else changed the asset in the meantime.

export type Asset = Json<"getAsset">;
export type AssetChange = Json<"listAssetHistory">["collection"][number];
export type ChangePage = Json<"listAssetHistory">;

/** The body of a write: only the keys to change, `null` clearing a value. */
export type AssetChanges = Record<string, unknown>;

const ifMatch = (version: number) => ({ "if-match": `"${version}"` });

/** `GET /assets/next-id` is the series route, so an asset with that (valid) ID is read from the list (docs/assets.md). */
export async function getAsset(id: string): Promise<Asset> {
  if (id !== "next-id") return data(api.GET("/api/v4/assets/{id}", { params: { path: { id } } }));
  const page = await data(api.GET("/api/v4/assets", { params: { query: { ids: id, include_inactive: true } } }));
  const asset = page.collection[0];
  if (!asset) throw errorFromParts(404, `asset '${id}' not found`, null);
  return asset as Asset;
}

export const patchAsset = (id: string, version: number, body: AssetChanges) =>
  data(api.PATCH("/api/v4/assets/{id}", { params: { path: { id }, header: ifMatch(version) }, body }));

export const deleteAsset = async (id: string, version: number) => {
  await api.DELETE("/api/v4/assets/{id}", { params: { path: { id }, header: ifMatch(version) } });
};

export const restoreAsset = (id: string, version: number) =>
  data(api.POST("/api/v4/assets/{id}/restore", { params: { path: { id }, header: ifMatch(version) } }));

export const createAsset = (body: AssetChanges) => data(api.POST("/api/v4/assets", { body }));

export const listChanges = (id: string, page: number, limit: number) =>
  data(api.GET("/api/v4/assets/{id}/changes", { params: { path: { id }, query: { page, limit } } }));

export const nextId = (prefix: string) => data(api.GET("/api/v4/assets/next-id", { params: { query: { prefix } } }));
