import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * The layers of docs/architecture.md are held by `npm run lint` (eslint.config.js). These cases are
 * linted as if they were files of the project: each forbidden one must be refused by the rule that
 * names the layer, each allowed one must pass — so a config change that silently stops checking fails here.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe("architecture rules in the linter", () => {
  it("refuses the database client outside app/models", async () => {
    const found = await problems(
      "app/services/probe.server.ts",
      'import { getDb } from "~/db.server";\nexport const probe = () => getDb();\n',
    );
    expect(found.join("\n")).toMatch(/boundaries\/dependencies.*"services".*"db"/);
  });

  it("refuses Prisma calls and transactions in services, routes and server code", async () => {
    for (const file of ["app/services/probe.server.ts", "app/routes/probe.tsx", "server/probe.ts"]) {
      const found = await problems(
        file,
        'import { database } from "~/models/unit-of-work.server";\n' +
          "export const a = () => database().user.findMany();\n" +
          "export const b = () => database().$transaction(async () => 1);\n",
      );
      expect(found.filter((p) => p.startsWith("no-restricted-syntax")).length, file).toBe(2);
    }
  });

  it("keeps the domain pure and the policies free of models", async () => {
    expect(
      (
        await problems(
          "app/domain/probe.ts",
          'import { database } from "~/models/unit-of-work.server";\nexport const x = database;\n',
        )
      ).join(),
    ).toMatch(/boundaries\/dependencies/);
    expect(
      (
        await problems(
          "app/policies/probe.ts",
          'import { getDocumentFacts } from "~/models/document.server";\nexport const x = getDocumentFacts;\n',
        )
      ).join(),
    ).toMatch(/boundaries\/dependencies/);
  });

  it("lets a service call model functions through the unit of work", async () => {
    const found = await problems(
      "app/services/probe.server.ts",
      'import { database } from "~/models/unit-of-work.server";\nimport { getItemPage } from "~/models/tracked-item.server";\n' +
        'export const probe = () => getItemPage(database(), "x");\n',
    );
    expect(found).toEqual([]);
  });
});
