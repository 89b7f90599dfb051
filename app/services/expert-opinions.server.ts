import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { database } from "~/models/unit-of-work.server";
import { recordAudit } from "~/models/audit.server";
import { listGuestComments } from "~/models/comment.server";
import { getMinutesSource } from "~/models/consultation.server";
import { getDocumentFacts } from "~/models/document.server";
import { editorSchema, YJS_FRAGMENT } from "~/editor/schema/extensions";
import { enforce, notNow } from "~/policies/decision";
import { authorizeConsultation } from "~/policies/consultation";
import { isCaseConsultation, type ConsultationFacts } from "~/domain/consultation";
import { invalid, notFound } from "~/domain/errors";
import { personName } from "~/domain/external";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";
import { actingOrg, changeIdentity } from "~/services/acting-identity.server";
import { OPINIONS_HEADING } from "~/services/create-minutes.server";
import { paragraph, textNode, type TemplateNode } from "~/services/document-templates";

/**
 * 汇总专家意见 (ADR 024): the experts' written opinions — their comments on the 专家咨询意见 — are
 * written into its 三、专家意见 section, one block per expert signed 专家 张某（法学）, each opinion
 * with the passage it was given on. Every open editor sees the change at once; the drafting unit
 * edits the result like any other text, and running it again replaces the section.
 */

const QUOTE_SHOWN = 24;

type Opinion = Awaited<ReturnType<typeof listGuestComments>>[number];

/** The section's blocks: per expert (in the order they first wrote), a signature line and the opinions. */
export function opinionBlocks(opinions: readonly Opinion[]): TemplateNode[] {
  const byExpert = new Map<string, { name: string; items: Opinion[] }>();
  for (const o of opinions) {
    const entry = byExpert.get(o.author.id) ?? { name: personName(o.author), items: [] };
    entry.items.push(o);
    byExpert.set(o.author.id, entry);
  }
  return [...byExpert.values()].flatMap(({ name, items }) => [
    { type: "paragraph", content: [textNode(`${name}：`, true)] },
    ...items.map((o) => {
      const quote = o.thread.quote.length > QUOTE_SHOWN ? `${o.thread.quote.slice(0, QUOTE_SHOWN)}…` : o.thread.quote;
      return paragraph(`关于“${quote}”：${o.body.trim()}`);
    }),
  ]);
}

type JsonNode = { type: string; content?: JsonNode[]; attrs?: Record<string, unknown>; text?: string };

const textOf = (n: JsonNode): string => (n.text ?? "") + (n.content ?? []).map(textOf).join("");

/** The document with the section under `heading` replaced by `blocks` (appended with its heading when missing). */
export function replaceSection(doc: JsonNode, heading: string, blocks: readonly TemplateNode[]): JsonNode {
  const content = doc.content ?? [];
  const start = content.findIndex((n) => n.type === "heading" && textOf(n).trim() === heading);
  if (start < 0)
    return {
      ...doc,
      content: [
        ...content,
        { type: "heading", attrs: { level: 1 }, content: [{ type: "text", text: heading }] },
        ...(blocks as JsonNode[]),
      ],
    };
  const next = content.findIndex((n, i) => i > start && n.type === "heading");
  const end = next < 0 ? content.length : next;
  return { ...doc, content: [...content.slice(0, start + 1), ...(blocks as JsonNode[]), ...content.slice(end)] };
}

export async function compileExpertOpinions(
  user: CurrentUser,
  facts: ConsultationFacts & { id: string },
  ctx: Pick<CommandContext, "ip" | "collab">,
): Promise<{ experts: number; opinions: number; documentId: string }> {
  enforce(authorizeConsultation(user.actor, "compileOpinions", facts));
  const db = database();
  const c = await getMinutesSource(db, facts.id);
  if (!c) throw notFound("会商不存在。");
  if (!isCaseConsultation(c) || !c.minutesId) throw invalid("只有个案咨询可以汇总专家意见。");
  const doc = await getDocumentFacts(db, c.minutesId);
  if (!doc) throw notFound("专家咨询意见不存在。");
  if (doc.status !== "DRAFT") enforce(notNow("专家咨询意见已冻结（会签中或已定稿），不能再汇总。"));
  const opinions = await listGuestComments(db, doc.id);
  if (opinions.length === 0) throw invalid("受邀专家尚未提出书面意见（批注），暂无可汇总的内容。");
  const blocks = opinionBlocks(opinions);
  const schema = editorSchema();
  await ctx.collab.applyChange(doc.id, changeIdentity(user, actingOrg(user, doc)), (ydoc) => {
    const fragment = ydoc.getXmlFragment(YJS_FRAGMENT);
    const current = yXmlFragmentToProseMirrorRootNode(fragment, schema).toJSON() as JsonNode;
    const node = schema.nodeFromJSON(replaceSection(current, OPINIONS_HEADING, blocks));
    updateYFragment(ydoc, fragment, node, { mapping: new Map(), isOMark: new Map() });
  });
  const experts = new Set(opinions.map((o) => o.author.id)).size;
  await recordAudit(db, {
    actorId: user.id,
    actorName: user.displayName,
    orgId: c.conveningOrgId,
    action: "consultation.opinions_compiled",
    targetType: "Consultation",
    targetId: c.id,
    summary: `汇总《${c.title}》的专家意见：${experts}位专家，${opinions.length}条意见`,
    ip: ctx.ip,
  });
  return { experts, opinions: opinions.length, documentId: doc.id };
}
