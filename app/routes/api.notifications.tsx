import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireUser } from "~/services/auth/current-user.server";
import { loadInbox, markInboxRead } from "~/services/notifications.server";
import { errorBody } from "~/utils/errors";
import { z } from "~/utils/validation";
import { readFormData } from "~/utils/request.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { notifications, unread } = await loadInbox(user.id);
  return json({
    unread,
    notifications: notifications.map((n) => ({
      ...n,
      createdAt: n.createdAt.toISOString(),
      readAt: n.readAt?.toISOString() ?? null,
    })),
  });
}

const Intent = z.object({ intent: z.literal("markAllRead") });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = Intent.safeParse(Object.fromEntries(await readFormData(request)));
  if (!parsed.success) return json(errorBody("VALIDATION", "未知的操作。"), { status: 400 });
  const count = await markInboxRead(user.id);
  return json({ ok: true, count });
}
