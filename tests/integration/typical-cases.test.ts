import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { getDb } from "~/db.server";
import { connectClient, waitFor, type TestClient } from "../collab/client";
import { buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * Issue 7 through the real server: a case drafted from the section template, the 脱敏检查 blocking
 * submit and publish, reviews by every releasing org's PUBLISHER, publishing under a slug, and the bad
 * input the workflow must refuse without changing anything.
 */
let app: RunningServer;
const clients: TestClient[] = [];
beforeAll(async () => {
  app = await startServer();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await app.close();
});

/** An 18-digit resident ID with a valid ISO 7064 MOD 11-2 check character. */
function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = first17.split("").reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + "10X98765432"[sum % 11];
}

function form(fields: Record<string, string>) {
  return { form: fields };
}

async function world() {
  const region = await buildRegion({ level: "CITY" });
  const bureau = await buildOrg({ kind: "JUSTICE_BUREAU", region });
  const court = await buildOrg({ kind: "COURT", region });
  const stranger = await buildOrg({ kind: "ENFORCEMENT_AGENCY", region });
  const users = {
    drafter: await buildUser({ org: bureau, role: "DRAFTER" }),
    publisher: await buildUser({ org: bureau, role: "PUBLISHER" }),
    courtDrafter: await buildUser({ org: court, role: "DRAFTER" }),
    courtPublisher: await buildUser({ org: court, role: "PUBLISHER" }),
    stranger: await buildUser({ org: stranger, role: "PUBLISHER" }),
  };
  const cookies = Object.fromEntries(
    await Promise.all(Object.entries(users).map(async ([k, u]) => [k, await buildSessionCookie(u.id)] as const)),
  ) as Record<keyof typeof users, string>;
  return { bureau, court, stranger, users, cookies };
}

type World = Awaited<ReturnType<typeof world>>;

async function createCase(w: World, title: string, extra: Record<string, string> = {}) {
  const res = await app.request("/typical-cases/new", {
    cookie: w.cookies.drafter,
    ...form({
      title,
      ownerOrgId: w.bureau.id,
      field: "市场监管",
      batch: "2026年上半年",
      parties: "王建军\n示例市鑫源食品有限公司",
      [`access.${w.court.id}`]: "WRITE",
      ...extra,
    }),
  });
  expect(res.status).toBe(302);
  return res.headers.get("location")!.split("/").pop()!;
}

/** Writes the five sections' text through a collab client (paragraph after each heading). */
async function writeSections(documentId: string, cookie: string, texts: string[]) {
  const client = connectClient(app.origin, documentId, cookie);
  clients.push(client);
  await client.synced();
  const fragment = client.doc.getXmlFragment("default");
  await waitFor(() => fragment.length >= 10, 5000, "template synced");
  client.doc.transact(() => {
    texts.forEach((t, i) => {
      const paragraph = fragment.get(i * 2 + 1) as Y.XmlElement;
      if (paragraph.length) paragraph.delete(0, paragraph.length);
      if (t) paragraph.insert(0, [new Y.XmlText(t)]);
    });
  });
  return client;
}

const post = (id: string, cookie: string, fields: Record<string, string>) =>
  app.request(`/documents/${id}/case`, { cookie, ...form(fields) });
const status = async (id: string) =>
  (await getDb().document.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;

describe("typical cases (典型案例)", () => {
  it("a clean text whose link address carries an ID number and a mobile number cannot be submitted", async () => {
    const w = await world();
    const id = await createCase(w, `链接地址脱敏测试${Date.now()}`);
    const client = await writeSections(id, w.cookies.drafter, [
      "程序正当",
      "",
      "监督机关督促重新作出处罚决定。",
      "本案明确了程序正当原则。",
      "《中华人民共和国行政处罚法》第四十四条",
    ]);
    const idNumber = residentId("33010219850315421");
    const href = `https://sfj.example.gov.cn/case?sfz=${idNumber}&tel=13812345678`;
    const fragment = client.doc.getXmlFragment("default");
    client.doc.transact(() => {
      const paragraph = fragment.get(3) as Y.XmlElement;
      const text = new Y.XmlText();
      paragraph.insert(0, [text]);
      text.insert(0, "当事人经营的某食品有限公司销售过期食品（详见", {});
      text.insert(text.length, "处罚决定书", { link: { href } });
      text.insert(text.length, "）。", {});
    });
    let findings: Array<{ kind: string; where: string; text: string }> = [];
    await waitFor(
      async () => {
        const res = await post(id, w.cookies.drafter, { intent: "check" });
        findings = ((await res.json()) as { check: { findings: typeof findings } }).check.findings;
        return findings.length >= 2;
      },
      8000,
      "the link address is checked",
    );
    expect(findings.filter((f) => f.where === "link").map((f) => [f.kind, f.text])).toEqual(
      expect.arrayContaining([
        ["ID_NUMBER", idNumber],
        ["MOBILE", "13812345678"],
      ]),
    );
    const refused = await post(id, w.cookies.drafter, { intent: "submit" });
    expect(refused.status).toBe(409);
    expect(await status(id)).toBe("DRAFT");
  });

  it("the redaction check blocks submit until fixed; every releasing org's publisher reviews; the publisher publishes under a slug", async () => {
    const w = await world();
    const id = await createCase(w, `行政处罚程序违法监督案${Date.now()}`);
    const id17 = residentId("33010219850315123");
    const client = await writeSections(id, w.cookies.drafter, [
      "程序正当、行政处罚",
      `当事人王建军（身份证号${id17}，联系电话13812345678）经营的示例市鑫源食品有限公司销售过期食品。`,
      "监督机关督促重新作出处罚决定。",
      "本案明确了程序正当原则。",
      "《中华人民共和国行政处罚法》第四十四条",
    ]);

    // 脱敏检查: ID number, mobile and the listed parties.
    const checked = await post(id, w.cookies.drafter, { intent: "check" });
    expect(checked.status).toBe(200);
    const body = (await checked.json()) as {
      ok: boolean;
      check: { findings: Array<{ kind: string; text: string; replacement: string; key: string }>; blocking: number };
    };
    const kinds = body.check.findings.map((f) => f.kind);
    expect(kinds).toEqual(expect.arrayContaining(["ID_NUMBER", "MOBILE", "PERSON_NAME", "COMPANY_NAME"]));
    expect(body.check.findings.find((f) => f.kind === "ID_NUMBER")!.text).toBe(id17);
    expect(body.check.blocking).toBeGreaterThanOrEqual(4);

    // Submit is refused with the reason; nothing changes.
    const refused = await post(id, w.cookies.drafter, { intent: "submit" });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toContain("脱敏检查");
    expect(await status(id)).toBe("DRAFT");
    // The generic countersign request goes through the same checks.
    expect(
      (await app.request(`/documents/${id}`, { cookie: w.cookies.drafter, ...form({ intent: "requestCountersign" }) }))
        .status,
    ).toBe(409);
    expect(await status(id)).toBe("DRAFT");

    // Only a PUBLISHER of a releasing org may override a finding; the stranger may not even see the case.
    expect(
      (
        await post(id, w.cookies.drafter, {
          intent: "override",
          key: body.check.findings[0].key,
          reason: "不是个人信息",
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await post(id, w.cookies.stranger, {
          intent: "override",
          key: body.check.findings[0].key,
          reason: "不是个人信息",
        })
      ).status,
    ).toBe(403);

    // Fix through the editor's text (as the one-click fixes do) and check again.
    const fixed = `当事人王某经营的某食品有限公司销售过期食品。`;
    await writeSections(id, w.cookies.courtDrafter, [
      "程序正当、行政处罚",
      fixed,
      "监督机关督促重新作出处罚决定。",
      "本案明确了程序正当原则。",
      "《中华人民共和国行政处罚法》第四十四条",
    ]);
    await waitFor(
      async () => {
        const again = (await (await post(id, w.cookies.drafter, { intent: "check" })).json()) as {
          check: { blocking: number };
        };
        return again.check.blocking === 0;
      },
      8000,
      "check passes after the fix",
    );

    // Publishing before approval is refused.
    const early = await post(id, w.cookies.publisher, { intent: "publish", slug: "too-early" });
    expect(early.status).toBe(409);
    expect(((await early.json()) as { message: string }).message).toContain("审核");

    const submitted = await post(id, w.cookies.drafter, { intent: "submit" });
    expect(submitted.status).toBe(200);
    expect(await status(id)).toBe("COUNTERSIGNING");
    // Review: a drafter cannot approve; each releasing org's PUBLISHER (owner included) must.
    expect(
      (await app.request(`/documents/${id}`, { cookie: w.cookies.courtDrafter, ...form({ intent: "approve" }) }))
        .status,
    ).toBe(403);
    expect(
      (await app.request(`/documents/${id}`, { cookie: w.cookies.publisher, ...form({ intent: "approve" }) })).status,
    ).toBe(302);
    expect(await status(id)).toBe("COUNTERSIGNING");
    expect(
      (await app.request(`/documents/${id}`, { cookie: w.cookies.courtPublisher, ...form({ intent: "approve" }) }))
        .status,
    ).toBe(302);
    expect(await status(id)).toBe("FINALIZED");

    // Bad slugs; then publish.
    for (const slug of ["Bad Slug", "../x", "中文", ""]) {
      const bad = await post(id, w.cookies.publisher, { intent: "publish", slug });
      expect(bad.status).toBe(400);
    }
    expect(
      (await post(id, w.cookies.courtPublisher, { intent: "publish", slug: `case-${id.slice(0, 6).toLowerCase()}` }))
        .status,
    ).toBe(403);
    const slug = `case-${id.slice(0, 8).toLowerCase()}`;
    const published = await post(id, w.cookies.publisher, { intent: "publish", slug });
    expect(published.status).toBe(200);
    expect(await status(id)).toBe("PUBLISHED");
    const publication = await getDb().publication.findFirstOrThrow({
      where: { documentId: id },
      select: { slug: true, text: true, keywords: true, orgs: true },
    });
    expect(publication.slug).toBe(slug);
    expect(publication.text).not.toContain("王建军");
    expect(publication.text).not.toContain(id17);
    expect(JSON.parse(publication.keywords)).toEqual(["程序正当", "行政处罚"]);
    expect(JSON.parse(publication.orgs)).toEqual([w.bureau.name, w.court.name]);

    // The public page (no sign-in) shows the frozen text and never the parties.
    const page = await app.request(`/cases/${slug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("某食品有限公司");
    expect(html).not.toContain("王建军");
    expect(html).not.toContain("鑫源");
    expect((await app.request(`/cases/${id.toLowerCase()}`)).status).toBe(404);

    const audit = await getDb().auditEvent.findMany({
      where: { targetType: "Document", targetId: id },
      select: { action: true },
    });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        "case.created",
        "document.countersign_requested",
        "document.finalized",
        "case.published",
      ]),
    );
    client.destroy();
  }, 60_000);

  it("refuses bad input in Chinese and changes nothing: wrong batch label, empty sections, slug collision, publishing a draft", async () => {
    const w = await world();
    // Scoped to this world: other files create cases at the same time on the shared PostgreSQL database.
    const countCases = () => getDb().typicalCase.count({ where: { document: { ownerOrgId: w.bureau.id } } });
    const before = await countCases();
    const valid: Record<string, string> = {
      title: "标题",
      ownerOrgId: w.bureau.id,
      field: "市场监管",
      batch: "2026年上半年",
      parties: "",
    };
    const cases: Array<[Record<string, string>, string]> = [
      [{ batch: "2026年第一批" }, "批次应写作"],
      [{ batch: "2026上半年" }, "批次应写作"],
      [{ field: "天文" }, "请选择领域"],
      [{ title: "" }, "必填"],
    ];
    for (const [fields, message] of cases) {
      const res = await app.request("/typical-cases/new", {
        cookie: w.cookies.drafter,
        ...form({ ...valid, ...fields }),
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(message);
    }
    expect(await countCases()).toBe(before);

    const a = await createCase(w, `A案${Date.now()}`);
    const b = await createCase(w, `B案${Date.now()}`);
    // The metadata form refuses a wrong batch and keeps the old one.
    const meta = await post(a, w.cookies.drafter, {
      intent: "meta",
      title: "A案",
      field: "市场监管",
      batch: "2026年第三季度",
      parties: "",
    });
    expect(meta.status).toBe(400);
    expect(
      (await getDb().typicalCase.findUniqueOrThrow({ where: { documentId: a }, select: { batch: true } })).batch,
    ).toBe("2026年上半年");

    // Empty required sections block submit.
    await writeSections(a, w.cookies.drafter, ["关键词一", "基本案情内容。", "", "典型意义内容。", ""]);
    const empty = await post(a, w.cookies.drafter, { intent: "submit" });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { message: string }).message).toMatch(
      /处理结果.*关联法条.*不能为空|不能为空.*处理结果/,
    );
    expect(await status(a)).toBe("DRAFT");

    // Publishing a draft is refused.
    expect((await post(a, w.cookies.publisher, { intent: "publish", slug: "draft-case" })).status).toBe(409);

    // Two approved cases, one slug.
    for (const id of [a, b]) {
      await writeSections(id, w.cookies.drafter, ["关键词", "某公司违法经营。", "依法处罚。", "警示意义。", "第一条"]);
      await waitFor(
        async () => (await post(id, w.cookies.drafter, { intent: "submit" })).status === 200,
        8000,
        "submitted",
      );
      expect(
        (await app.request(`/documents/${id}`, { cookie: w.cookies.publisher, ...form({ intent: "approve" }) })).status,
      ).toBe(302);
      expect(
        (await app.request(`/documents/${id}`, { cookie: w.cookies.courtPublisher, ...form({ intent: "approve" }) }))
          .status,
      ).toBe(302);
    }
    const slug = `same-${a.slice(0, 6).toLowerCase()}`;
    expect((await post(a, w.cookies.publisher, { intent: "publish", slug })).status).toBe(200);
    const collision = await post(b, w.cookies.publisher, { intent: "publish", slug });
    expect(collision.status).toBe(400);
    expect(((await collision.json()) as { message: string }).message).toContain("已被其他案例使用");
    expect(await status(b)).toBe("FINALIZED");
    expect(await getDb().publication.count({ where: { documentId: b } })).toBe(0);

    // Outsiders: 403 on the page and the workflow; anonymous: the draft's page goes to sign-in.
    expect((await app.request(`/documents/${b}`, { cookie: w.cookies.stranger })).status).toBe(403);
    expect((await post(b, w.cookies.stranger, { intent: "check" })).status).toBe(403);
    const anonymous = await app.request(`/documents/${b}`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toContain("/login");
  }, 60_000);
});
