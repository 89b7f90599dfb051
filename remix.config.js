/** Remix v2 classic compiler (docs/decisions/001-remix-classic-compiler.md). */
/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // Bundled, so the server build holds only the icons it uses: Node would otherwise load the package's CommonJS
  // file with all ~1,700 icons at every start (ADR 030).
  serverDependenciesToBundle: [/^lucide-react/],
  browserNodeBuiltinsPolyfill: { modules: { crypto: "empty" } },
  tailwind: true,
  postcss: true,
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
