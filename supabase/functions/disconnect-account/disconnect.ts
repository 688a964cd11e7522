// The work of disconnect-account: the account must be the caller's (read as them, so RLS
// decides); its token is revoked at the platform where the connector can (best effort, within a
// few seconds: a platform that is down must not keep a creator from removing an account); then
// public.disconnect_account deletes the stored credentials and either deletes the account or,
// when posts reference it, marks it revoked and cancels its pending posts.
import { HttpError } from "../_shared/cors.ts";
import type { AccountRef, Credentials } from "../_shared/delivery.ts";
import type { ConnectorRegistry } from "../publish-worker/engine.ts";

export const REVOKE_WITHIN_MS = 5_000;
export const NOT_YOURS = "This account is not yours or no longer exists.";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type DisconnectResult = "revoked" | "deleted";

export interface DisconnectDeps {
  /** The account as the caller sees it (null when RLS hides it or it does not exist). */
  findOwnAccount(accountId: string): Promise<AccountRef | null>;
  /** Its opened tokens, or null when none are stored (a mock account). */
  credentials(accountId: string): Promise<Credentials | null>;
  connectors: ConnectorRegistry;
  /** public.disconnect_account as service_role. */
  disconnect(accountId: string): Promise<DisconnectResult>;
  revokeWithinMs?: number;
}

export function parseAccountId(body: Record<string, unknown>): string {
  const id = body.account_id;
  if (typeof id !== "string" || !UUID.test(id)) {
    throw new HttpError(400, "Send {account_id: uuid}: the id of the account to disconnect.");
  }
  return id;
}

export async function disconnectAccount(
  accountId: string,
  deps: DisconnectDeps,
): Promise<{ result: DisconnectResult }> {
  const account = await deps.findOwnAccount(accountId);
  if (!account) throw new HttpError(404, NOT_YOURS);
  await revokeAtPlatform(account, deps);
  return { result: await deps.disconnect(accountId) };
}

/** Asks the platform to end the session; logs instead of failing, and stops waiting in time. */
async function revokeAtPlatform(account: AccountRef, deps: DisconnectDeps): Promise<void> {
  const connector = deps.connectors[account.platform];
  if (!connector?.revoke) return;
  let credentials: Credentials | null;
  try {
    credentials = await deps.credentials(account.id);
  } catch (e) {
    console.warn(
      `disconnect-account: the tokens of account ${account.id} could not be read, so they are not revoked at the platform:`,
      (e as Error).message,
    );
    return;
  }
  if (!credentials) return;
  const ms = deps.revokeWithinMs ?? REVOKE_WITHIN_MS;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), ms)));
  try {
    const outcome = await Promise.race([
      connector.revoke(account, credentials, controller.signal).then(() => "done" as const),
      late,
    ]);
    if (outcome === "late") {
      controller.abort();
      console.warn(
        `disconnect-account: ${account.platform} did not confirm the revocation of account ${account.id} within ${ms} ms; disconnecting anyway.`,
      );
    }
  } catch (e) {
    console.warn(
      `disconnect-account: revoking account ${account.id} at ${account.platform} failed; disconnecting anyway:`,
      (e as Error).message,
    );
  } finally {
    clearTimeout(timer);
  }
}
