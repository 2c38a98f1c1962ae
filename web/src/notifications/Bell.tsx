// The bell in the header: the notifications API's unread count, read again on every page
// change and whenever the inbox changes something (`notificationsChanged()`).
import { useCallback, useEffect, useState } from "react";
import { Link, useLocation } from "react-router";
import { unwrap } from "../api/client";
import { useServices, usePresentation } from "../context";

const CHANGED = "scts:notifications-changed";

export function notificationsChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

export function NotificationBell() {
  const { api } = useServices();
  const { t, format } = usePresentation();
  const location = useLocation();
  const [count, setCount] = useState<{ unread: number; capped: boolean } | null>(null);
  const refresh = useCallback(() => {
    unwrap(api.notifications.GET("/v1/me/notifications/unread-count")).then(setCount, () => {
      setCount(null);
    });
  }, [api]);

  useEffect(() => {
    refresh();
  }, [refresh, location.pathname]);
  useEffect(() => {
    window.addEventListener(CHANGED, refresh);
    return () => {
      window.removeEventListener(CHANGED, refresh);
    };
  }, [refresh]);

  const unread = count?.unread ?? 0;
  const shown = count ? `${format.number(unread)}${count.capped ? "+" : ""}` : "";
  return (
    <Link to="/me/notifications" className="bell" data-testid="bell">
      <svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" className="bell-icon">
        <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5-6.7V3a2 2 0 1 0-4 0v1.3A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" />
      </svg>
      <span className="visually-hidden">{t("header.notifications")}, </span>
      {count && unread > 0 ? (
        <span className="bell-count" data-testid="unread-count">{shown}</span>
      ) : (
        <span className="visually-hidden" data-testid="unread-count">{count ? "0" : ""}</span>
      )}
      <span className="visually-hidden"> unread</span>
    </Link>
  );
}
