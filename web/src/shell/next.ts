/** A return path from a query parameter, only if it stays inside the portal (no open
 *  redirect through `?next=https://elsewhere`, `//elsewhere`, `/\elsewhere`, or `/<tab>/elsewhere`,
 *  which a browser reads as `//elsewhere` once it drops tabs and line breaks). The path is
 *  judged as the browser resolves it, and answered in that resolved form. */
const PORTAL = "https://portal.invalid";

export function safeNext(raw: string | null): string {
  if (!raw?.startsWith("/")) return "/";
  let resolved: URL;
  try {
    resolved = new URL(raw, PORTAL);
  } catch {
    return "/";
  }
  if (resolved.origin !== PORTAL) return "/";
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}
