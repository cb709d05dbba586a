import { error } from "@sveltejs/kit";
import { version } from "$app/environment";
import { z } from "zod";
import { renderBasemap } from "$lib/server/map";
import { THEMES } from "$lib/theme";
import type { RequestHandler } from "./$types";

const ViewSchema = z.strictObject({
  west: z.coerce.number().min(-180).max(180),
  east: z.coerce.number().min(-180).max(180),
  south: z.coerce.number().min(-90).max(90),
  north: z.coerce.number().min(-90).max(90),
  width: z.coerce.number().int().min(50).max(2000),
  height: z.coerce.number().int().min(50).max(2000),
  theme: z.enum(THEMES).optional(),
  // The release that drew the page asking for it (see renderMap).
  v: z.string().max(64).optional(),
});

/** The countries for one map view; the same view always draws the same image, so it is cached. */
export const GET: RequestHandler = ({ url, locals }) => {
  const view = ViewSchema.safeParse(Object.fromEntries(url.searchParams));
  if (!view.success) error(400, { message: `bad map view: ${view.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, kind: "bad-request" });
  const { width, height, theme, v, ...bounds } = view.data;
  if (bounds.east <= bounds.west || bounds.north <= bounds.south) error(400, { message: "bad map view: east must exceed west and north south", kind: "bad-request" });
  return new Response(renderBasemap(bounds, width, height, theme ?? locals.theme), {
    // Named by this release, the image never changes; asked without (or by another release), a day.
    headers: { "Content-Type": "image/svg+xml; charset=utf-8", "Cache-Control": v === version ? "public, max-age=31536000, immutable" : "public, max-age=86400" },
  });
};
