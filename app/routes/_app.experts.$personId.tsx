import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect, type SerializeFrom } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { AuditTimeline } from "~/components/audit-timeline";
import { ExternalPersonFields } from "~/components/external-person-fields";
import { BackLink, Badge, Button, Card, FormErrors, Notice, TextField } from "~/components/ui";
import { invalid } from "~/domain/errors";
import { PASSWORD_RULE } from "~/services/admin.server";
import { requireUser } from "~/services/auth/current-user.server";
import { commandContext } from "~/services/context.server";
import {
  MAX_FIELDS,
  PersonPageIntent,
  deactivateExternalPerson,
  editExternalPerson,
  openExternalAccount,
  resetExternalPassword,
  personFormValues,
  personInput,
  reactivateExternalPerson,
  requireKeptPerson,
} from "~/services/external-people.server";
import { loadKeptPersonPage } from "~/services/external-pool-pages.server";
import { orThrowHttp, runAction } from "~/utils/errors";
import { readFormData } from "~/utils/request.server";
import { useResetAfterSuccess } from "~/utils/use-reset-after-success";
import { invalidInput } from "~/utils/validation";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.person.name ?? "人员"} · 专家库 · 会商协同` },
];

/** The keeper's page: 404 for an unknown entry, 403 for anyone who does not keep its region's pool. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const person = await orThrowHttp(() => requireKeptPerson(user, params.personId));
  const page = await loadKeptPersonPage(user, person);
  return json({ ...page, maxFields: MAX_FIELDS, passwordRule: PASSWORD_RULE });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const person = await orThrowHttp(() => requireKeptPerson(user, params.personId));
  const ctx = commandContext(request, context);
  const here = `/experts/${person.id}`;
  return runAction(async () => {
    const parsed = PersonPageIntent.safeParse(personFormValues(await readFormData(request)));
    if (!parsed.success)
      throw parsed.error.issues[0]?.path[0] === "intent" ? invalid("未知的操作。") : invalidInput(parsed.error);
    const v = parsed.data;
    switch (v.intent) {
      case "save": {
        const { changed } = await editExternalPerson(user, person.id, personInput(v), ctx);
        return redirect(`${here}?done=${changed ? "saved" : "unchanged"}`);
      }
      case "deactivate":
        await deactivateExternalPerson(user, person.id, ctx);
        return redirect(`${here}?done=deactivated`);
      case "reactivate":
        await reactivateExternalPerson(user, person.id, ctx);
        return redirect(`${here}?done=reactivated`);
      case "openAccount":
        await openExternalAccount(user, person.id, { username: v.username, password: v.password }, ctx);
        return redirect(`${here}?done=account`);
      case "resetPassword":
        await resetExternalPassword(user, person.id, { password: v.password }, ctx);
        return redirect(`${here}?done=password`);
    }
  });
}

type Data = SerializeFrom<typeof loader>;
type Errors = Record<string, string[] | undefined>;

function doneMessage(done: string | null, data: Data): string | null {
  switch (done) {
    case "created":
      return "已添加到专家库。";
    case "saved":
      return "已保存。";
    case "unchanged":
      return "内容没有变化。";
    case "deactivated":
      return data.person.account ? "已停用，其账号同时停用并已退出全部登录。" : "已停用。";
    case "reactivated":
      return data.person.account ? "已启用，其账号可以重新登录。" : "已启用。";
    case "password":
      return "密码已重置，其全部登录已退出；请将新的初始密码告知本人，下次登录须修改密码。";
    case "account":
      return data.person.account
        ? `已开通账号 ${data.person.account.username}，请将初始密码告知本人；首次登录须修改密码。`
        : null;
    default:
      return null;
  }
}

export default function ExpertPage() {
  const data = useLoaderData<typeof loader>();
  const { person } = data;
  const actionData = useActionData<typeof action>();
  const errors: Errors = actionData?.fieldErrors ?? {};
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  const done = doneMessage(params.get("done"), data);
  const resetKey = useResetAfterSuccess();
  return (
    <div className="flex flex-col gap-4">
      <div>
        <BackLink to="/experts" label="专家库" />
        <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold text-slate-900">
          {person.name}
          <Badge tone={person.status === "ACTIVE" ? "green" : "slate"}>{person.statusLabel}</Badge>
        </h1>
        <p className="mt-1 text-sm text-slate-500">
          {person.kindLabel} · {person.region}专家库
        </p>
      </div>
      {done ? <Notice tone="success">{done}</Notice> : null}
      <FormErrors errors={actionData?.error && !actionData.fieldErrors ? [actionData.error] : null} />
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="flex min-w-0 flex-col gap-4 lg:col-span-2">
          <Card title="人员信息">
            <Form key={`save-${resetKey}`} method="post" className="flex flex-col gap-4">
              <input type="hidden" name="intent" value="save" />
              <ExternalPersonFields values={person} errors={errors} maxFields={data.maxFields} />
              <div>
                <Button type="submit" disabled={busy}>
                  保存
                </Button>
              </div>
            </Form>
          </Card>
        </div>
        <div className="flex min-w-0 flex-col gap-4">
          <AccountCard key={`account-${resetKey}`} data={data} errors={errors} busy={busy} />
          <StatusCard data={data} busy={busy} />
          <Card title="维护记录">
            <AuditTimeline entries={data.timeline} />
          </Card>
        </div>
      </div>
    </div>
  );
}

/** 开通账号: the user name and initial password the keeper gives the person. */
function AccountCard({ data, errors, busy }: { data: Data; errors: Errors; busy: boolean }) {
  const { person, abilities } = data;
  return (
    <Card title="登录账号">
      {person.account ? (
        <div className="flex flex-col gap-3">
          <p className="text-sm text-slate-700" data-testid="expert-account">
            已开通账号 <span className="font-mono">{person.account.username}</span>
            {person.account.active ? "" : "（已停用）"}
          </p>
          {abilities.resetPassword ? (
            <Form method="post" className="flex flex-col gap-3" autoComplete="off">
              <input type="hidden" name="intent" value="resetPassword" />
              <TextField
                label="新的初始密码"
                name="password"
                type="password"
                required
                autoComplete="new-password"
                maxLength={128}
                errors={errors.password}
                hint={`${data.passwordRule}。重置后其全部登录立即退出，下次登录须修改密码。`}
              />
              <div>
                <Button type="submit" variant="secondary" disabled={busy}>
                  重置密码
                </Button>
              </div>
            </Form>
          ) : null}
        </div>
      ) : abilities.openAccount ? (
        <Form method="post" className="flex flex-col gap-3" autoComplete="off">
          <input type="hidden" name="intent" value="openAccount" />
          <p className="text-sm text-slate-600">开通后本人可登录，只能查看受邀参加的会商和文书。首次登录须修改密码。</p>
          <TextField
            label="用户名"
            name="username"
            required
            autoComplete="off"
            maxLength={32}
            errors={errors.username}
            hint="3–32 位小写字母、数字、点、下划线或连字符，用于登录"
          />
          <TextField
            label="初始密码"
            name="password"
            type="password"
            required
            autoComplete="new-password"
            maxLength={128}
            errors={errors.password}
            hint={`${data.passwordRule}。请通过安全渠道告知本人。`}
          />
          <div>
            <Button type="submit" disabled={busy}>
              开通账号
            </Button>
          </div>
        </Form>
      ) : (
        <p className="text-sm text-slate-500">未开通账号。该人员已停用，启用后可开通账号。</p>
      )}
    </Card>
  );
}

/** 停用 / 启用. */
function StatusCard({ data, busy }: { data: Data; busy: boolean }) {
  const { person, abilities } = data;
  return (
    <Card title="在库状态">
      {abilities.deactivate ? (
        <Form method="post" className="flex flex-col gap-2">
          <input type="hidden" name="intent" value="deactivate" />
          <p className="text-sm text-slate-600">
            停用后不再出现在邀请名单中{person.account ? "，其账号同时停用，已登录的设备立即退出" : ""}。
          </p>
          <div>
            <Button type="submit" variant="danger" disabled={busy}>
              停用
            </Button>
          </div>
        </Form>
      ) : abilities.reactivate ? (
        <Form method="post" className="flex flex-col gap-2">
          <input type="hidden" name="intent" value="reactivate" />
          <p className="text-sm text-slate-600">
            该人员已停用{person.account ? "，其账号不能登录" : ""}。启用后恢复在库{person.account ? "并恢复账号" : ""}。
          </p>
          <div>
            <Button type="submit" disabled={busy}>
              启用
            </Button>
          </div>
        </Form>
      ) : null}
    </Card>
  );
}
