// CORS for browser callers (supabase-js sends these request headers) and the JSON response
// helpers every function uses, so every answer, error or not, carries the same headers.

export const corsHeaders: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "authorization, x-client-info, apikey, content-type, x-retry-count",
  "Access-Control-Allow-Methods": "POST, GET, OPTIONS",
};

/** The answer to a CORS preflight, or null when `req` is not one. */
export function preflight(req: Request): Response | null {
  return req.method === "OPTIONS" ? new Response("ok", { headers: corsHeaders }) : null;
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...corsHeaders, "Content-Type": "application/json" },
  });
}

/** An error a caller can show: `{error: message}` plus optional details. */
export function errorResponse(status: number, message: string, extra: Record<string, unknown> = {}): Response {
  return json({ error: message, ...extra }, status);
}

/** A failure with the HTTP status to answer with. */
export class HttpError extends Error {
  constructor(public status: number, message: string, public extra: Record<string, unknown> = {}) {
    super(message);
  }
}

/** Runs a handler with preflight handling and turns thrown errors into JSON answers. */
export function withCors(handler: (req: Request) => Promise<Response>): (req: Request) => Promise<Response> {
  return async (req) => {
    const pre = preflight(req);
    if (pre) return pre;
    try {
      return await handler(req);
    } catch (e) {
      if (e instanceof HttpError) return errorResponse(e.status, e.message, e.extra);
      console.error(e);
      return errorResponse(
        500,
        "Unexpected error in the function — try again; if it persists, check the function logs.",
      );
    }
  };
}

/** The JSON body of a request, or a 400 that says what is wrong. */
export async function readJson(req: Request): Promise<Record<string, unknown>> {
  if (req.method !== "POST") throw new HttpError(405, `Use POST (got ${req.method}).`);
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new HttpError(400, "The request body must be JSON.");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new HttpError(400, "The request body must be a JSON object.");
  }
  return body as Record<string, unknown>;
}
