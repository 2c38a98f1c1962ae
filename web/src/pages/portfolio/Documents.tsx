// The account's documents (the kinds the person's permissions cover: the documents API
// decides), filtered by kind, dates and text; a download asks the API for a short-lived
// signed CDN address and the browser fetches the file from the CDN.
import { useCallback, useState } from "react";
import { unwrap } from "../../api/client";
import type { DocumentKind, DocumentSummary } from "../../api/models";
import type { ApiProblem } from "../../api/problem";
import { useServices, usePresentation } from "../../context";
import { membership, readableDocumentKinds } from "../../navigation";
import { asProblem } from "../../resource";
import { usePerson } from "../../session/person";
import { Empty, Loaded, ProblemMessage } from "../../ui/states";
import { FilterForm, FilterInput, FilterSelect, Page, Pager, formValues, setOnly, useCursorPages, useFilters, words } from "./shared";

const FILTERS = ["kind", "issued_from", "issued_to", "q"] as const;

function size(bytes: number, format: (value: number, digits?: number) => string): string {
  return bytes >= 1024 * 1024 ? `${format(bytes / (1024 * 1024), 1)} MB` : `${format(Math.ceil(bytes / 1024), 0)} kB`;
}

export function DocumentTable({ accountId, documents }: { accountId: string; documents: DocumentSummary[] }) {
  const { api } = useServices();
  const { format } = usePresentation();
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  async function download(document_: DocumentSummary) {
    setProblem(null);
    try {
      const link = await unwrap(
        api.documents.GET("/v1/accounts/{account_id}/documents/{document_id}/download", {
          params: { path: { account_id: accountId, document_id: document_.document_id } },
        }),
      );
      const anchor = document.createElement("a");
      anchor.href = link.url;
      anchor.rel = "noopener";
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
    } catch (error) {
      setProblem(asProblem(error));
    }
  }

  return (
    <>
      <ProblemMessage problem={problem} />
      <div className="table-scroll">
        <table data-testid="documents">
          <caption className="visually-hidden">Documents</caption>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Kind</th>
              <th scope="col">Issued</th>
              <th scope="col">Relates to</th>
              <th scope="col" className="number">Size</th>
              <th scope="col"><span className="visually-hidden">Download</span></th>
            </tr>
          </thead>
          <tbody>
            {documents.map((d) => (
              <tr key={d.document_id}>
                <th scope="row">{d.title}</th>
                <td>{words(d.kind)}</td>
                <td>{format.date(d.issued_on)}</td>
                <td>{d.related_reference ?? "—"}</td>
                <td className="number">{size(d.size_bytes, (v, digits) => format.number(v, digits))}</td>
                <td>
                  {d.status === "available" ? (
                    <button type="button" className="secondary" onClick={() => void download(d)}>
                      Download<span className="visually-hidden"> {d.file_name}</span>
                    </button>
                  ) : (
                    words(d.status)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function DocumentList({ accountId, filters }: { accountId: string; filters: Record<(typeof FILTERS)[number], string> }) {
  const { api } = useServices();
  const load = useCallback(
    (cursor: string | null) => {
      const { kind, ...rest } = setOnly(filters);
      return unwrap(
        api.documents.GET("/v1/accounts/{account_id}/documents", {
          params: {
            path: { account_id: accountId },
            query: { ...rest, ...(kind ? { kind: kind as DocumentKind } : {}), limit: 50, ...(cursor ? { cursor } : {}) },
          },
        }),
      );
    },
    [api, accountId, filters],
  );
  const { resource, ...paging } = useCursorPages(load);
  return (
    <Loaded resource={resource}>
      {({ items }) =>
        items.length === 0 ? (
          <Empty title="No documents match" />
        ) : (
          <>
            <DocumentTable accountId={accountId} documents={items} />
            <Pager {...paging} />
          </>
        )
      }
    </Loaded>
  );
}

export default function Documents({ accountId }: { accountId: string }) {
  const { t } = usePresentation();
  const { me } = usePerson();
  const { values, apply, key } = useFilters(FILTERS);
  const kinds = readableDocumentKinds(membership(me, accountId));
  return (
    <Page title={t("nav.documents")}>
      <FilterForm filtersKey={key} onSubmit={(event) => { apply(formValues(event, FILTERS)); }} onClear={() => { apply({}); }}>
        <FilterSelect name="kind" label="Kind" value={values.kind} options={kinds.map((k) => [k, words(k)] as const)} />
        <FilterInput name="q" label="Title or reference contains" value={values.q} />
        <FilterInput name="issued_from" label="Issued from" value={values.issued_from} placeholder="YYYY-MM-DD" />
        <FilterInput name="issued_to" label="Issued until" value={values.issued_to} placeholder="YYYY-MM-DD" />
      </FilterForm>
      <DocumentList key={key} accountId={accountId} filters={values} />
    </Page>
  );
}
