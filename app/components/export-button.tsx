import { Download } from "lucide-react";
import { useEffect, useRef, useState, type MouseEvent } from "react";
import { acquireSocket } from "~/realtime/socket.client";

interface Progress {
  fraction: number;
  label: string;
}

function filenameFrom(disposition: string | null, fallback: string): string {
  const m = disposition?.match(/filename\*=UTF-8''([^;]+)/i);
  if (!m) return fallback;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return fallback;
  }
}

/**
 * 导出 button: a plain download link that, with scripts, shows the server's progress (over the
 * page's socket) and then the download's, and reports failures in Chinese instead of a broken file.
 */
export function ExportButton({ href, label, fallbackName }: { href: string; label: string; fallbackName: string }) {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tokenRef = useRef<string | null>(null);

  useEffect(() => {
    const { socket, release } = acquireSocket();
    const onProgress = (p: { token: string; fraction: number; label: string }) => {
      // The server's part is the first 80 %; the download is the rest.
      if (p.token === tokenRef.current)
        setProgress((cur) =>
          cur && cur.fraction >= 0.8 ? cur : { fraction: Math.min(0.8, p.fraction * 0.8), label: p.label },
        );
    };
    socket.on("export:progress", onProgress);
    return () => {
      socket.off("export:progress", onProgress);
      release();
    };
  }, []);

  async function start(event: MouseEvent<HTMLAnchorElement>) {
    event.preventDefault();
    if (progress) return;
    const token = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join(
      "",
    );
    tokenRef.current = token;
    setError(null);
    setProgress({ fraction: 0.02, label: "正在准备" });
    try {
      const response = await fetch(`${href}${href.includes("?") ? "&" : "?"}progress=${token}`, {
        credentials: "same-origin",
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(body?.error?.message ?? `导出失败（错误代码 ${response.status}），请稍后重试。`);
      }
      const total = Number(response.headers.get("Content-Length")) || 0;
      const reader = response.body?.getReader();
      const chunks: Uint8Array[] = [];
      let received = 0;
      if (reader) {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          received += value.byteLength;
          if (total) setProgress({ fraction: 0.8 + 0.2 * (received / total), label: "正在下载" });
        }
      }
      const blob = new Blob(chunks as BlobPart[], {
        type: response.headers.get("Content-Type") ?? "application/octet-stream",
      });
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = filenameFrom(response.headers.get("Content-Disposition"), fallbackName);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setProgress({ fraction: 1, label: "已完成" });
      setTimeout(() => setProgress(null), 1500);
    } catch (err) {
      setProgress(null);
      setError(err instanceof Error && err.message ? err.message : "导出失败，请稍后重试。");
    } finally {
      tokenRef.current = null;
    }
  }

  return (
    <span className="inline-flex flex-col gap-1">
      <a
        href={href}
        onClick={start}
        aria-busy={progress ? true : undefined}
        className="inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50"
      >
        <Download className="h-4 w-4" aria-hidden />
        {label}
      </a>
      {progress ? (
        <span role="status" className="flex items-center gap-2 text-xs text-slate-600">
          <progress
            max={1}
            value={progress.fraction}
            className="h-1.5 w-24 accent-brand-600"
            aria-label={`${label}进度`}
          />
          {progress.label}
        </span>
      ) : null}
      {error ? (
        <span role="alert" className="max-w-xs text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}
