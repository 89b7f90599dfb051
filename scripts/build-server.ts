// The server's half of `npm run build` (ADR 030): bundles server/index.ts — with server/, collab/ and the app
// modules they import — into build/server/index.js, so `npm start` runs JavaScript and compiles no TypeScript at
// start. Packages stay external (loaded from node_modules as installed); a module the server loads with
// `await import()` gets a chunk of its own under build/server/chunks/ and costs nothing until it is used.
// The Remix build (build/index.js) stays a separate module graph, loaded by server/app.ts (ADR 001).
import { rmSync } from "node:fs";
import { build } from "esbuild";

const outdir = "build/server";
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: ["server/index.ts"],
  outdir,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  tsconfig: "tsconfig.json",
  // Maps for `node --enable-source-maps` (stack traces name server/…, app/… lines), without the sources' text:
  // the files are in the repository, and Node reads and parses the map at every start.
  sourcemap: true,
  sourcesContent: false,
  metafile: true,
  logLevel: "warning",
});
// `~/…` is the app's own alias (tsconfig paths), never a package: a bundle that imports it would fail at start.
const stray = Object.values(result.metafile.outputs)
  .flatMap((o) => o.imports)
  .filter((i) => i.external && /^(~\/|\.{0,2}\/)/.test(i.path));
if (stray.length)
  throw new Error(`build-server: left unresolved: ${[...new Set(stray.map((i) => i.path))].join(", ")}`);
const bytes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith(".js"))
  .reduce((sum, [, o]) => sum + o.bytes, 0);
console.log(`server bundled: ${outdir}/index.js (${(bytes / 1024).toFixed(0)} KiB of JavaScript)`);
