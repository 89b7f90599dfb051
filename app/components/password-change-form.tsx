import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { PASSWORD_RULE, PasswordChangeSchema } from "~/utils/password-rule";
import { Button, FormErrors, TextField } from "./ui";

export function PasswordChangeForm(props: {
  lastResult: SubmissionResult<string[]> | undefined;
  currentLabel: string;
  submitLabel: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: props.lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PasswordChangeSchema }),
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" className="flex flex-col gap-3" {...getFormProps(form)}>
      <FormErrors errors={form.errors} />
      <TextField
        label={props.currentLabel}
        type="password"
        autoComplete="current-password"
        name={fields.currentPassword.name}
        errors={fields.currentPassword.errors}
        required
      />
      <TextField
        label="新密码"
        type="password"
        autoComplete="new-password"
        name={fields.newPassword.name}
        errors={fields.newPassword.errors}
        hint={PASSWORD_RULE}
        required
      />
      <TextField
        label="确认新密码"
        type="password"
        autoComplete="new-password"
        name={fields.confirmPassword.name}
        errors={fields.confirmPassword.errors}
        required
      />
      <div>
        <Button type="submit" disabled={navigation.state !== "idle"}>
          {props.submitLabel}
        </Button>
      </div>
    </Form>
  );
}
