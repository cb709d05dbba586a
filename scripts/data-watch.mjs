// `npm start` and `npm run serve:cluster`: a change to data/ is rebuilt into the snapshot, which the
// running API then switches to (apps/api/src/serve/live-app.ts).
import { spawn } from "node:child_process";
import { watch } from "node:fs";
import { join } from "node:path";

/**
 * Rebuilds the snapshot when the data folder changes (an edit, or the curator's review writing
 * records), 500 ms after the last change, one build at a time. The build (`snapshot --if-stale`)
 * writes a temporary file and renames it into place; data with a problem is reported and the
 * served snapshot stays as it was. `onBuilt(exitCode)` follows each build. Returns a function that stops watching.
 */
export function rebuildOnDataChange({ root, dataDir, snapshot, env = process.env, stdio = "inherit", debounceMs = 500, onBuilt = () => {} }) {
  let timer;
  let building = false;
  let again = false;
  const rebuild = () => {
    if (building) return void (again = true);
    building = true;
    const child = spawn(process.execPath, [join(root, "packages/dataset/dist/cli.js"), "snapshot", dataDir, snapshot, "--if-stale"], { cwd: root, env, stdio });
    child.on("exit", (code) => {
      building = false;
      onBuilt(code ?? 1);
      if (again) (again = false), rebuild();
    });
  };
  const watcher = watch(dataDir, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(rebuild, debounceMs);
  });
  return () => (clearTimeout(timer), watcher.close());
}
