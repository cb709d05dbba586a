import { copyFileSync, closeSync, mkdtempSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSnapshotFromDataset, checksumPath, loadDataset } from "@backchannel/dataset";

const dataDir = join(dirname(fileURLToPath(import.meta.url)), "../../../data");
type Dataset = Parameters<typeof buildSnapshotFromDataset>[0];

export interface Version {
  datasetVersion: string;
  /** The title the watched event has in this version: a body tells which version answered it. */
  title: string;
}

/**
 * Two versions of the curated data, differing in one event's title (as a curator's edit would),
 * each built into the same snapshot path the way the build does it: a temporary file renamed into place.
 */
export function twoVersions() {
  const loaded = loadDataset(dataDir);
  if (!loaded.ok) throw new Error("the curated dataset does not load");
  const original = loaded.dataset;
  const eventId = original.events[0]!.id;
  const title = original.events[0]!.title;
  const edited: Dataset = { ...original, events: original.events.map((event, index) => (index === 0 ? { ...event, title: `${title} (edited)` } : event)) };
  const path = join(mkdtempSync(join(tmpdir(), "backchannel-live-")), "snapshot.sqlite");
  const versions = new Map<string, Version>();
  /** Builds `which` into the served path; returns its dataset version. */
  const build = (which: "a" | "b"): Version => {
    const dataset = which === "a" ? original : edited;
    const meta = buildSnapshotFromDataset(dataset, path);
    const version = { datasetVersion: meta.datasetVersion, title: dataset.events[0]!.title };
    versions.set(version.datasetVersion, version);
    return version;
  };
  /** Puts a copy of `which` with 4 KB overwritten in its middle at the served path, its checksum unchanged: a damaged file. */
  const installDamaged = (which: "a" | "b") => {
    const staging = join(mkdtempSync(join(tmpdir(), "backchannel-damaged-")), "snapshot.sqlite");
    buildSnapshotFromDataset(which === "a" ? original : edited, staging);
    const fd = openSync(staging, "r+");
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(statSync(staging).size / 2));
    closeSync(fd);
    copyFileSync(checksumPath(staging), `${staging}.sum`);
    renameSync(staging, path);
    renameSync(`${staging}.sum`, checksumPath(path));
  };
  return { path, eventId, versions, build, installDamaged };
}

/** The dataset version an ETag names (`"<version>-json"`, `W/"<version>-csv-br"`). */
export const versionOfEtag = (etag: string | null) => /"([0-9a-f]+)-/.exec(etag ?? "")?.[1];

/**
 * Checks that an answer comes from exactly one version: a 200 whose ETag names a version built in
 * this test, and whose body is that version's (its dataset version in /meta, its title for the event).
 */
export function fromOneVersion(versions: Map<string, Version>, eventId: string) {
  return (path: string, status: number, body: string, headers: { etag?: string | string[] }): string | undefined => {
    if (status !== 200) return `status ${status}`;
    const named = versionOfEtag(String(headers.etag ?? ""));
    const version = named && versions.get(named);
    if (!version) return `ETag ${String(headers.etag)} names no version built here`;
    const json = JSON.parse(body) as { datasetVersion?: string; title?: string; data?: { id: string; title: string }[] };
    if (path.endsWith("/meta") && json.datasetVersion !== named) return `ETag says ${named}, the body ${json.datasetVersion}`;
    if (path.endsWith(`/events/${eventId}`) && json.title !== version.title) return `ETag says ${named}, the title is that of another version: ${json.title}`;
    const listed = json.data?.find((item) => item.id === eventId);
    if (listed && listed.title !== version.title) return `ETag says ${named}, the listed title is that of another version: ${listed.title}`;
    return undefined;
  };
}
