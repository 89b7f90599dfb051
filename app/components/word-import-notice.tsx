import { useSearchParams } from "@remix-run/react";
import { useEffect } from "react";
import { Notice } from "~/components/ui";
import { decodeWordImport, describeWordImport } from "~/domain/word-import";

/**
 * After 从 Word 导入 (ADR 020) the new document opens with `?imported=word&ignored=image-2.…`: this
 * says so once, with what was left out (kinds and counts only ever travel in the URL, never text).
 * The parameters are then taken out of the address, so a reload or a later visit does not repeat it.
 */
export function WordImportNotice() {
  const [params] = useSearchParams();
  const imported = params.get("imported") === "word";
  const lines = describeWordImport(decodeWordImport(params.get("ignored")));
  useEffect(() => {
    if (!imported) return;
    const url = new URL(window.location.href);
    url.searchParams.delete("imported");
    url.searchParams.delete("ignored");
    window.history.replaceState(window.history.state, "", `${url.pathname}${url.search}${url.hash}`);
  }, [imported]);
  if (!imported) return null;
  return (
    <Notice tone="success">
      <p>已从 Word 导入文书内容，请核对标题层级、列表和表格。</p>
      {lines.length ? (
        <>
          <p className="mt-1">以下内容未能按原样导入：</p>
          <ul className="mt-1 list-disc pl-5">
            {lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      ) : null}
    </Notice>
  );
}
