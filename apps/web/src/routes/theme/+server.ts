import { error, redirect } from "@sveltejs/kit";
import { sameSitePath } from "$lib/same-site";
import { THEMES, isTheme } from "$lib/theme";
import type { RequestHandler } from "./$types";

/** `/theme?set=dark&back=/events` — a plain link, so the switch works without script. */
export const GET: RequestHandler = ({ url, cookies }) => {
  const set = url.searchParams.get("set");
  if (!isTheme(set)) error(400, { message: `theme must be one of ${THEMES.join(", ")}`, kind: "bad-request" });
  cookies.set("theme", set, { path: "/", maxAge: 60 * 60 * 24 * 365, httpOnly: false, sameSite: "lax", secure: false });
  // Only paths on this site: never an open redirect.
  redirect(303, sameSitePath(url.searchParams.get("back")));
};
