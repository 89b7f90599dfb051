import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApiCall, methodNotAllowed, notFoundCall } from "~/services/api/client.server";
import { postClueStep, type ClueStep } from "~/services/api/clues.server";
import { commandContext } from "~/services/context.server";

const STEPS: readonly ClueStep[] = ["receipt", "handling", "return", "feedback"];
const isStep = (s: string | undefined): s is ClueStep => STEPS.includes(s as ClueStep);

/** POST /api/v1/clues/{id}/receipt | handling | return | feedback — a step of the clue (WRITE scope, ADR 027). */
export function action({ request, params, context }: ActionFunctionArgs) {
  const step = params.step;
  if (!isStep(step)) return notFoundCall(request);
  if (request.method !== "POST") return methodNotAllowed(request);
  const ctx = commandContext(request, context);
  return handleApiCall(request, "WRITE", (client) => postClueStep(client, params.clueId, step, request, ctx));
}

export function loader({ request, params }: LoaderFunctionArgs) {
  return isStep(params.step) ? methodNotAllowed(request) : notFoundCall(request);
}
