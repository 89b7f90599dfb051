import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { disconnectDb, getDb, type Db } from "../../app/db.server";
import type { DocumentType } from "../../app/domain/document";
import { editorSchema, YJS_FRAGMENT } from "../../app/editor/schema/extensions";
import { getConsultationFacts } from "../../app/models/consultation.server";
import { getDocumentFacts } from "../../app/models/document.server";
import { syncTrackedItems } from "../../app/models/tracked-item.server";
import { getLucia } from "../../app/services/auth/auth.server";
import type { CurrentUser } from "../../app/services/auth/current-user.server";
import type { CommandContext } from "../../app/services/context.server";
import { conveneConsultation, type ConveneInput } from "../../app/services/convene-consultation.server";
import { decideCountersign, requestCountersign } from "../../app/services/countersign.server";
import { createDocument } from "../../app/services/create-document.server";
import { createMinutes } from "../../app/services/create-minutes.server";
import { itemBlock, paragraph, type TemplateNode } from "../../app/services/document-templates";
import { newId } from "../../app/utils/ids";
import { createEventBus } from "../../app/services/events.server";
import {
  createPlan,
  prepareReply,
  registerRecommendation,
  sendReply,
  type RegisterInput,
} from "../../app/services/recommendations.server";
import {
  createTypicalCase,
  publishCase,
  submitCase,
  type CaseMetaInput,
} from "../../app/services/typical-cases.server";
import { reportProgress, transitionItem } from "../../app/services/tracked-items.server";
import { seedActor } from "../../prisma/seed-actor";

/**
 * The app's own code in the Playwright worker, on the worker server's database (DATABASE_URL is set
 * by the `app` fixture before this module is loaded): sessions for `signInAs`, and the services for
 * specs that set up their data the way prisma/seed*.ts do, as the demo users.
 *
 * Data written here does not pass through the server's event bus or collab rooms: create it before
 * a browser opens it, and let the pages under test do what the test is about.
 */
export type AppAccess = Awaited<ReturnType<typeof loadAppAccess>>;

export async function loadAppAccess() {
  // This process writes the worker server's SQLite file too: its transactions wait for the server's.
  process.env.SQLITE_BEGIN_IMMEDIATE ??= "true";
  const db: Db = getDb();
  const userIds = new Map<string, string>();
  const userId = async (username: string) => {
    let id = userIds.get(username);
    if (!id) {
      id = (await db.user.findUniqueOrThrow({ where: { username }, select: { id: true } })).id;
      userIds.set(username, id);
    }
    return id;
  };
  const orgId = async (name: string) =>
    (await db.organization.findUniqueOrThrow({ where: { name }, select: { id: true } })).id;
  const actor = (username: string): Promise<CurrentUser> => seedActor(username);
  const context = (): CommandContext => ({
    ip: null,
    events: createEventBus(),
    collab: { storeDocument: async () => undefined, applyChange: async () => undefined },
    now: new Date(),
  });
  const documentFacts = async (documentId: string) => {
    const facts = await getDocumentFacts(db, documentId);
    if (!facts) throw new Error(`no document ${documentId}`);
    return facts;
  };
  /** The stored content of a document (what the collab server last stored; an empty document before that). */
  const content = async (documentId: string): Promise<TemplateNode> => {
    const snapshot = await db.documentSnapshot.findUnique({ where: { documentId }, select: { json: true } });
    return snapshot ? (JSON.parse(snapshot.json) as TemplateNode) : { type: "doc", content: [] };
  };
  /**
   * Replaces a draft's content as the collab server would store it (no client has opened it yet):
   * Yjs state, JSON and text, then its tracked items.
   */
  const writeContent = async (documentId: string, doc: TemplateNode): Promise<void> => {
    const schema = editorSchema();
    const node = schema.nodeFromJSON(doc);
    const ydoc = prosemirrorJSONToYDoc(schema, node.toJSON(), YJS_FRAGMENT);
    const stored = {
      state: new Uint8Array(Y.encodeStateAsUpdate(ydoc)),
      json: JSON.stringify(node.toJSON()),
      text: node.textBetween(0, node.content.size, "\n", " "),
    };
    await db.$transaction(async (tx) => {
      await tx.documentSnapshot.upsert({ where: { documentId }, create: { documentId, ...stored }, update: stored });
      await syncTrackedItems(tx, documentId, node.toJSON());
    });
  };
  /** Convenes a consultation of the coordinator's org next week, the named orgs attending (出席). */
  const convene = async (
    coordinator: string,
    input: Pick<ConveneInput, "title" | "series" | "place" | "agenda"> & { attendees: string[] },
  ): Promise<string> => {
    const user = await actor(coordinator);
    const startsAt = new Date(Date.now() + 7 * 86_400_000);
    const convened = await conveneConsultation(
      user,
      {
        kind: "COORDINATION",
        title: input.title,
        series: input.series,
        conveningOrgId: user.memberships[0]!.org.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 2 * 3600_000),
        place: input.place,
        agenda: input.agenda,
        participants: await Promise.all(
          input.attendees.map(async (name) => ({ orgId: await orgId(name), role: "ATTENDEE" as const })),
        ),
      },
      context(),
    );
    return convened.id;
  };
  /** 起草会议纪要 of a consultation, as its coordinator; returns the minutes' document id. */
  const createMinutesAs = async (coordinator: string, consultationId: string): Promise<string> => {
    const facts = await getConsultationFacts(db, consultationId);
    if (!facts) throw new Error(`no consultation ${consultationId}`);
    const minutes = await createMinutes(await actor(coordinator), facts, { ip: null });
    return minutes.documentId;
  };
  /** 发起会签 as the user. */
  const requestCountersignAs = async (documentId: string, username: string): Promise<void> => {
    await requestCountersign(await actor(username), await documentFacts(documentId), context());
  };
  /** 同意 or 退回 (with a comment) for the user's org; returns the document's status after it. */
  const decideCountersignAs = async (
    documentId: string,
    username: string,
    decision: "APPROVED" | "RETURNED",
    comment: string | null = null,
  ): Promise<string> => {
    const { status } = await decideCountersign(
      await actor(username),
      await documentFacts(documentId),
      { decision, comment },
      context(),
    );
    return status;
  };

  return {
    db,
    userId,
    orgId,
    actor,
    context,

    /** A new session for the demo user, as the cookie's name and value. */
    async sessionCookie(username: string): Promise<{ name: string; value: string }> {
      const lucia = getLucia();
      const session = await lucia.createSession(await userId(username), { ip: null, userAgent: "playwright" });
      return { name: lucia.sessionCookieName, value: session.id };
    },

    content,
    writeContent,

    /** A draft document of the user's first org, the named orgs co-drafting. */
    async createDocument(
      username: string,
      input: { title: string; type: DocumentType; writers?: string[]; readers?: string[]; suggesters?: string[] },
    ): Promise<string> {
      const user = await actor(username);
      const suggesters = await Promise.all((input.suggesters ?? []).map(orgId));
      const created = await createDocument(
        user,
        {
          title: input.title,
          type: input.type,
          ownerOrgId: user.memberships[0]!.org.id,
          writerOrgIds: await Promise.all((input.writers ?? []).map(orgId)),
          readerOrgIds: await Promise.all((input.readers ?? []).map(orgId)),
        },
        { ip: null },
      );
      // 可修订 units (ADR 019): added as the member dialog would, then set to SUGGEST.
      for (const id of suggesters)
        await db.documentMember.create({ data: { id: newId(), documentId: created.id, orgId: id, access: "SUGGEST" } });
      return created.id;
    },

    convene,
    createMinutes: createMinutesAs,

    /** A consultation convened by the coordinator with its minutes drafted (see `convene`). */
    async conveneWithMinutes(
      coordinator: string,
      input: Parameters<typeof convene>[1],
    ): Promise<{ consultationId: string; documentId: string }> {
      const consultationId = await convene(coordinator, input);
      return { consultationId, documentId: await createMinutesAs(coordinator, consultationId) };
    },

    requestCountersign: requestCountersignAs,
    decideCountersign: decideCountersignAs,

    /** Countersign requested by `requester` and approved by each signer in turn; the document must end FINALIZED. */
    async finalize(documentId: string, requester: string, signers: string[]): Promise<void> {
      await requestCountersignAs(documentId, requester);
      let status = "COUNTERSIGNING";
      for (const signer of signers) status = await decideCountersignAs(documentId, signer, "APPROVED");
      if (status !== "FINALIZED") throw new Error(`${documentId} is ${status} after countersign, expected FINALIZED`);
    },

    itemBlock,
    paragraph,

    /** Appends blocks to a draft's stored content (see `writeContent`). */
    async appendContent(documentId: string, blocks: TemplateNode[]): Promise<void> {
      const doc = await content(documentId);
      doc.content = [...(doc.content ?? []), ...blocks];
      await writeContent(documentId, doc);
    },

    /** 报送进展 on an item as the user (no attachments). */
    async reportProgress(
      username: string,
      itemId: string,
      text: string,
      newStatus: "IN_PROGRESS" | "DONE" | null,
    ): Promise<void> {
      await reportProgress(await actor(username), itemId, { text, newStatus, files: [] }, context());
    },

    /** 销号 (or another transition) of an item as the convening org's coordinator. */
    async transitionItem(username: string, itemId: string, transition: "close" | "sendBack" | "reopen") {
      await transitionItem(await actor(username), itemId, transition, null, context());
    },

    /** 登记建议书 as the user (抄送 empty: the recipient's justice bureau; 回复期限: the kind's default). */
    async registerRecommendation(
      username: string,
      input: Pick<RegisterInput, "kind" | "docNumber" | "title" | "issuedOn" | "receivedOn"> & {
        problems: string[];
        issuer: string;
        recipient: string;
      },
    ): Promise<string> {
      const registered = await registerRecommendation(
        await actor(username),
        {
          kind: input.kind,
          docNumber: input.docNumber,
          title: input.title,
          problems: input.problems.join("\n"),
          issuerOrgId: await orgId(input.issuer),
          recipientOrgId: await orgId(input.recipient),
          copyOrgIds: [],
          issuedOn: input.issuedOn,
          receivedOn: input.receivedOn,
          replyDue: null,
          replyDueReason: null,
          original: null,
        },
        context(),
      );
      return registered.id;
    },

    /** 制定整改方案 from the template, as the recipient's user; returns the plan's document id. */
    async createPlan(username: string, recommendationId: string): Promise<string> {
      const planned = await createPlan(await actor(username), recommendationId, context());
      return planned.documentId;
    },

    /** 生成书面回复 from the final plan and the progress, as the recipient's user; returns the reply's document id. */
    async prepareReply(username: string, recommendationId: string): Promise<string> {
      const prepared = await prepareReply(await actor(username), recommendationId, context());
      return prepared.documentId;
    },

    /** 发出书面回复 as the recipient's user. */
    async sendReply(username: string, recommendationId: string): Promise<void> {
      await sendReply(await actor(username), recommendationId, context());
    },

    /** 新建典型案例 of the user's first org (the named orgs co-drafting); returns its document id. */
    async createTypicalCase(username: string, input: CaseMetaInput & { writers: string[] }): Promise<string> {
      const user = await actor(username);
      const made = await createTypicalCase(
        user,
        {
          ...input,
          ownerOrgId: user.memberships[0]!.org.id,
          writerOrgIds: await Promise.all(input.writers.map(orgId)),
        },
        context(),
      );
      return made.id;
    },

    /** 提交审核 (the 脱敏检查 must pass) as the user. */
    async submitCase(username: string, documentId: string): Promise<void> {
      await submitCase(await actor(username), await documentFacts(documentId), context());
    },

    /** 向社会公开发布 an approved case under `slug`, as a publisher. */
    async publishCase(username: string, documentId: string, slug: string): Promise<void> {
      await publishCase(await actor(username), await documentFacts(documentId), { slug, note: null }, context());
    },

    close: disconnectDb,
  };
}
