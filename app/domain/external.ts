/**
 * Outside participants (ADR 024): 专家库, 特邀行政执法监督员, 人大代表 and 政协委员. They belong to no
 * agency; their accounts see only the consultations and documents they are invited to.
 */

export const EXTERNAL_KINDS = ["EXPERT", "SUPERVISOR", "NPC_DEPUTY", "CPPCC_MEMBER"] as const;

export type ExternalKind = (typeof EXTERNAL_KINDS)[number];

export const EXTERNAL_KIND_LABELS: Record<ExternalKind, string> = {
  EXPERT: "专家",
  SUPERVISOR: "特邀行政执法监督员",
  NPC_DEPUTY: "人大代表",
  CPPCC_MEMBER: "政协委员",
};

/** The short form used before a name (批注署名, 纪要 header): 专家 张某（法学）. */
export const EXTERNAL_KIND_SHORT: Record<ExternalKind, string> = {
  EXPERT: "专家",
  SUPERVISOR: "特邀监督员",
  NPC_DEPUTY: "人大代表",
  CPPCC_MEMBER: "政协委员",
};

/** The line of the 纪要 header a kind is listed in (特邀专家：… / 特邀监督员：…). */
export const EXTERNAL_HEADER_LABELS: Record<ExternalKind, string> = {
  EXPERT: "特邀专家",
  SUPERVISOR: "特邀监督员",
  NPC_DEPUTY: "特邀人大代表",
  CPPCC_MEMBER: "特邀政协委员",
};

export function isExternalKind(value: unknown): value is ExternalKind {
  return typeof value === "string" && (EXTERNAL_KINDS as readonly string[]).includes(value);
}

/** 领域 offered by the pool form and its filter; free entries are allowed too. */
export const EXPERT_FIELDS = [
  "法学",
  "行政法",
  "市场监管",
  "生态环境",
  "城市管理",
  "交通运输",
  "自然资源",
  "应急管理",
  "卫生健康",
  "税务财会",
  "文化旅游",
  "农业农村",
] as const;

export const EXTERNAL_STATUSES = ["ACTIVE", "INACTIVE"] as const;

export type ExternalStatus = (typeof EXTERNAL_STATUSES)[number];

export const EXTERNAL_STATUS_LABELS: Record<ExternalStatus, string> = { ACTIVE: "在库", INACTIVE: "已停用" };

/** The label of a stored kind (a row's string); an unknown one reads 特邀人员. */
export function externalKindLabel(kind: string): string {
  return isExternalKind(kind) ? EXTERNAL_KIND_LABELS[kind] : "特邀人员";
}

/** The label of a stored status; an unknown one as it is. */
export function externalStatusLabel(status: string): string {
  return (EXTERNAL_STATUSES as readonly string[]).includes(status)
    ? EXTERNAL_STATUS_LABELS[status as ExternalStatus]
    : status;
}

/** 领域 stored as a JSON array; anything else reads as none. */
export function parseFields(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

/** How an outside participant signs a comment or is listed: 专家 张某（法学）. */
export function externalSignature(p: { kind: string; name: string; fields: readonly string[] }): string {
  const kind = isExternalKind(p.kind) ? EXTERNAL_KIND_SHORT[p.kind] : "特邀";
  return p.fields.length ? `${kind} ${p.name}（${p.fields.slice(0, 2).join("、")}）` : `${kind} ${p.name}`;
}

/** How a person is named on comments and exports: an outside participant by its signature, staff by name. */
export function personName(user: {
  displayName: string;
  externalPerson?: { kind: string; name: string; fields: string | readonly string[] } | null;
}): string {
  const p = user.externalPerson;
  if (!p) return user.displayName;
  return externalSignature({ ...p, fields: typeof p.fields === "string" ? parseFields(p.fields) : p.fields });
}

/**
 * How a participant row of a consultation names who it invites: a 特邀 guest by its signature
 * (专家 张某（法学）: its row is held by the convening org, which is not its unit), a named person as
 * 姓名（单位）, an invited unit by its name. `person` is whom the row names now (its delegate, if any).
 */
export function participantLabel(
  p: { org: { name: string }; user?: Parameters<typeof personName>[0] | null },
  person: { displayName: string } | null | undefined = p.user,
): string {
  if (p.user?.externalPerson) return personName(p.user);
  return person ? `${person.displayName}（${p.org.name}）` : p.org.name;
}

/**
 * The pages an outside participant's account may open (ADR 024): its workbench, the consultations
 * and documents it is invited to (each still checked by its own policy), its notifications and
 * password, the guide. Every other page answers 403 before any data is read.
 */
const EXTERNAL_PATHS: readonly RegExp[] = [
  /^\/$/,
  // A consultation, its .ics; a document and what hangs under it (versions, comments, exports…).
  /^\/consultations\/(?!new\/?$)[^/]+(\/invite\.ics|\/files\/[^/]+)?\/?$/,
  /^\/documents\/(?!new\/?$)[^/]+(\/.*)?$/,
  /^\/guide(\/[^/]+)?\/?$/,
  /^\/account\/?$/,
  /^\/password\/?$/,
  /^\/logout\/?$/,
  /^\/api\/notifications\/?$/,
];

export function externalMayOpen(pathname: string): boolean {
  return EXTERNAL_PATHS.some((re) => re.test(pathname));
}

export const EXTERNAL_REFUSAL = "特邀人员账号只能查看受邀参加的会商和文书，不能访问此页面。";
