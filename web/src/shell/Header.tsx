import { useEffect, useId, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import type { Me } from "../api/models";
import { useAuth } from "../auth/session";
import { usePresentation, useServices } from "../context";
import { NotificationBell } from "../notifications/Bell";
import { ACCOUNT_PAGES, accountPath, mayOpen, membership, openableAccounts } from "../navigation";
import { leave } from "./leave";

/** The account being looked at, and the same page in another account when switching
 *  (if the person may open it there; else that account's overview). */
function AccountSwitcher({ me, accountId, page }: { me: Me; accountId?: string; page?: string }) {
  const { t } = usePresentation();
  const navigate = useNavigate();
  const id = useId();
  const current = membership(me, accountId);
  const accounts = openableAccounts(me);
  if (accounts.length === 0) return null;
  if (accounts.length === 1) {
    const only = accounts[0];
    return <span className="account-name">{only?.account_name}</span>;
  }
  return (
    <div className="account-switcher">
      <label htmlFor={id}>{t("header.account")}</label>
      <select
        id={id}
        value={current?.account_id ?? ""}
        onChange={(event) => {
          const target = event.target.value;
          const same = ACCOUNT_PAGES.find((p) => p.path === page);
          void navigate(
            same && mayOpen(me, target, same.id) ? accountPath(target, same.path) : accountPath(target),
          );
        }}
      >
        {!current && <option value="">—</option>}
        {accounts.map((m) => (
          <option key={m.account_id} value={m.account_id}>
            {m.account_name}
          </option>
        ))}
      </select>
    </div>
  );
}

function UserMenu({ name }: { name: string }) {
  const { t } = usePresentation();
  const { api } = useServices();
  const { signOut } = useAuth();
  const [open, setOpen] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent) {
        if (event.key !== "Escape") return;
        button.current?.focus();
      } else if (root.current?.contains(event.target as Node)) {
        return;
      }
      setOpen(false);
    };
    document.addEventListener("keydown", close);
    document.addEventListener("mousedown", close);
    return () => {
      document.removeEventListener("keydown", close);
      document.removeEventListener("mousedown", close);
    };
  }, [open]);

  return (
    <div className="user-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="user-menu-button"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => {
          setOpen((value) => !value);
        }}
      >
        <span aria-hidden="true" className="avatar">
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span className="visually-hidden">{t("header.userMenu")} </span>
        <span className="user-name">{name}</span>
      </button>
      {open && (
        <ul id={menuId} className="user-menu-list">
          <li>
            <Link to="/me/profile" onClick={() => { setOpen(false); }}>
              {t("nav.profile")}
            </Link>
          </li>
          <li>
            <Link to="/me/security" onClick={() => { setOpen(false); }}>
              {t("nav.security")}
            </Link>
          </li>
          <li>
            <button
              type="button"
              disabled={leaving}
              onClick={() => {
                setLeaving(true);
                void leave(api, signOut);
              }}
            >
              {t("header.signOut")}
            </button>
          </li>
        </ul>
      )}
    </div>
  );
}

export function Header({ me, name, accountId, page }: { me: Me; name: string; accountId?: string; page?: string }) {
  const { t } = usePresentation();
  return (
    <header className="app-header">
      <Link to="/" className="brand">
        {t("app.name")}
      </Link>
      <AccountSwitcher me={me} accountId={accountId} page={page} />
      <div className="header-end">
        <NotificationBell />
        <UserMenu name={name} />
      </div>
    </header>
  );
}
