// Where a notification leads: the notifications API's typed `target` mapped to this app's
// routes, and whether the person may open that page (a link to a page they may not open is
// not shown; the item still reads). The service maps kinds to targets; both sides are tested
// against one table, `portal-links.json`, so the paths in emails and pushes are routes here.
import type { Me } from "../api/models";
import type { components } from "../api/generated/notifications";
import { type AccountPageId, accountPath, mayOpen } from "../navigation";

export type NotificationTarget = components["schemas"]["NotificationTarget"];
export type PortalPage = NotificationTarget["page"];

/** The account page of each account target (and its path below /accounts/<id>). */
const ACCOUNT_TARGETS: Record<Exclude<PortalPage, "my_invitations" | "security" | "home">, { id: AccountPageId; path: string; detail: boolean }> = {
  trade: { id: "trades", path: "trades", detail: true },
  invoice: { id: "invoices", path: "invoices", detail: true },
  retirements: { id: "retirements", path: "retirements", detail: false },
  documents: { id: "documents", path: "documents", detail: false },
  account: { id: "overview", path: "", detail: false },
};

const PERSONAL: Record<"my_invitations" | "security" | "home", string> = {
  my_invitations: "/me/invitations",
  security: "/me/security",
  home: "/",
};

function isPersonal(page: PortalPage): page is keyof typeof PERSONAL {
  return page in PERSONAL;
}

export function targetPath(target: NotificationTarget): string {
  if (isPersonal(target.page)) return PERSONAL[target.page];
  const page = ACCOUNT_TARGETS[target.page];
  if (!target.account_id) return "/";
  const path = accountPath(target.account_id, page.path);
  return page.detail && target.reference ? `${path}/${encodeURIComponent(target.reference)}` : path;
}

/** The app's page for the target, if it is an account page (for the permission check). */
export function targetPage(target: NotificationTarget): AccountPageId | null {
  return isPersonal(target.page) ? null : ACCOUNT_TARGETS[target.page].id;
}

/** Whether the person may open the target's page (personal pages: always). */
export function mayFollow(me: Me, target: NotificationTarget): boolean {
  const page = targetPage(target);
  if (page === null) return true;
  return target.account_id !== null && mayOpen(me, target.account_id, page);
}
