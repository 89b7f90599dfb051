import js from "@eslint/js";
import boundaries from "eslint-plugin-boundaries";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const layer = (type) => ({ element: { type } });
const anyOf = (...types) => ({ element: { types: { anyOf: types } } });

export default tseslint.config(
  {
    ignores: [
      "build/",
      "public/build/",
      "app/generated/",
      "node_modules/",
      "data/",
      "test-results/",
      "playwright-report/",
      ".cache/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // Functions a reader can hold in their head (docs/architecture.md "Conventions"); the exceptions say why in place.
  {
    files: ["app/**/*.{ts,tsx}", "collab/**/*.ts", "server/**/*.ts"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: { "max-lines-per-function": ["error", { max: 120, skipBlankLines: true, skipComments: true }] },
  },
  // The layers of docs/architecture.md, held here: an import against them fails `npm run lint`.
  {
    files: ["app/**/*.{ts,tsx}", "collab/**/*.ts", "server/**/*.ts"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    plugins: { boundaries },
    settings: {
      "import/resolver": { typescript: { project: "./tsconfig.json" } },
      "boundaries/include": ["app/**/*", "collab/**/*", "server/**/*"],
      "boundaries/elements": [
        { type: "domain", pattern: "app/domain/**" },
        { type: "policies", pattern: "app/policies/**" },
        { type: "models", pattern: "app/models/**" },
        { type: "services", pattern: "app/services/**" },
        { type: "routes", pattern: "app/routes/**" },
        { type: "components", pattern: "app/components/**" },
        { type: "editor-schema", pattern: "app/editor/schema/**" },
        { type: "editor-react", pattern: "app/editor/react/**" },
        { type: "protocol", pattern: "app/protocol/**" },
        { type: "db", pattern: ["app/db.server.ts", "app/generated/**"], mode: "full" },
        { type: "env", pattern: "app/env.server.ts", mode: "full" },
        { type: "utils", pattern: "app/utils/**" },
        { type: "realtime-client", pattern: "app/realtime/**" },
        { type: "app-root", pattern: ["app/root.tsx", "app/entry.*.tsx", "app/load-context.ts"], mode: "full" },
        { type: "collab", pattern: "collab/**" },
        { type: "server", pattern: "server/**" },
      ],
    },
    rules: {
      "boundaries/dependencies": [
        2,
        {
          default: "disallow",
          policies: [
            { from: layer("domain"), allow: { to: layer("domain") } },
            { from: layer("policies"), allow: { to: anyOf("domain", "policies") } },
            { from: layer("models"), allow: { to: anyOf("models", "domain", "db", "utils", "editor-schema") } },
            {
              from: layer("services"),
              allow: {
                to: anyOf(
                  "services",
                  "models",
                  "policies",
                  "domain",
                  "editor-schema",
                  "utils",
                  "env",
                  "app-root",
                  "protocol",
                ),
              },
            },
            {
              from: layer("routes"),
              allow: {
                to: anyOf(
                  "services",
                  "models",
                  "policies",
                  "components",
                  "domain",
                  "editor-react",
                  "editor-schema",
                  "utils",
                  "app-root",
                  "realtime-client",
                  "protocol",
                  "env",
                ),
              },
            },
            {
              from: layer("components"),
              allow: { to: anyOf("components", "editor-react", "editor-schema", "domain", "utils", "realtime-client") },
            },
            { from: layer("editor-schema"), allow: { to: anyOf("editor-schema", "domain") } },
            {
              from: layer("editor-react"),
              allow: {
                to: anyOf(
                  "editor-react",
                  "editor-schema",
                  "components",
                  "domain",
                  "protocol",
                  "utils",
                  "realtime-client",
                ),
              },
            },
            { from: layer("utils"), allow: { to: anyOf("utils", "domain", "env") } },
            { from: layer("env"), allow: { to: layer("domain") } },
            { from: layer("db"), allow: { to: anyOf("db", "env") } },
            { from: layer("realtime-client"), allow: { to: anyOf("domain", "protocol") } },
            { from: layer("protocol"), allow: { to: layer("domain") } },
            {
              from: layer("app-root"),
              allow: { to: anyOf("app-root", "components", "utils", "domain", "services", "editor-react", "protocol") },
            },
            {
              from: layer("collab"),
              allow: { to: anyOf("collab", "policies", "models", "editor-schema", "domain", "protocol", "utils") },
            },
            {
              from: layer("server"),
              allow: {
                to: anyOf(
                  "server",
                  "services",
                  "models",
                  "policies",
                  "domain",
                  "collab",
                  "protocol",
                  "env",
                  "utils",
                  "app-root",
                  "editor-schema",
                ),
              },
            },
          ],
        },
      ],
    },
  },
  // Prisma is queried in app/models only: no model-delegate calls (`tx.user.findMany(…)`) above it.
  {
    files: ["app/services/**/*.{ts,tsx}", "app/routes/**/*.{ts,tsx}", "server/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "CallExpression[callee.type='MemberExpression'][callee.object.type='MemberExpression'][callee.property.name=/^(findMany|findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy)$/]",
          message: "Query the database in app/models (ADR 016): add a model function and call it.",
        },
        {
          selector:
            "CallExpression[callee.property.name=/^\\$(queryRaw|queryRawUnsafe|executeRaw|executeRawUnsafe|transaction)$/]",
          message:
            "Raw queries and transactions belong to app/models (use transaction() from ~/models/unit-of-work.server).",
        },
      ],
    },
  },
);
