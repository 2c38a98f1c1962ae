// The portal's words, one catalog per language. English is complete and the fallback; a
// language is added by adding a catalog with the same keys (the type checks completeness).

const en = {
  "app.name": "SCTS portal",
  "app.skip": "Skip to content",
  "nav.main": "Main",
  "nav.account": "Account",
  "nav.accountAdmin": "Account administration",
  "nav.me": "You",
  "nav.staff": "STX staff",
  "nav.staffView": "Account (staff view)",
  "nav.staffOverview": "My accounts",
  "nav.staffAccounts": "Accounts",
  "nav.staffNewAccount": "New account",
  "nav.staffCams": "Account managers",
  "nav.staffPublishers": "Publishers",
  "nav.staffAudit": "Audit trail",
  "staff.banner": "Staff view of {name}: read only. You see what its members see; nothing can be changed here.",
  "staff.role": "Account manager (staff, read only)",
  "account.suspended.title": "This account is suspended",
  "account.suspended.body":
    "STX has suspended {name}. Its pages cannot be opened until the account is reactivated. Contact your STX account manager if you think this is a mistake.",
  "nav.overview": "Overview",
  "nav.dashboard": "Dashboard",
  "nav.trades": "Trades",
  "nav.holdings": "Holdings",
  "nav.forwardDeals": "Forward deals",
  "nav.retirements": "Retirements",
  "nav.invoices": "Invoices and financials",
  "nav.usage": "Usage and targets",
  "nav.documents": "Documents",
  "nav.notifications": "Notifications",
  "nav.notificationPreferences": "Notification settings",
  "header.notifications": "Notifications",
  "nav.members": "Members",
  "nav.invitations": "Invitations",
  "nav.roles": "Roles",
  "nav.audit": "Audit log",
  "nav.profile": "Profile and preferences",
  "nav.security": "Sign-in security",
  "nav.myInvitations": "Invitations for you",
  "header.account": "Account",
  "header.userMenu": "User menu for",
  "header.signOut": "Sign out",
  "account.inactive": "This account is {status}. Its data can be read but nothing can be changed.",
  "state.loading": "Loading…",
  "state.failed": "This could not be loaded.",
  "state.retry": "Try again",
  "state.requestId": "Request id",
  "state.noAccount.title": "No account yet",
  "state.noAccount.body":
    "You are not a member of any account. When someone invites you, the invitation appears here.",
  "error.title": "Something went wrong",
  "error.body": "The page failed to show. Reload it, or go back to the start.",
  "error.home": "Back to the start",
  "notFound.title": "Page not found",
  "notFound.body": "There is nothing at this address, or it is not yours to see.",
  "expired.title": "Your session has ended",
  "expired.body":
    "For your security you were signed out. Sign in again to continue where you left off.",
  "expired.signIn": "Sign in again",
  "permission.portfolio:read": "See the portfolio",
  "permission.portfolio:manage": "Manage the portfolio",
  "permission.trades:read": "See trades",
  "permission.trades:manage": "Manage trades",
  "permission.documents:read": "See documents",
  "permission.documents:manage": "Manage documents",
  "permission.billing:read": "See invoices and payments",
  "permission.billing:manage": "Manage billing",
  "permission.usage_targets:read": "See usage and targets",
  "permission.usage_targets:manage": "Edit usage and targets",
  "permission.users:read": "See the account's people and audit log",
  "permission.users:manage": "Invite people and change roles",
  "permission.notifications:read": "See notifications",
  "permission.notifications:manage": "Manage notifications",
  "role.admin": "Administrator",
  "role.trader": "Trader",
  "role.finance": "Finance",
  "role.viewer": "Viewer",
} as const;

export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;

const CATALOGS: Record<string, Catalog> = { en };

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** `t` for a BCP 47 locale: its language's catalog, else English. */
export function translator(locale: string): Translate {
  const language = locale.split("-")[0]?.toLowerCase() ?? "en";
  const catalog = CATALOGS[language] ?? en;
  return (key, values) =>
    catalog[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      values && name in values ? String(values[name]) : whole,
    );
}

/** A label for a permission string; unknown ones (new areas) show as they are. */
export function permissionLabel(t: Translate, permission: string): string {
  const key = `permission.${permission}`;
  return key in en ? t(key as MessageKey) : permission;
}
