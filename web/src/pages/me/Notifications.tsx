// The person's inbox across their accounts: unread first in the API's order, mark read or
// unread, archive, mark all read; the header's bell follows every change.
import { useCallback, useState } from "react";
import { Link } from "react-router";
import { unwrap } from "../../api/client";
import type { Notification, NotificationCategory } from "../../api/models";
import type { ApiProblem } from "../../api/problem";
import { useServices, usePresentation } from "../../context";
import { notificationsChanged } from "../../notifications/Bell";
import { mayFollow, targetPath } from "../../notifications/links";
import { asProblem } from "../../resource";
import { usePerson } from "../../session/person";
import { Empty, Loaded, ProblemMessage } from "../../ui/states";
import { FilterForm, FilterSelect, Page, Pager, formValues, useCursorPages, useFilters, words } from "../portfolio/shared";

const CATEGORIES: readonly NotificationCategory[] = ["trades", "deliveries", "retirements", "billing", "documents", "access", "security"];
const FILTERS = ["category", "unread"] as const;

function Inbox({ filters }: { filters: Record<(typeof FILTERS)[number], string> }) {
  const { api } = useServices();
  const { format } = usePresentation();
  const { me } = usePerson();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const load = useCallback(
    (cursor: string | null) =>
      unwrap(
        api.notifications.GET("/v1/me/notifications", {
          params: {
            query: {
              limit: 25,
              ...(filters.category ? { category: filters.category as NotificationCategory } : {}),
              ...(filters.unread === "true" ? { unread: true } : {}),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    [api, filters],
  );
  const { resource, ...paging } = useCursorPages(load);

  async function act(action: () => Promise<unknown>) {
    setProblem(null);
    try {
      await action();
      notificationsChanged();
      resource.reload();
    } catch (error) {
      setProblem(asProblem(error));
    }
  }
  /** Opening an unread notice reads it (the page it leads to loads meanwhile). */
  function open(n: Notification) {
    if (n.read) return;
    unwrap(api.notifications.POST("/v1/me/notifications/{notification_id}/read", path(n))).then(notificationsChanged, () => undefined);
  }
  const path = (n: Notification) => ({ params: { path: { notification_id: n.notification_id } } });

  return (
    <>
      <ProblemMessage problem={problem} />
      <button type="button" className="secondary" onClick={() => void act(() => unwrap(api.notifications.POST("/v1/me/notifications/read-all", { body: { account_id: null } })))}>
        Mark all as read
      </button>
      <Loaded resource={resource}>
        {({ items }) =>
          items.length === 0 ? (
            <Empty title="Nothing here" />
          ) : (
            <>
              <ul className="inbox" data-testid="inbox">
                {items.map((n) => (
                  <li key={n.notification_id} className={n.read ? "inbox-item" : "inbox-item unread"}>
                    <h2 className="inbox-title">
                      {!n.read && <span className="badge">New</span>}{" "}
                      {mayFollow(me, n.target) ? (
                        <Link to={targetPath(n.target)} data-testid="inbox-link" onClick={() => { open(n); }}>
                          {n.title}
                        </Link>
                      ) : (
                        n.title
                      )}
                    </h2>
                    <p>{n.summary}</p>
                    <p className="muted">
                      {words(n.category)} · {format.dateTime(n.occurred_at)}
                    </p>
                    <div className="inbox-actions">
                      {n.read ? (
                        <button type="button" className="secondary" onClick={() => void act(() => unwrap(api.notifications.POST("/v1/me/notifications/{notification_id}/unread", path(n))))}>
                          Mark as unread<span className="visually-hidden">: {n.title}</span>
                        </button>
                      ) : (
                        <button type="button" className="secondary" onClick={() => void act(() => unwrap(api.notifications.POST("/v1/me/notifications/{notification_id}/read", path(n))))}>
                          Mark as read<span className="visually-hidden">: {n.title}</span>
                        </button>
                      )}
                      <button type="button" className="secondary" onClick={() => void act(() => unwrap(api.notifications.POST("/v1/me/notifications/{notification_id}/archive", path(n))))}>
                        Archive<span className="visually-hidden">: {n.title}</span>
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
              <Pager {...paging} />
            </>
          )
        }
      </Loaded>
    </>
  );
}

export default function Notifications() {
  const { t } = usePresentation();
  const { values, apply, key } = useFilters(FILTERS);
  return (
    <Page title={t("nav.notifications")}>
      <FilterForm filtersKey={key} onSubmit={(event) => { apply(formValues(event, FILTERS)); }} onClear={() => { apply({}); }}>
        <FilterSelect name="category" label="Category" value={values.category} options={CATEGORIES.map((c) => [c, words(c)] as const)} />
        <FilterSelect name="unread" label="Show" value={values.unread} options={[["true", "Unread only"]]} />
      </FilterForm>
      <Inbox key={key} filters={values} />
    </Page>
  );
}
