import { useEffect, useState, type ChangeEvent } from "react";
import { MAX_DOCX_BYTES } from "~/domain/word-import";

const TOO_LARGE = `Word 文件不能超过 ${MAX_DOCX_BYTES / 1024 / 1024} MB。`;
const NOT_DOCX = "请选择 .docx 格式的 Word 文档；旧版 .doc 文件请先在 Word 或 WPS 中另存为 .docx。";

/**
 * 从 Word 导入（.docx）on the 新建文书 form (ADR 020): an optional file whose content becomes the new
 * document's. Its hint and its error are linked to the input (aria-describedby); a file over the
 * limit or not named .docx is refused here at once (the server checks again).
 */
export function WordFileField({
  name,
  errors,
  onChange,
}: {
  name: string;
  errors?: string[];
  onChange?: (hasFile: boolean) => void;
}) {
  const id = `f-${name}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  // What the browser found in the chosen file (undefined until a file is chosen after the last answer).
  const [local, setLocal] = useState<string | null | undefined>(undefined);
  useEffect(() => setLocal(undefined), [errors]);
  const shown = local === undefined ? (errors ?? []) : local ? [local] : [];

  function changed(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    const problem = !file
      ? null
      : file.size > MAX_DOCX_BYTES
        ? TOO_LARGE
        : /\.docx$/i.test(file.name)
          ? null
          : NOT_DOCX;
    input.setCustomValidity(problem ?? "");
    setLocal(problem);
    onChange?.(Boolean(file) && !problem);
  }

  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        从 Word 导入（.docx）
      </label>
      <input
        id={id}
        name={name}
        type="file"
        accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        aria-invalid={shown.length ? true : undefined}
        aria-describedby={shown.length ? `${errorId} ${hintId}` : hintId}
        onChange={changed}
        className="text-sm text-slate-700 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-50"
      />
      <p id={hintId} className="text-xs text-slate-500">
        可选。已有的 Word 文档（{MAX_DOCX_BYTES / 1024 / 1024} MB
        以内）作为文书的初稿：保留标题层级、加粗倾斜下划线、列表和表格；图片、脚注、公式等无法导入的内容会在导入后列出。
      </p>
      {shown.length ? (
        <p id={errorId} className="text-sm text-red-700" role="alert">
          {shown.join("；")}
        </p>
      ) : null}
    </div>
  );
}
