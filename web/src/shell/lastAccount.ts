// The account a person last looked at, for "/" in this tab (sessionStorage; not a secret),
// forgotten when they sign out.
const KEY = "scts.lastAccount";

export function rememberAccount(accountId: string): void {
  window.sessionStorage.setItem(KEY, accountId);
}

export function rememberedAccount(): string | null {
  return window.sessionStorage.getItem(KEY);
}

export function forgetAccount(): void {
  window.sessionStorage.removeItem(KEY);
}
