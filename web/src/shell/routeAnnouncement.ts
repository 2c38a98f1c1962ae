// After a route change: the tab's title names the page (from its h1, once the lazily loaded
// page has rendered it), and focus moves to the page, so a screen reader announces where
// the person is instead of staying in the menu they clicked.
import { useEffect, useRef } from "react";

const APP_TITLE = "SCTS portal";

export function titleFor(heading: string | null | undefined): string {
  const text = heading?.trim();
  return text ? `${text} · ${APP_TITLE}` : APP_TITLE;
}

export function useRouteAnnouncement(pathname: string, mainId: string): void {
  const first = useRef(true);
  useEffect(() => {
    const main = document.getElementById(mainId);
    if (!main) return;
    if (first.current) first.current = false;
    else main.focus({ preventScroll: true });
    const update = () => {
      document.title = titleFor(main.querySelector("h1")?.textContent);
    };
    update();
    const observer = new MutationObserver(update);
    observer.observe(main, { childList: true, subtree: true, characterData: true });
    return () => { observer.disconnect(); };
  }, [pathname, mainId]);
}
