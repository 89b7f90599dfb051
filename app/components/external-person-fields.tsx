import { CheckboxField, FormErrors, SelectField, TextField } from "~/components/ui";
import { EXPERT_FIELDS, EXTERNAL_KIND_LABELS, EXTERNAL_KINDS } from "~/domain/external";

/** An entry of the pool as its forms show it (the add page: nothing yet). */
export interface ExternalPersonValues {
  kind: string;
  name: string;
  fields: readonly string[];
  title: string;
  employer: string;
  contact: string;
}

type Errors = Record<string, string[] | undefined>;

const OFFERED: readonly string[] = EXPERT_FIELDS;

/**
 * The fields of a 专家库 entry (添加人员 and the keeper's page): 类别, 姓名, 领域 (ticked from the list
 * or typed), 职称/职务, 工作单位 and the private 联系方式.
 */
export function ExternalPersonFields({
  values,
  errors,
  maxFields,
}: {
  values?: ExternalPersonValues;
  errors: Errors;
  maxFields: number;
}) {
  const chosen = new Set(values?.fields ?? []);
  const typed = (values?.fields ?? []).filter((f) => !OFFERED.includes(f));
  const fieldsInvalid = Boolean(errors.fields?.length);
  return (
    <div className="grid gap-4">
      <div className="grid gap-4 md:grid-cols-2">
        <SelectField
          label="类别"
          name="kind"
          required
          defaultValue={values?.kind ?? "EXPERT"}
          errors={errors.kind}
          options={EXTERNAL_KINDS.map((k) => ({ value: k, label: EXTERNAL_KIND_LABELS[k] }))}
        />
        <TextField label="姓名" name="name" required maxLength={30} defaultValue={values?.name} errors={errors.name} />
      </div>
      <fieldset className="flex min-w-0 flex-col gap-2" aria-describedby={fieldsInvalid ? "f-fields-error" : undefined}>
        <legend className="mb-1 text-sm font-medium text-slate-700">
          领域（至少一项，最多 {maxFields} 项）
          <span className="ml-0.5 text-red-600" aria-hidden>
            *
          </span>
        </legend>
        <div className="grid grid-cols-2 gap-x-4 gap-y-2 sm:grid-cols-3 lg:grid-cols-4">
          {EXPERT_FIELDS.map((f, i) => (
            <CheckboxField
              key={f}
              id={`f-fields-${i}`}
              label={f}
              name="fields"
              value={f}
              defaultChecked={chosen.has(f)}
              aria-invalid={fieldsInvalid || undefined}
            />
          ))}
        </div>
        <div id="f-fields-error">
          <FormErrors errors={errors.fields} />
        </div>
        <TextField
          label="其他领域"
          name="otherFields"
          maxLength={200}
          defaultValue={typed.join("、")}
          errors={errors.otherFields}
          hint="不在上面的领域可在此填写，多个用顿号分隔"
        />
      </fieldset>
      <div className="grid gap-4 md:grid-cols-2">
        <TextField
          label="职称/职务"
          name="title"
          required
          maxLength={30}
          defaultValue={values?.title}
          errors={errors.title}
          placeholder="例如：教授、律师、高级工程师"
        />
        <TextField
          label="工作单位"
          name="employer"
          required
          maxLength={60}
          defaultValue={values?.employer}
          errors={errors.employer}
        />
      </div>
      <TextField
        label="联系方式"
        name="contact"
        required
        maxLength={60}
        defaultValue={values?.contact}
        errors={errors.contact}
        hint="电话或邮箱，仅本地区司法行政机关的管理员和督办协调员可见"
      />
    </div>
  );
}
