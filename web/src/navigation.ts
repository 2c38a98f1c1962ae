// Which pages a person may open, decided once from identity's GET /v1/me: the menus and the
// route guards read the same table, so a link is shown exactly when its page would load
// (a page someone may not open answers "not found", like the APIs do, never a 403 screen).
//
// Account pages live under /accounts/<id>/...; the permissions are those of the caller's
// membership in that account. Staff pages (issue 17) will add a section keyed on
// `scts_admin` / `cam` the same way.
import type { Me, Membership } from "./api/models";
import type { MessageKey } from "./i18n/messages";

export type AccountPageId =
  | "overview"
  | "dashboard"
  | "trades"
  | "holdings"
  | "forwardDeals"
  | "retirements"
  | "invoices"
  | "usage"
  | "documents"
  | "members"
  | "invitations"
  | "roles"
  | "audit";

interface AccountPage {
  id: AccountPageId;
  /** Path below /accounts/<id>; "" is the account's overview. */
  path: string;
  label: MessageKey;
  section: "account" | "accountAdmin";
  /** Every listed permission is needed. */
  requires: readonly string[];
  /** At least one of these is needed too (when given). */
  requiresAny?: readonly string[];
}

export const ACCOUNT_PAGES: readonly AccountPage[] = [
  { id: "overview", path: "", label: "nav.overview", section: "account", requires: [] },
  { id: "dashboard", path: "dashboard", label: "nav.dashboard", section: "account", requires: ["portfolio:read"] },
  { id: "trades", path: "trades", label: "nav.trades", section: "account", requires: ["trades:read"] },
  { id: "holdings", path: "holdings", label: "nav.holdings", section: "account", requires: ["portfolio:read"] },
  { id: "forwardDeals", path: "forward-deals", label: "nav.forwardDeals", section: "account", requires: ["portfolio:read"] },
  { id: "retirements", path: "retirements", label: "nav.retirements", section: "account", requires: ["portfolio:read"] },
  { id: "invoices", path: "invoices", label: "nav.invoices", section: "account", requires: ["billing:read"] },
  { id: "usage", path: "usage", label: "nav.usage", section: "account", requires: ["usage_targets:read"] },
  {
    id: "documents",
    path: "documents",
    label: "nav.documents",
    section: "account",
    requires: [],
    // documents' own rule: a person reads the kinds their trades / billing / portfolio
    // permissions cover, and the list answers when at least one kind is readable.
    requiresAny: ["trades:read", "billing:read", "portfolio:read"],
  },
  { id: "members", path: "members", label: "nav.members", section: "accountAdmin", requires: ["users:read"] },
  { id: "invitations", path: "invitations", label: "nav.invitations", section: "accountAdmin", requires: ["users:read"] },
  { id: "roles", path: "roles", label: "nav.roles", section: "accountAdmin", requires: ["users:read"] },
  { id: "audit", path: "audit", label: "nav.audit", section: "accountAdmin", requires: ["users:read"] },
];

export interface NavLink {
  id: string;
  to: string;
  label: MessageKey;
}

export interface NavSection {
  id: string;
  label: MessageKey;
  links: NavLink[];
}

export function accountPath(accountId: string, path = ""): string {
  const base = `/accounts/${encodeURIComponent(accountId)}`;
  return path ? `${base}/${path}` : base;
}

export function membership(me: Me, accountId: string | undefined): Membership | undefined {
  return me.memberships.find((m) => m.account_id === accountId);
}

export function can(member: Membership | undefined, permission: string): boolean {
  return member?.permissions.includes(permission) ?? false;
}

export function mayOpen(me: Me, accountId: string | undefined, page: AccountPageId): boolean {
  const member = membership(me, accountId);
  const definition = ACCOUNT_PAGES.find((p) => p.id === page);
  if (!member || !definition) return false;
  const any = definition.requiresAny;
  return (
    definition.requires.every((permission) => can(member, permission)) &&
    (!any || any.some((permission) => can(member, permission)))
  );
}

/** The menu for the person in the account they are looking at (if any). */
export function navigation(me: Me, accountId: string | undefined): NavSection[] {
  const sections: NavSection[] = [];
  const member = membership(me, accountId);
  if (member) {
    for (const section of ["account", "accountAdmin"] as const) {
      const links = ACCOUNT_PAGES.filter(
        (page) => page.section === section && mayOpen(me, member.account_id, page.id),
      ).map((page) => ({
        id: page.id,
        to: accountPath(member.account_id, page.path),
        label: page.label,
      }));
      if (links.length) {
        sections.push({ id: section, label: section === "account" ? "nav.account" : "nav.accountAdmin", links });
      }
    }
  }
  const mine: NavLink[] = [
    { id: "profile", to: "/me/profile", label: "nav.profile" },
    { id: "security", to: "/me/security", label: "nav.security" },
    { id: "notifications", to: "/me/notifications", label: "nav.notifications" },
    { id: "notification-preferences", to: "/me/notification-preferences", label: "nav.notificationPreferences" },
  ];
  if (me.invitations.length) {
    mine.push({ id: "my-invitations", to: "/me/invitations", label: "nav.myInvitations" });
  }
  sections.push({ id: "me", label: "nav.me", links: mine });
  return sections;
}

/** Where "/" leads: the remembered account if still a member, else the first; people
 *  without a membership see their invitations (if any) or the empty state. */
export function landingPath(me: Me, rememberedAccount: string | null): string {
  const chosen =
    membership(me, rememberedAccount ?? undefined) ?? me.memberships[0];
  if (chosen) return accountPath(chosen.account_id);
  if (me.invitations.length) return "/me/invitations";
  return "/welcome";
}
