import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { getDb } from "~/db.server";
import { countUnread, listNotifications, markAllRead, notify } from "~/models/notification.server";
import { requireUser } from "~/services/auth/current-user.server";
import { errorBody } from "~/utils/errors";
import { z } from "~/utils/validation";
import { readFormData } from "~/utils/request.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const [notifications, unread] = await Promise.all([listNotifications(db, user.id), countUnread(db, user.id)]);
  return json({
    unread,
    notifications: notifications.map((n) => ({ ...n, createdAt: n.createdAt.toISOString(), readAt: n.readAt?.toISOString() ?? null })),
  });
}

const Intent = z.object({ intent: z.enum(["markAllRead", "test"]) });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = Intent.safeParse(Object.fromEntries(await readFormData(request)));
  if (!parsed.success) return json(errorBody("VALIDATION", "未知的操作。"), { status: 400 });
  const db = getDb();
  if (parsed.data.intent === "markAllRead") {
    const count = await markAllRead(db, user.id);
    return json({ ok: true, count });
  }
  // A user may send a test notification to themselves only: it proves the live channel works.
  await notify(db, context.events, { userId: user.id, kind: "test", title: "测试通知", body: "如果您看到这条通知，说明实时通知工作正常。" });
  return json({ ok: true, count: 1 });
}
