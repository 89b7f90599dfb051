import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { EXTERNAL_REFUSAL } from "~/domain/external";
import { buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { sessionCookieFrom, startServer, type RunningServer } from "./helpers";

/**
 * 专家库 (ADR 024) through the real server (needs the current Remix build): the keepers of a region's
 * pool (its justice bureau's ADMIN/COORDINATOR) add, edit, 停用 / 启用 and open accounts; conveners
 * browse the pools of their region and the regions above without the contact; everyone else gets a
 * Chinese 403. Every count is scoped to this file's own regions (the PostgreSQL check runs test files
 * at once on one database).
 */
let app: RunningServer;
beforeAll(async () => {
  app = await startServer();
});
afterAll(async () => {
  await app?.close();
});

const uid = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
/** What must never leave the keeper's page: the private contact. */
const CONTACT = `139${uid}私密联系方式`;
const CONTACT_2 = `expert-${uid}@mail.example`;
const CHINESE = /[\u4e00-\u9fff]/;
const PASSWORD = "Expert2026pw";

/** A province with its 司法厅, a city with its 司法局 and a market regulator, a sibling city with its 司法局. */
let worlds = 0;
async function world() {
  const tag = `${uid}${++worlds}`;
  const province = await buildRegion({ level: "PROVINCE", name: `专家省${tag}` });
  const city = await buildRegion({ level: "CITY", parent: province, name: `专家市${tag}` });
  const otherCity = await buildRegion({ level: "CITY", parent: province, name: `专家邻市${tag}` });
  const sfj = await buildOrg({ kind: "JUSTICE_BUREAU", region: city, name: `专家市司法局${tag}` });
  const agency = await buildOrg({ kind: "ENFORCEMENT_AGENCY", region: city, name: `专家市市场监管局${tag}` });
  const psfj = await buildOrg({ kind: "JUSTICE_BUREAU", region: province, name: `专家省司法厅${tag}` });
  const osfj = await buildOrg({ kind: "JUSTICE_BUREAU", region: otherCity, name: `专家邻市司法局${tag}` });
  const users = {
    keeper: await buildUser({ org: sfj, role: "COORDINATOR" }),
    keeperAdmin: await buildUser({ org: sfj, role: "ADMIN" }),
    drafter: await buildUser({ org: sfj, role: "DRAFTER" }),
    agencyCoord: await buildUser({ org: agency, role: "COORDINATOR" }),
    provinceKeeper: await buildUser({ org: psfj, role: "COORDINATOR" }),
    otherKeeper: await buildUser({ org: osfj, role: "COORDINATOR" }),
  };
  const cookies = Object.fromEntries(
    await Promise.all(Object.entries(users).map(async ([k, u]) => [k, await buildSessionCookie(u.id)] as const)),
  ) as Record<keyof typeof users, string>;
  return { province, city, otherCity, sfj, agency, psfj, osfj, users, cookies };
}
type World = Awaited<ReturnType<typeof world>>;

type Entries = Array<[string, string]>;

/** A form post as the browser sends it (a field may repeat: the ticked 领域). */
function post(path: string, cookie: string, entries: Entries) {
  return app.request(path, {
    cookie,
    method: "POST",
    body: new URLSearchParams(entries).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
}

let counter = 0;
/** The add form; `without` drops fields, `extra` overrides or adds. */
function personForm(w: World, opts: { without?: string[]; extra?: Entries; name?: string } = {}): Entries {
  const base: Entries = [
    ["regionId", w.city.id],
    ["kind", "EXPERT"],
    ["name", opts.name ?? `专家${uid}-${counter++}`],
    ["fields", "法学"],
    ["fields", "市场监管"],
    ["otherFields", "数据合规"],
    ["title", "教授"],
    ["employer", `示例大学法学院${uid}`],
    ["contact", CONTACT],
  ];
  const overridden = new Set((opts.extra ?? []).map(([k]) => k));
  return [...base.filter(([k]) => !(opts.without ?? []).includes(k) && !overridden.has(k)), ...(opts.extra ?? [])];
}

const idOf = (res: Response) =>
  /^\/experts\/([A-Za-z0-9_-]+)\?done=created$/.exec(res.headers.get("location") ?? "")?.[1];

async function create(w: World, cookie: string, opts: Parameters<typeof personForm>[1] = {}) {
  const res = await post("/experts/new", cookie, personForm(w, opts));
  expect(res.status, await res.clone().text()).toBe(302);
  return idOf(res)!;
}

const personRow = (id: string) => getDb().externalPerson.findUniqueOrThrow({ where: { id } });
const auditOf = (id: string) =>
  getDb().auditEvent.findMany({ where: { targetType: "ExternalPerson", targetId: id }, orderBy: { at: "asc" } });
const poolCount = (w: World) =>
  getDb().externalPerson.count({ where: { regionId: { in: [w.province.id, w.city.id, w.otherCity.id] } } });

/** The message a refused form shows under a field (`<p id="f-<field>-error">`). */
function fieldError(html: string, field: string): string | undefined {
  return new RegExp(`<p id="f-${field}-error"[^>]*>([^<]*)</p>`).exec(html)?.[1];
}

async function expectNoContactInAudit(id: string) {
  for (const a of await auditOf(id)) {
    expect(a.summary).not.toContain(CONTACT);
    expect(a.summary).not.toContain(CONTACT_2);
  }
}

describe("专家库: the keeper's pages and commands", () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  }, 60_000);

  it("a keeper adds and edits an entry; the contact is on the keeper's page only, never in the audit", async () => {
    const name = `张教授${uid}`;
    const id = await create(w, w.cookies.keeper, { name });
    let row = await personRow(id);
    expect(row).toMatchObject({
      regionId: w.city.id,
      kind: "EXPERT",
      name,
      title: "教授",
      contact: CONTACT,
      status: "ACTIVE",
      userId: null,
      createdById: w.users.keeper.id,
    });
    expect(JSON.parse(row.fields)).toEqual(["法学", "市场监管", "数据合规"]);

    const page = await app.request(`/experts/${id}?done=created`, { cookie: w.cookies.keeper });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(CONTACT);
    expect(html).toContain("已添加到专家库。");
    // Another keeper of the same bureau (its ADMIN) keeps it too.
    expect((await app.request(`/experts/${id}`, { cookie: w.cookies.keeperAdmin })).status).toBe(200);

    const saved = await post(`/experts/${id}`, w.cookies.keeper, [
      ["intent", "save"],
      ["kind", "EXPERT"],
      ["name", name],
      ["fields", "法学"],
      ["fields", "生态环境"],
      ["otherFields", ""],
      ["title", "二级教授"],
      ["employer", `示例大学法学院${uid}`],
      ["contact", CONTACT_2],
    ]);
    expect(saved.headers.get("location")).toBe(`/experts/${id}?done=saved`);
    row = await personRow(id);
    expect(row).toMatchObject({ title: "二级教授", contact: CONTACT_2 });
    expect(JSON.parse(row.fields)).toEqual(["法学", "生态环境"]);

    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(["external.created", "external.updated"]);
    expect(audit.every((a) => a.orgId === w.sfj.id && a.actorId === w.users.keeper.id)).toBe(true);
    expect(audit[1].summary).toContain("联系方式已更新");
    await expectNoContactInAudit(id);

    // Saving the same values again changes nothing and writes no audit row.
    const same = await post(`/experts/${id}`, w.cookies.keeper, [
      ["intent", "save"],
      ["kind", "EXPERT"],
      ["name", name],
      ["fields", "法学"],
      ["fields", "生态环境"],
      ["title", "二级教授"],
      ["employer", `示例大学法学院${uid}`],
      ["contact", CONTACT_2],
    ]);
    expect(same.headers.get("location")).toBe(`/experts/${id}?done=unchanged`);
    expect(await auditOf(id)).toHaveLength(2);
  });

  it("the list: filters by kind, field, keyword and status; the pools above are browsed; never the contact", async () => {
    const lawyer = `李律师${uid}`;
    const supervisor = `王监督员${uid}`;
    const provincial = `赵研究员${uid}`;
    const neighbour = `钱工程师${uid}`;
    const lawyerId = await create(w, w.cookies.keeper, {
      name: lawyer,
      extra: [
        ["title", "律师"],
        ["employer", `示例律师事务所${uid}`],
      ],
    });
    const supervisorId = await create(w, w.cookies.keeper, {
      name: supervisor,
      without: ["fields", "otherFields"],
      extra: [
        ["kind", "SUPERVISOR"],
        ["fields", "生态环境"],
      ],
    });
    const provincialId = await create(w, w.cookies.provinceKeeper, {
      name: provincial,
      extra: [["regionId", w.province.id]],
    });
    await create(w, w.cookies.otherKeeper, { name: neighbour, extra: [["regionId", w.otherCity.id]] });

    const list = async (cookie: string, query = "") => {
      const res = await app.request(`/experts${query}`, { cookie });
      const html = await res.text();
      expect(res.status, query).toBe(200);
      expect(html, query).not.toContain(CONTACT);
      expect(html, query).not.toContain(CONTACT_2);
      return html;
    };
    const all = await list(w.cookies.keeper);
    for (const n of [lawyer, supervisor, provincial]) expect(all).toContain(n);
    expect(all).not.toContain(neighbour);
    expect(all).toContain("专家库人员</caption>");
    expect(all).toContain("添加人员");
    // Rows of the keeper's own pool link to their page; the province's do not.
    expect(all).toContain(`href="/experts/${lawyerId}"`);
    expect(all).not.toContain(`href="/experts/${provincialId}"`);

    const byField = await list(w.cookies.keeper, `?field=${encodeURIComponent("生态环境")}`);
    expect(byField).toContain(supervisor);
    expect(byField).not.toContain(lawyer);
    expect(byField).not.toContain(provincial);
    const byKind = await list(w.cookies.keeper, "?kind=SUPERVISOR");
    expect(byKind).toContain(supervisor);
    expect(byKind).not.toContain(lawyer);
    const byKeyword = await list(w.cookies.keeper, `?q=${encodeURIComponent(`示例律师事务所${uid}`)}`);
    expect(byKeyword).toContain(lawyer);
    expect(byKeyword).not.toContain(supervisor);
    const byTitle = await list(
      w.cookies.keeper,
      `?q=${encodeURIComponent("律师")}&field=${encodeURIComponent("法学")}`,
    );
    expect(byTitle).toContain(lawyer);
    expect(byTitle).not.toContain(supervisor);
    expect(await list(w.cookies.keeper, "?status=INACTIVE")).not.toContain(lawyer);
    // Unknown filter values filter nothing and never fail.
    expect(await list(w.cookies.keeper, `?kind=NOPE&status=%00&field=%00&q=${"长".repeat(80)}`)).toContain(lawyer);

    // A browser (the market regulator's coordinator): the same rows, no link to change them, no 添加人员.
    const browsed = await list(w.cookies.agencyCoord);
    for (const n of [lawyer, supervisor, provincial]) expect(browsed).toContain(n);
    expect(browsed).not.toContain(`href="/experts/${lawyerId}"`);
    expect(browsed).not.toContain(`href="/experts/${supervisorId}"`);
    expect(browsed).not.toContain('href="/experts/new"');
    // The sibling city's keeper sees its own and the province's pool, not this city's.
    const neighbours = await list(w.cookies.otherKeeper);
    expect(neighbours).toContain(neighbour);
    expect(neighbours).toContain(provincial);
    expect(neighbours).not.toContain(lawyer);
    // The province's keeper sees its own pool only (pools below are not browsed).
    const upper = await list(w.cookies.provinceKeeper);
    expect(upper).toContain(provincial);
    expect(upper).not.toContain(lawyer);
  });

  it("开通账号: an account without membership that must change its password; 停用 ends its sessions, 启用 restores it", async () => {
    const name = `孙委员${uid}`;
    const id = await create(w, w.cookies.keeper, { name, extra: [["kind", "CPPCC_MEMBER"]] });
    const username = `exp${uid}`;
    const open = (who: string, entryId: string, user: string, password = PASSWORD) =>
      post(`/experts/${entryId}`, who, [
        ["intent", "openAccount"],
        ["username", user],
        ["password", password],
      ]);
    const opened = await open(w.cookies.keeper, id, username.toUpperCase());
    expect(opened.headers.get("location")).toBe(`/experts/${id}?done=account`);
    const account = await getDb().user.findUniqueOrThrow({ where: { username } });
    expect(account).toMatchObject({ externalKind: "CPPCC_MEMBER", mustChangePassword: true, displayName: name });
    expect(account.active).toBe(true);
    expect(await getDb().membership.count({ where: { userId: account.id } })).toBe(0);
    expect((await personRow(id)).userId).toBe(account.id);
    const shown = await (await app.request(`/experts/${id}?done=account`, { cookie: w.cookies.keeper })).text();
    expect(shown).toContain(`已开通账号 ${username}，请将初始密码告知本人；首次登录须修改密码。`);
    expect(shown).not.toContain(PASSWORD);

    // Once only; a taken user name is refused as the administrator's form refuses it.
    const again = await open(w.cookies.keeper, id, `${username}b`);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("该人员已开通账号");
    const other = await create(w, w.cookies.keeper);
    const taken = await open(w.cookies.keeper, other, username);
    expect(taken.status).toBe(400);
    expect(fieldError(await taken.text(), "username")).toBe("用户名已被使用");
    const weak = await open(w.cookies.keeper, other, `${username}c`, "short");
    expect(weak.status).toBe(400);
    expect(fieldError(await weak.text(), "password")).toMatch(CHINESE);
    const badName = await open(w.cookies.keeper, other, "-bad name!");
    expect(badName.status).toBe(400);
    expect(fieldError(await badName.text(), "username")).toMatch(CHINESE);
    expect((await personRow(other)).userId).toBeNull();
    expect(await getDb().user.count({ where: { username: { startsWith: `${username}` } } })).toBe(1);

    // Signing in works and lands on the password page.
    const signIn = () => app.request("/login", { form: { username, password: PASSWORD, redirectTo: "/" } });
    const signedIn = await signIn();
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("location")).toBe("/password");
    const cookie = sessionCookieFrom(signedIn)!;
    expect((await app.request("/password", { cookie })).status).toBe(200);
    const second = await buildSessionCookie(account.id);
    // Past the password page, the account sees no pool.
    await getDb().user.update({ where: { id: account.id }, data: { mustChangePassword: false } });
    const pool = await app.request("/experts", { cookie: second });
    expect(pool.status).toBe(403);
    expect(await pool.text()).toContain(EXTERNAL_REFUSAL);

    // 停用: the entry and its account, every session ended.
    const off = await post(`/experts/${id}`, w.cookies.keeper, [["intent", "deactivate"]]);
    expect(off.headers.get("location")).toBe(`/experts/${id}?done=deactivated`);
    expect((await personRow(id)).status).toBe("INACTIVE");
    expect((await getDb().user.findUniqueOrThrow({ where: { id: account.id } })).active).toBe(false);
    expect(await getDb().session.count({ where: { userId: account.id } })).toBe(0);
    for (const c of [cookie, second]) {
      const res = await app.request("/", { cookie: c });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toContain("/login");
    }
    expect((await signIn()).status).toBe(401);
    const twice = await post(`/experts/${id}`, w.cookies.keeper, [["intent", "deactivate"]]);
    expect(twice.status).toBe(409);
    // A stopped entry is not given an account.
    const stoppedOther = await create(w, w.cookies.keeper);
    await post(`/experts/${stoppedOther}`, w.cookies.keeper, [["intent", "deactivate"]]);
    expect((await open(w.cookies.keeper, stoppedOther, `${username}d`)).status).toBe(409);

    // 启用: both back.
    const on = await post(`/experts/${id}`, w.cookies.keeper, [["intent", "reactivate"]]);
    expect(on.headers.get("location")).toBe(`/experts/${id}?done=reactivated`);
    expect((await personRow(id)).status).toBe("ACTIVE");
    expect((await getDb().user.findUniqueOrThrow({ where: { id: account.id } })).active).toBe(true);
    const live = sessionCookieFrom(await signIn())!;

    // 重置密码 (no administrator manages an account without a unit): a new initial password to be
    // changed at the next sign-in, and every session ended; a DRAFTER of the bureau may not.
    const NEW = "Reset2026pw";
    const reset = (who: string, password = NEW) =>
      post(`/experts/${id}`, who, [
        ["intent", "resetPassword"],
        ["password", password],
      ]);
    expect((await reset(w.cookies.drafter)).status).toBe(403);
    const weakReset = await reset(w.cookies.keeper, "short");
    expect(weakReset.status).toBe(400);
    expect(fieldError(await weakReset.text(), "password")).toMatch(CHINESE);
    const done = await reset(w.cookies.keeper);
    expect(done.headers.get("location")).toBe(`/experts/${id}?done=password`);
    expect((await app.request("/", { cookie: live })).headers.get("location")).toContain("/login");
    expect((await signIn()).status).toBe(401);
    const withNew = await app.request("/login", { form: { username, password: NEW, redirectTo: "/" } });
    expect(withNew.headers.get("location")).toBe("/password");
    expect(
      (
        await post(`/experts/${stoppedOther}`, w.cookies.keeper, [
          ["intent", "resetPassword"],
          ["password", NEW],
        ])
      ).status,
    ).toBe(409);

    expect((await auditOf(id)).map((a) => a.action)).toEqual([
      "external.created",
      "external.account_opened",
      "external.deactivated",
      "external.reactivated",
      "external.password_reset",
    ]);
    await expectNoContactInAudit(id);
  });
});

describe("专家库: who may not", () => {
  let w: World;
  let id: string;
  beforeAll(async () => {
    w = await world();
    id = await create(w, w.cookies.keeper, { name: `周专家${uid}` });
  }, 60_000);

  it("a DRAFTER, another region's keeper and an enforcement agency's coordinator get a Chinese 403 on create and edit", async () => {
    const before = await poolCount(w);
    const entry = await personRow(id);
    for (const who of ["drafter", "otherKeeper", "agencyCoord"] as const) {
      const cookie = w.cookies[who];
      // Another region's keeper may open the add form (for its own pool) but not add to this city's.
      const form = await app.request("/experts/new", { cookie });
      if (who === "otherKeeper") {
        const html = await form.text();
        expect(form.status).toBe(200);
        expect(html).toContain(w.otherCity.name);
        expect(html).not.toContain(w.city.name);
      }
      const answers: Array<[string, Response]> = [
        ...(who === "otherKeeper" ? [] : [["GET /experts/new", form] as [string, Response]]),
        ["POST /experts/new (this city)", await post("/experts/new", cookie, personForm(w))],
        ["GET /experts/:id", await app.request(`/experts/${id}`, { cookie })],
        [
          "POST save",
          await post(`/experts/${id}`, cookie, [
            ["intent", "save"],
            ...personForm(w, { without: ["regionId"], name: "篡改" }),
          ]),
        ],
        ["POST deactivate", await post(`/experts/${id}`, cookie, [["intent", "deactivate"]])],
        [
          "POST openAccount",
          await post(`/experts/${id}`, cookie, [
            ["intent", "openAccount"],
            ["username", `x${uid}${who}`.toLowerCase()],
            ["password", PASSWORD],
          ]),
        ],
      ];
      for (const [what, res] of answers) {
        const body = await res.text();
        expect(res.status, `${who} ${what}`).toBe(403);
        expect(body, `${who} ${what}`).toMatch(CHINESE);
        expect(body, `${who} ${what}`).not.toContain(CONTACT);
      }
    }
    // A DRAFTER does not convene: no pool at all. The agency's coordinator browses it.
    expect((await app.request("/experts", { cookie: w.cookies.drafter })).status).toBe(403);
    expect((await app.request("/experts", { cookie: w.cookies.agencyCoord })).status).toBe(200);
    expect(await poolCount(w)).toBe(before);
    expect(await personRow(id)).toEqual(entry);
    expect(await getDb().user.count({ where: { username: { startsWith: `x${uid}` } } })).toBe(0);
    expect((await auditOf(id)).map((a) => a.action)).toEqual(["external.created"]);
  });

  it("anonymous: to the sign-in page; an unknown entry: 404", async () => {
    for (const path of ["/experts", "/experts/new", `/experts/${id}`]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(302);
      expect(res.headers.get("location"), path).toMatch(/^\/login/);
    }
    expect((await app.request("/experts/nosuchperson", { cookie: w.cookies.keeper })).status).toBe(404);
  });

  it("bad input: Chinese field errors, never a 500, nothing saved", async () => {
    const before = await poolCount(w);
    const cases: Array<[string, Entries, string, RegExp | string]> = [
      ["no name", personForm(w, { extra: [["name", "   "]] }), "name", "此项为必填项"],
      ["a long name", personForm(w, { extra: [["name", "名".repeat(31)]] }), "name", "不能超过 30 个字符"],
      ["markup in the name", personForm(w, { extra: [["name", "<b>张</b>"]] }), "name", CHINESE],
      ["no kind", personForm(w, { without: ["kind"] }), "kind", "请选择人员类别"],
      ["an unknown kind", personForm(w, { extra: [["kind", "ADMIN"]] }), "kind", "请选择人员类别"],
      ["no title", personForm(w, { without: ["title"] }), "title", "此项为必填项"],
      ["no employer", personForm(w, { extra: [["employer", ""]] }), "employer", "此项为必填项"],
      ["a long employer", personForm(w, { extra: [["employer", "单".repeat(61)]] }), "employer", CHINESE],
      ["no contact", personForm(w, { without: ["contact"] }), "contact", "此项为必填项"],
      ["a long contact", personForm(w, { extra: [["contact", "1".repeat(61)]] }), "contact", CHINESE],
      ["no region", personForm(w, { without: ["regionId"] }), "regionId", CHINESE],
      ["an unknown region", personForm(w, { extra: [["regionId", "nosuchregion"]] }), "regionId", "请选择所属地区"],
      ["a long typed field", personForm(w, { extra: [["otherFields", "领".repeat(21)]] }), "otherFields", CHINESE],
    ];
    for (const [what, entries, field, message] of cases) {
      const res = await post("/experts/new", w.cookies.keeper, entries);
      const html = await res.text();
      expect(res.status, what).toBe(400);
      expect(fieldError(html, field), what).toMatch(message);
    }
    // 领域: none at all, and too many.
    const none = await post("/experts/new", w.cookies.keeper, personForm(w, { without: ["fields", "otherFields"] }));
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("至少选择一个领域");
    const many = await post(
      "/experts/new",
      w.cookies.keeper,
      personForm(w, { extra: [["otherFields", "一、二、三、四、五、六、七"]] }),
    );
    expect(many.status).toBe(400);
    expect(await many.text()).toContain("领域最多 8 个");
    expect(await poolCount(w)).toBe(before);

    // The keeper's page: an empty name, an unknown intent; the entry is unchanged.
    const entry = await personRow(id);
    const empty = await post(`/experts/${id}`, w.cookies.keeper, [
      ["intent", "save"],
      ...personForm(w, { without: ["regionId"], extra: [["name", ""]] }),
    ]);
    expect(empty.status).toBe(400);
    expect(fieldError(await empty.text(), "name")).toBe("此项为必填项");
    const unknown = await post(`/experts/${id}`, w.cookies.keeper, [["intent", "launch"]]);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("未知的操作。");
    expect(await personRow(id)).toEqual(entry);
    expect((await auditOf(id)).map((a) => a.action)).toEqual(["external.created"]);
  });
});
