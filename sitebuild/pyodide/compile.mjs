// Runs inside Node.js at build time: boots the pinned Pyodide from node_modules, installs the
// triage wheel exactly as the browser worker does, and runs stdlib_pyc.py inside Pyodide to write
// bytecode (compiled by Pyodide's own CPython, whose .pyc the browser accepts) for the stdlib
// subset the engine uses and for the wheel. Usage:
//   node compile.mjs <pyodide dir> <wheel> <data dir> <samples.json> <out dir> <stdlib_pyc.py>
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheel, dataDir, samples, outDir, script] = process.argv.slice(2);
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
console.log(report);
