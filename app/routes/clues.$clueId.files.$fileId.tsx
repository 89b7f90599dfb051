import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/services/auth/current-user.server";
import { readClueFile } from "~/services/clue-pages.server";
import { commandContext } from "~/services/context.server";
import { orThrowHttp } from "~/utils/errors";
import { attachmentResponse } from "~/utils/file-response.server";

/**
 * GET /clues/:clueId/files/:fileId — a material of a clue (移送材料 or 反馈材料), for its handlers only;
 * every download is recorded (`clue.file_downloaded`) before the file is sent.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const file = await orThrowHttp(() =>
    readClueFile(user, params.clueId, params.fileId, commandContext(request, context)),
  );
  return attachmentResponse(file);
}
