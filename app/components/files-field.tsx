import { FormErrors } from "~/components/ui";

/** A stored file's size as lists show it: "12 KB" (at least 1 KB). */
export function fileSizeLabel(bytes: number): string {
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** What the upload checks accept (`uploadLimits()` on the server), shown next to the field. */
export interface UploadLimits {
  maxFiles: number;
  maxMb: number;
  extensions: readonly string[];
}

/**
 * A labelled multiple-file input named `files` with the accepted types and sizes under it and its
 * errors; the form posts it as multipart and the server checks each upload (`checkUploads`).
 */
export function FilesField({
  label,
  limits,
  errors,
  note,
}: {
  label: string;
  limits: UploadLimits;
  errors?: readonly string[] | null;
  note?: string;
}) {
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="font-medium text-slate-700">
        {label}（可选，最多 {limits.maxFiles} 个）
      </span>
      <input
        type="file"
        name="files"
        multiple
        accept={limits.extensions.map((e) => `.${e}`).join(",")}
        className="text-sm"
      />
      <span className="text-xs text-slate-500">
        支持 {limits.extensions.join("、")}，每个不超过 {limits.maxMb} MB{note ? `；${note}` : ""}。
      </span>
      <FormErrors errors={errors ? [...errors] : undefined} />
    </label>
  );
}
