import { SelectField, TextField } from "~/components/ui";

/** What a conform field gives the inputs (structural: no dependency on conform's generics). */
interface FieldMeta {
  name: string;
  errors?: string[];
  initialValue?: string;
}

type Option = { value: string; label: string };

/**
 * The fields of an organization shared by 新建单位 and the edit page: name, short name, kind, region.
 */
export function OrgFields({
  fields,
  kindOptions,
  regionOptions,
  autoFocus = false,
}: {
  fields: { name: FieldMeta; shortName: FieldMeta; kind: FieldMeta; regionId: FieldMeta };
  kindOptions: Option[];
  regionOptions: Option[];
  autoFocus?: boolean;
}) {
  return (
    <>
      <TextField
        label="单位名称"
        required
        autoFocus={autoFocus}
        name={fields.name.name}
        errors={fields.name.errors}
        defaultValue={fields.name.initialValue}
        maxLength={60}
        hint="全称，最多 60 个字符，不能与已有单位重名"
      />
      <TextField
        label="简称"
        name={fields.shortName.name}
        errors={fields.shortName.errors}
        defaultValue={fields.shortName.initialValue}
        maxLength={20}
        hint="可选，最多 20 个字符"
      />
      <div className="grid gap-4 md:grid-cols-2">
        <SelectField
          label="单位类型"
          required
          name={fields.kind.name}
          errors={fields.kind.errors}
          defaultValue={fields.kind.initialValue ?? ""}
          options={kindOptions}
          placeholder="请选择单位类型"
        />
        <SelectField
          label="所属区划"
          required
          name={fields.regionId.name}
          errors={fields.regionId.errors}
          defaultValue={fields.regionId.initialValue ?? ""}
          options={regionOptions}
          placeholder="请选择所属区划"
        />
      </div>
    </>
  );
}

/** 单位 and 角色 of a membership, shared by 新建用户 and 添加单位身份. */
export function MembershipFields({
  fields,
  orgOptions,
  roleOptions,
  orgLabel,
  idPrefix,
  className = "grid gap-4 md:grid-cols-2",
}: {
  fields: { orgId: FieldMeta; role: FieldMeta };
  orgOptions: Option[];
  roleOptions: Option[];
  orgLabel: string;
  /** Stable ids for the selects (a page with two forms). */
  idPrefix?: string;
  className?: string;
}) {
  return (
    <div className={className}>
      <SelectField
        label={orgLabel}
        required
        id={idPrefix ? `${idPrefix}-org` : undefined}
        name={fields.orgId.name}
        errors={fields.orgId.errors}
        defaultValue={fields.orgId.initialValue ?? ""}
        options={orgOptions}
        placeholder="请选择单位"
      />
      <SelectField
        label="角色"
        required
        id={idPrefix ? `${idPrefix}-role` : undefined}
        name={fields.role.name}
        errors={fields.role.errors}
        defaultValue={fields.role.initialValue ?? ""}
        options={roleOptions}
        placeholder="请选择角色"
      />
    </div>
  );
}
