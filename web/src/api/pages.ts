// A whole list, page after page: for the admin lists (members, accounts, CAMs) that a page
// shows at once. Each API page holds at most 200 rows; a list stops at `MAX_PAGES` pages
// (10,000 rows), far beyond what these lists hold, so a broken cursor cannot loop; a list
// longer than that is refused as the APIs refuse one (413 too_large), never shown cut short.
import { ApiProblem } from "./problem";

export interface ListPage<T> {
  items: T[];
  next_cursor?: string | null;
}

export const PAGE_LIMIT = 200;
const MAX_PAGES = 50;

export async function everyPage<T>(
  load: (cursor: string | undefined) => Promise<ListPage<T>>,
): Promise<{ items: T[]; next_cursor: null }> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const found = await load(cursor);
    items.push(...found.items);
    if (!found.next_cursor) return { items, next_cursor: null };
    cursor = found.next_cursor;
  }
  throw new ApiProblem(
    413,
    "too_large",
    `This list holds more than ${String(items.length)} rows, more than this page shows at once.`,
  );
}
