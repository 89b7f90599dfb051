import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ExternalPersonFields } from "~/components/external-person-fields";
import { Button, Card, FormErrors, LinkButton, PageHeader, SelectField } from "~/components/ui";
import { requireUser } from "~/services/auth/current-user.server";
import { commandContext } from "~/services/context.server";
import {
  MAX_FIELDS,
  NewPersonSchema,
  addExternalPerson,
  personFormValues,
  personInput,
} from "~/services/external-people.server";
import { poolKeeperRegions } from "~/services/external-pool-pages.server";
import { orThrowHttp, runAction } from "~/utils/errors";
import { readFormData } from "~/utils/request.server";
import { invalidInput } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "添加人员 · 专家库 · 会商协同" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const regions = await orThrowHttp(async () => poolKeeperRegions(user));
  return json({ regions, maxFields: MAX_FIELDS });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  // Who may not keep any pool is refused before the form is read.
  await orThrowHttp(async () => poolKeeperRegions(user));
  const ctx = commandContext(request, context);
  return runAction(async () => {
    const parsed = NewPersonSchema.safeParse(personFormValues(await readFormData(request)));
    if (!parsed.success) throw invalidInput(parsed.error);
    const { id } = await addExternalPerson(user, { ...personInput(parsed.data), regionId: parsed.data.regionId }, ctx);
    return redirect(`/experts/${id}?done=created`);
  });
}

export default function NewExpert() {
  const { regions, maxFields } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string[] | undefined> = actionData?.fieldErrors ?? {};
  const formErrors = actionData && !actionData.fieldErrors ? [actionData.error] : null;
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <PageHeader
        title="添加人员"
        description="录入专家、特邀行政执法监督员、人大代表或政协委员。添加后可为其开通账号，受邀参加会商。"
      />
      <Form method="post" className="flex max-w-3xl flex-col gap-4">
        <FormErrors errors={formErrors} />
        <Card title="人员信息">
          <div className="grid gap-4">
            <SelectField
              label="所属地区"
              name="regionId"
              required
              errors={errors.regionId}
              defaultValue={regions[0]?.id}
              options={regions.map((r) => ({ value: r.id, label: `${r.name}专家库` }))}
            />
            <ExternalPersonFields errors={errors} maxFields={maxFields} />
          </div>
        </Card>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={busy}>
            {busy ? "正在保存…" : "添加"}
          </Button>
          <LinkButton to="/experts">取消</LinkButton>
        </div>
      </Form>
    </>
  );
}
