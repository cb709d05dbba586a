// The changes page and the overview's link to it, rendered on the server over a snapshot built
// twice in the same place: the curated record, then a copy with one event retitled.
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { render } from "svelte/server";
import { parseDocument } from "yaml";
import { afterAll, describe, expect, it, vi } from "vitest";
import { buildSnapshot, root } from "../../../scripts/stack.mjs";
import { inProcess } from "../../../tests/in-process";
import { load as loadOverview } from "../+page.server";
import OverviewPage from "../+page.svelte";
import { load as loadChanges } from "./+page.server";
import ChangesPage from "./+page.svelte";

vi.mock("$app/state", () => ({ page: { data: { theme: "system" }, url: new URL("http://dashboard.test/") } }));

const copy = mkdtempSync(join(tmpdir(), "backchannel-changes-"));
cpSync(join(root, "data"), copy, { recursive: true });
const file = readdirSync(join(copy, "events")).sort()[0]!;
const doc = parseDocument(readFileSync(join(copy, "events", file), "utf8"));
const id = String(doc.get("id"));
doc.set("title", "A title the next version gave it");
writeFileSync(join(copy, "events", file), doc.toString());
const target = buildSnapshot(join(root, "data"));
buildSnapshot(copy, target);

const { snapshot, kit } = inProcess(target);
afterAll(() => snapshot.close());

describe("the changes page", () => {
  it("lists the latest version's changes: the retitled event, linked, with the field that changed", async () => {
    const data = await loadChanges(kit("/changes"));
    const { body } = render(ChangesPage, { props: { data } as never });
    expect(body).toContain(`Version <code>${snapshot.meta.datasetVersion}</code>`);
    const row = body.slice(body.indexOf(`href="/events/${id}"`) - 200, body.indexOf(`href="/events/${id}"`) + 200);
    expect(row).toContain("Changed");
    expect(row).toContain("A title the next version gave it");
    expect(row).toContain("<td>title</td>");
    expect(body).toContain("1 changed");
  });

  it("says so when nothing changed since the version asked for", async () => {
    const data = await loadChanges(kit(`/changes?since=${snapshot.meta.datasetVersion}`));
    expect(render(ChangesPage, { props: { data } as never }).body).toContain("Nothing has changed since that version.");
  });

  it("is linked from the overview with the latest version's counts", async () => {
    const data = await loadOverview(kit("/"));
    const { body } = render(OverviewPage, { props: { data } as never });
    const said = body.slice(body.indexOf('class="latest-changes"'), body.indexOf("</p>", body.indexOf('class="latest-changes"')));
    expect(said).toContain("The latest version added 0, changed 1 and removed 0 records.");
    expect(said).toContain('<a href="/changes">What changed →</a>');
  });
});
