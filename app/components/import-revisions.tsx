import { FileUp } from "lucide-react";
import { useId, useRef, useState, type FormEvent } from "react";
import { Button } from "~/components/ui";

interface Report {
  placed: number;
  unplaced: Array<{ kind: "insertion" | "deletion"; text: string; paragraph: string; reason: string }>;
  comments: number;
  unplacedComments: string[];
}

/**
 * 导入修订稿 (ADR 019): an agency that revised the Word file in Word or WPS uploads it; its tracked
 * changes become the agency's 修订 in this draft, and the ones that no longer fit are listed here.
 */
export function ImportRevisions({ documentId }: { documentId: string }) {
  const inputId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<Report | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = new FormData(event.currentTarget);
    const file = body.get("file");
    if (!(file instanceof File) || file.size === 0) return setError("请选择要导入的修订稿（.docx）。");
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const res = await fetch(`/documents/${documentId}/suggestions`, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
      });
      const answer = (await res.json().catch(() => ({}))) as Partial<Report> & {
        ok?: boolean;
        error?: unknown;
      };
      if (res.ok && answer.ok) {
        setReport({
          placed: answer.placed ?? 0,
          unplaced: answer.unplaced ?? [],
          comments: answer.comments ?? 0,
          unplacedComments: answer.unplacedComments ?? [],
        });
        formRef.current?.reset();
      } else {
        const message =
          answer.error && typeof answer.error === "object"
            ? (answer.error as { message?: unknown }).message
            : answer.error;
        setError(typeof message === "string" ? message : "导入未成功，请稍后重试。");
      }
    } catch {
      setError("网络连接中断，修订稿未能导入，请稍后重试。");
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="text-sm">
      <summary className="inline-flex cursor-pointer items-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-700 shadow-sm hover:bg-slate-50">
        <FileUp className="h-4 w-4" aria-hidden />
        导入修订稿
      </summary>
      <form
        ref={formRef}
        onSubmit={submit}
        className="mt-2 flex w-80 max-w-[calc(100vw-2rem)] flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3 shadow-sm"
      >
        <input type="hidden" name="intent" value="import" />
        <label htmlFor={inputId} className="text-slate-700">
          在 Word 或 WPS 中以“修订”方式改过的文书（.docx，10 MB 以内）
        </label>
        <input
          id={inputId}
          name="file"
          type="file"
          accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
          className="text-slate-700"
        />
        <Button type="submit" disabled={busy}>
          {busy ? "正在导入…" : "导入为修订"}
        </Button>
        <p className="text-xs text-slate-600">
          其中的插入和删除按前后文字对应到当前文书，作为本单位的修订，由牵头单位接受或拒绝。
        </p>
        {error ? (
          <p role="alert" className="rounded bg-red-50 px-2 py-1 text-red-800">
            {error}
          </p>
        ) : null}
        {report ? (
          <div role="status" className="rounded bg-green-50 px-2 py-1 text-green-900">
            {`已导入 ${report.placed} 处修订${report.comments ? `、${report.comments} 条批注` : ""}。`}
            {report.unplaced.length ? (
              <>
                <span> 以下 {report.unplaced.length} 处无法对应到当前文书，未导入：</span>
                <ul className="mt-1 list-disc pl-5 text-slate-800">
                  {report.unplaced.map((u, i) => (
                    <li key={i}>
                      {u.kind === "insertion" ? "插入" : "删除"}「{u.text}」：{u.reason}（原段落：{u.paragraph}）
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {report.unplacedComments.length ? (
              <p className="mt-1 text-slate-800">
                {`以下批注所在的文字已不在文书中，未导入：${report.unplacedComments.map((q) => `「${q}」`).join("、")}`}
              </p>
            ) : null}
          </div>
        ) : null}
      </form>
    </details>
  );
}
