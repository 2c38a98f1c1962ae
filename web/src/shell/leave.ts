// Signing out of this browser. First what was set up here for the person is undone: their
// Web Push subscription (which would otherwise keep showing their notices to whoever uses the
// browser next; removing it from the API takes their token, so it goes first) and the account
// they last opened. Then the session ends. The clean-up never keeps anyone signed in: when it
// fails or takes longer than CLEAN_UP_LIMIT_MS, the session ends all the same.
import type { ApiClients } from "../api/client";
import { disablePush } from "../notifications/push";
import { forgetAccount } from "./lastAccount";

export const CLEAN_UP_LIMIT_MS = 3000;

function atMost(limitMs: number, work: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, limitMs);
    work.then(resolve, resolve).finally(() => { clearTimeout(timer); });
  });
}

export async function leave(api: ApiClients, signOut: () => Promise<void>): Promise<void> {
  await atMost(CLEAN_UP_LIMIT_MS, disablePush(api));
  forgetAccount();
  await signOut();
}
