/** A return path from a query parameter, only if it stays inside the portal (no open
 *  redirect through `?next=https://elsewhere` or `//elsewhere`). */
export function safeNext(raw: string | null): string {
  if (!raw?.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
  return raw;
}
