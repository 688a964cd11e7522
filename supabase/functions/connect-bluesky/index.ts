// connect-bluesky: POST {identifier, password, service} with the caller's JWT → {account}.
// Signs in at the hosting provider with an app password (used once, never stored), finds the
// account's PDS in its DID document, and records the account as `active` with its tokens sealed
// (AES-GCM) where only the server reads them. Every failure is a message for the form, and
// leaves nothing stored.
import { requireCallerId } from "../_shared/auth.ts";
import { json, readJson, withCors } from "../_shared/cors.ts";
import { sealToken } from "../_shared/crypto.ts";
import { serviceClient } from "../_shared/supabase.ts";
import { parseInput } from "./input.ts";
import { displayName, endSession, signIn } from "./signin.ts";
import { saveConnection } from "./store.ts";

Deno.serve(withCors(async (req) => {
  const userId = requireCallerId(req);
  const input = parseInput(await readJson(req));
  // No key, no connection: find out before signing in anywhere.
  await sealToken("");
  const session = await signIn(input);
  try {
    const name = await displayName(session);
    const sealed = {
      accessToken: await sealToken(session.accessJwt),
      refreshToken: await sealToken(session.refreshJwt),
    };
    const account = await saveConnection(serviceClient(), userId, session, name, sealed);
    return json({ account });
  } catch (e) {
    await endSession(session);
    throw e;
  }
}));
