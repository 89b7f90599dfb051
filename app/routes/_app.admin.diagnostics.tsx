import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { BellRing } from "lucide-react";
import { Button, Card, FormErrors, Notice } from "~/components/ui";
import { invalid } from "~/domain/errors";
import { requireAdmin, sendTestNotification } from "~/services/admin.server";
import { actionError } from "~/utils/errors";
import { readFormData } from "~/utils/request.server";
import { z } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "运行诊断 · 系统管理 · 会商协同" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  return json({});
}

const Intent = z.object({ intent: z.literal("testNotification") });

/** An administrator checks the live notification channel by sending a notification to themselves. */
export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const parsed = Intent.safeParse(Object.fromEntries(await readFormData(request)));
  if (!parsed.success) return json(actionError(invalid("未知的操作。")), { status: 400 });
  await sendTestNotification(ctx);
  return json({ ok: true as const });
}

export default function Diagnostics() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <Card title="实时通知">
      <p className="mb-3 text-sm text-slate-700">
        向您本人发送一条测试通知：若右上角的通知铃铛随即显示新通知，说明浏览器与服务器之间的实时连接工作正常。
      </p>
      {result?.ok ? (
        <div className="mb-3">
          <Notice tone="success">测试通知已发送。</Notice>
        </div>
      ) : null}
      <FormErrors errors={result && !result.ok ? [result.error] : null} />
      <Form method="post">
        <input type="hidden" name="intent" value="testNotification" />
        <Button type="submit" disabled={navigation.state !== "idle"}>
          <BellRing className="h-4 w-4" aria-hidden />
          发送测试通知
        </Button>
      </Form>
    </Card>
  );
}
