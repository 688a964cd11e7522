// What a failed generation tells its creator. "Try again" only where trying again can succeed
// (a timeout, a provider or storage hiccup); a failure that would repeat says what to change.
import { ProviderError } from "../_shared/http.ts";

/** A failure that the same request would meet again: its message says what to change. */
export class PermanentFailure extends ProviderError {}

/** What supabase-js's Storage calls return as `error` (StorageApiError's fields). */
export interface StorageFailure {
  message: string;
  status?: number;
  statusCode?: string;
}

const MIB = 1024 * 1024;
const mib = (bytes: number) => `${Math.round((bytes / MIB) * 10) / 10} MiB`;

/** Whether Storage refused the object for its size (413 / "exceeded the maximum allowed size"). */
export function isTooLarge(error: StorageFailure): boolean {
  return error.status === 413 || error.statusCode === "413" ||
    /maximum allowed size|payload too large|too large/i.test(error.message);
}

/** Whether Storage refused the object's type (415 / "mime type … is not supported"). */
export function isRefusedType(error: StorageFailure): boolean {
  return error.status === 415 || error.statusCode === "415" || /mime type .* not supported/i.test(error.message);
}

/** The failure to record when storing an output of `bytes` bytes and `contentType` failed. */
export function storageFailure(error: StorageFailure, bytes: number, contentType: string): ProviderError {
  if (isTooLarge(error)) {
    return new PermanentFailure(
      `The output (${mib(bytes)}) is larger than storage accepts: ask for a lower resolution or a shorter video.`,
    );
  }
  if (isRefusedType(error)) {
    return new PermanentFailure(
      `The provider sent ${contentType}, which the media bucket does not accept: choose another model or provider.`,
    );
  }
  return new ProviderError(`Storing the result failed: ${error.message} — try again`);
}

/** Whether a recorded message invites a retry (so a test can check every message's promise). */
export function invitesRetry(message: string): boolean {
  return /try again|retry/i.test(message);
}
