import { useActionData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";

/**
 * One mechanism for every form that stays on its page after a submission: a key that changes when a
 * submission of this page succeeded (the action redirected, or answered without `ok: false`). Put it
 * on the form (or the component holding the form's state): the text and chosen files are cleared, so
 * nothing invites sending the same report twice. A refused submission keeps what was typed.
 */
export function useResetAfterSuccess(): number {
  const navigation = useNavigation();
  const actionData = useActionData<unknown>();
  const [key, setKey] = useState(0);
  const submitted = useRef(false);
  useEffect(() => {
    if (navigation.state === "submitting") {
      submitted.current = true;
      return;
    }
    if (navigation.state !== "idle" || !submitted.current) return;
    submitted.current = false;
    const refused =
      typeof actionData === "object" && actionData !== null && (actionData as { ok?: unknown }).ok === false;
    if (!refused) setKey((k) => k + 1);
  }, [navigation.state, actionData]);
  return key;
}
