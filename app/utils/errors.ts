import { json, type TypedResponse } from "@remix-run/node";
import { DomainError, ERRORS, isDomainError, type ErrorId, type FieldErrors } from "~/domain/errors";

/**
 * The HTTP edge of the error contract (ADR 016): a domain error becomes a status and a JSON body in
 * Chinese. Loaders throw (`httpError`, `invariantResponse`, or a command's DomainError through
 * `toHttp`); actions answer their form with `runAction`, whose refusal body `{ error, id, fieldErrors }`
 * every page renders the same way. One error boundary renders thrown ones.
 */
export { ERRORS, type ErrorId } from "~/domain/errors";

export interface ErrorBody {
  error: { id: ErrorId; message: string };
}

export function errorBody(id: ErrorId, message?: string): ErrorBody {
  return { error: { id, message: message ?? ERRORS[id].message } };
}

/** A JSON Response carrying a typed error; thrown from loaders/actions. */
export function httpError(id: ErrorId, message?: string): Response {
  return new Response(JSON.stringify(errorBody(id, message)), {
    status: ERRORS[id].status,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}

export function invariantResponse(condition: unknown, id: ErrorId, message?: string): asserts condition {
  if (!condition) throw httpError(id, message);
}

/** The Response of a domain error (for loaders: `throw toHttp(error)`). */
export function toHttp(error: DomainError): Response {
  return httpError(error.id, error.message);
}

/** What an action answers a form it refuses: the message, its id and the fields it concerns. */
export interface ActionError {
  ok: false;
  error: string;
  id: ErrorId;
  fieldErrors?: FieldErrors;
}

export function actionError(error: DomainError): ActionError {
  return {
    ok: false,
    error: error.message,
    id: error.id,
    ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
  };
}

/**
 * Runs an action's command: its result (usually a redirect) as it is, a domain error as the refusal
 * body with the error's status. Anything else is a bug and goes to the error boundary (500).
 */
export async function runAction<T>(command: () => Promise<T>): Promise<T | TypedResponse<ActionError>> {
  try {
    return await command();
  } catch (error) {
    if (isDomainError(error)) return json(actionError(error), { status: error.status });
    throw error;
  }
}

/** Loaders: a domain error becomes the thrown Response (rendered by the error boundary). */
export async function orThrowHttp<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isDomainError(error)) throw toHttp(error);
    throw error;
  }
}

/** A conform submission's reply (structural, so this module does not depend on conform). */
interface FormSubmission<R> {
  reply(options: { formErrors?: string[]; fieldErrors?: FieldErrors; hideFields?: string[] }): R;
}

/**
 * Runs the command of a conform form: its result as it is; a domain error as the submission's reply
 * with the error's status — its field errors under their fields, else its message as the form's error.
 */
export async function runFormAction<T, R>(
  submission: FormSubmission<R>,
  command: () => Promise<T>,
  options: { hideFields?: string[] } = {},
): Promise<T | TypedResponse<R>> {
  try {
    return await command();
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const reply = error.fieldErrors
      ? submission.reply({ fieldErrors: error.fieldErrors, ...options })
      : submission.reply({ formErrors: [error.message], ...options });
    return json(reply, { status: error.status });
  }
}

/**
 * What a conform form shows for a refused command (`submission.reply(conformReply(error))`): the
 * error's field messages under their fields, else its message above the form.
 */
export function conformReply(error: DomainError): { formErrors?: string[]; fieldErrors?: FieldErrors } {
  return error.fieldErrors ? { fieldErrors: error.fieldErrors } : { formErrors: [error.message] };
}
