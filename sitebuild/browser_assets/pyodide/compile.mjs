// Runs inside Node.js at build time: boots the pinned Pyodide from node_modules, installs the
// triage wheel exactly as the browser worker does, and runs stdlib_pyc.py inside Pyodide to write
// bytecode (compiled by Pyodide's own CPython, whose .pyc the browser accepts) for the stdlib
// subset the engine uses and for the wheel. Usage:
//   node compile.mjs <pyodide dir> <wheel> <data dir> <samples.json> <out dir> <stdlib_pyc.py> [<snapshot_prep.py>]
// With the last argument it also boots a second Pyodide from the bytecode it just wrote, installs
// the bytecode wheel, runs snapshot_prep.py and saves a memory snapshot (out/snapshot.bin): a
// restore needs the byte-identical stdlib zip, so both are made together.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheel, dataDir, samples, outDir, script, snapshotScript] = process.argv.slice(2);
const pyodideAbs = path.resolve(pyodideDir);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideAbs, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideAbs + path.sep, stdout: () => {}, stderr: (s) => console.error(s) });
const sitePackages = pyodide.pyimport("site").getsitepackages().toJs()[0];
pyodide.unpackArchive(new Uint8Array(fs.readFileSync(wheel)), "wheel", { extractDir: sitePackages });
pyodide.FS.mkdirTree("/build/data");
pyodide.FS.mkdirTree("/build/out");
for (const name of fs.readdirSync(dataDir)) {
  pyodide.FS.writeFile(`/build/data/${name}`, fs.readFileSync(path.join(dataDir, name)));
}
pyodide.FS.writeFile("/build/samples.json", fs.readFileSync(samples));
pyodide.globals.set("WHEEL_NAME", path.basename(wheel));
pyodide.globals.set("SITE_PACKAGES", sitePackages);
const report = pyodide.runPython(fs.readFileSync(script, "utf8"));
fs.mkdirSync(outDir, { recursive: true });
for (const name of pyodide.FS.readdir("/build/out")) {
  if (name === "." || name === "..") continue;
  fs.writeFileSync(path.join(outDir, name), pyodide.FS.readFile(`/build/out/${name}`));
}
if (snapshotScript) {
  const stdlibPath = path.join(outDir, "python_stdlib.zip");
  const snap = await loadPyodide({ indexURL: pyodideAbs + path.sep, stdLibURL: stdlibPath, _makeSnapshot: true,
                                   stdout: () => {}, stderr: (s) => console.error(s) });
  const snapSite = snap.pyimport("site").getsitepackages().toJs()[0];
  const bytecodeWheel = path.join(outDir, path.basename(wheel));
  snap.unpackArchive(new Uint8Array(fs.readFileSync(bytecodeWheel)), "wheel", { extractDir: snapSite });
  snap.runPython(fs.readFileSync(snapshotScript, "utf8"));
  fs.writeFileSync(path.join(outDir, "snapshot.bin"), snap.makeMemorySnapshot());
}
console.log(report);
