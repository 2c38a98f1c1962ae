// Generated from contracts/openapi/documents.json by web/scripts/generate-api.mjs.
// Do not edit: `make contracts` regenerates it (a contract test checks it is current).

export interface paths {
    "/v1/accounts/{account_id}/bundles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ask for the documents of a period as one ZIP (built asynchronously) */
        post: operations["requestBundle"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/bundles/{bundle_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A bundle you asked for: pending, ready or failed */
        get: operations["getBundle"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/bundles/{bundle_id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A short-lived signed CDN URL of a ready bundle */
        get: operations["getBundleDownloadLink"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/documents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Documents of an account you may read, newest first */
        get: operations["listDocuments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/documents/{document_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A document with its versions (size, SHA-256, status of each) */
        get: operations["getDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/documents/{document_id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A short-lived signed CDN URL of one version's file (the current by default) */
        get: operations["getDocumentDownloadLink"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/documents/{document_id}/withdrawal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Withdraw a document (SCTS administrators): the record stays, downloads stop */
        post: operations["withdrawDocument"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/statement-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run the monthly statements of an ended month for every account (SCTS admins) */
        post: operations["startStatementRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/version": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Service version and the commit it was built from */
        get: operations["getVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** BundleRequest */
        BundleRequest: {
            /**
             * Issued From
             * Format: date
             */
            issued_from: string;
            /**
             * Issued To
             * Format: date
             */
            issued_to: string;
            /**
             * Kinds
             * @description Kinds to include; all you may read by default.
             */
            kinds?: components["schemas"]["DocumentKind"][] | null;
        };
        /** BundleView */
        BundleView: {
            /** Bundle Id */
            bundle_id: string;
            /** Document Count */
            document_count: number;
            /**
             * Expires At
             * Format: date-time
             */
            expires_at: string;
            /**
             * Issued From
             * Format: date
             */
            issued_from: string;
            /**
             * Issued To
             * Format: date
             */
            issued_to: string;
            /** Kinds */
            kinds: components["schemas"]["DocumentKind"][];
            /** Reason */
            reason: string | null;
            /**
             * Requested At
             * Format: date-time
             */
            requested_at: string;
            /** Sha256 */
            sha256: string | null;
            /** Size Bytes */
            size_bytes: number;
            /**
             * Status
             * @description pending, ready or failed.
             */
            status: string;
        };
        /** DocumentDetail */
        DocumentDetail: {
            /** Content Type */
            content_type: string;
            /** Document Id */
            document_id: string;
            /** File Name */
            file_name: string;
            /**
             * Issued On
             * Format: date
             */
            issued_on: string;
            kind: components["schemas"]["DocumentKind"];
            origin: components["schemas"]["Origin"];
            /** Related Reference */
            related_reference: string | null;
            /** Sha256 */
            sha256: string | null;
            /** Size Bytes */
            size_bytes: number;
            /** @description available, withdrawn or refused. */
            status: components["schemas"]["VersionStatus"];
            /** Title */
            title: string;
            /**
             * Version
             * @description The current version.
             */
            version: number;
            /**
             * Versions
             * @description Every version, newest first.
             */
            versions: components["schemas"]["VersionView"][];
        };
        /**
         * DocumentKind
         * @enum {string}
         */
        DocumentKind: "trade_confirmation" | "invoice" | "credit_note" | "redemption_statement" | "monthly_statement";
        /** DocumentPage */
        DocumentPage: {
            /** Items */
            items: components["schemas"]["DocumentSummary"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null when there is none.
             */
            next_cursor: string | null;
        };
        /** DocumentQuery */
        DocumentQuery: {
            /**
             * Cursor
             * @description `next_cursor` of the previous page; absent for the first page.
             */
            cursor?: string | null;
            /**
             * Issued From
             * @description Issued on or after this day.
             */
            issued_from?: string | null;
            /**
             * Issued To
             * @description Issued on or before this day.
             */
            issued_to?: string | null;
            /** @description Only documents of this kind. */
            kind?: components["schemas"]["DocumentKind"] | null;
            /**
             * Limit
             * @description Items per page.
             * @default 50
             */
            limit: number;
            /**
             * Q
             * @description Text the title contains.
             */
            q?: string | null;
            /**
             * Related Reference
             * @description The trade, invoice, retirement or month (YYYY-MM) a document is about.
             */
            related_reference?: string | null;
        };
        /** DocumentSummary */
        DocumentSummary: {
            /** Content Type */
            content_type: string;
            /** Document Id */
            document_id: string;
            /** File Name */
            file_name: string;
            /**
             * Issued On
             * Format: date
             */
            issued_on: string;
            kind: components["schemas"]["DocumentKind"];
            origin: components["schemas"]["Origin"];
            /** Related Reference */
            related_reference: string | null;
            /** Sha256 */
            sha256: string | null;
            /** Size Bytes */
            size_bytes: number;
            /** @description available, withdrawn or refused. */
            status: components["schemas"]["VersionStatus"];
            /** Title */
            title: string;
            /**
             * Version
             * @description The current version.
             */
            version: number;
        };
        /** DownloadLinkView */
        DownloadLinkView: {
            /** Content Type */
            content_type: string;
            /**
             * Expires At
             * Format: date-time
             */
            expires_at: string;
            /** File Name */
            file_name: string;
            /** Sha256 */
            sha256: string | null;
            /** Size Bytes */
            size_bytes: number;
            /**
             * Url
             * @description Signed CDN URL of exactly this file; valid until expires_at.
             */
            url: string;
            /**
             * Version
             * @description The version this link downloads (null: a bundle).
             */
            version: number | null;
        };
        /** DownloadQuery */
        DownloadQuery: {
            /**
             * Version
             * @description A version to download; the current one by default.
             */
            version?: number | null;
        };
        /**
         * ErrorBody
         * @description The body of every error response of every service.
         */
        ErrorBody: {
            /**
             * Error
             * @description Stable machine-readable code, e.g. `not_found`.
             */
            error: string;
            /**
             * Fields
             * @description Each bad input; empty when none is to blame.
             */
            fields: components["schemas"]["FieldError"][];
            /**
             * Message
             * @description What went wrong, for a person.
             */
            message: string;
            /**
             * Request Id
             * @description Quote it when asking for help; also in X-Request-Id.
             */
            request_id: string;
        };
        /** FieldError */
        FieldError: {
            /**
             * Path
             * @description Where: `body.<field>`, `query.<name>`, `path.<name>`...
             */
            path: string;
            /**
             * Reason
             * @description Why, in words, with the allowed values or an example.
             */
            reason: string;
        };
        /**
         * GatewayRefusal
         * @description What API Gateway itself answers on an HTTP API before any function runs: its JWT
         *     authorizer refuses a missing, expired or forged token with 401 `{"message": "Unauthorized"}`.
         *     HTTP APIs cannot reshape that body (only REST APIs have gateway responses), so a user
         *     route's 401 is this or the `ErrorBody` of the service's own credential check.
         */
        GatewayRefusal: {
            /**
             * Message
             * @description API Gateway's words, e.g. `Unauthorized`.
             */
            message: string;
        };
        /**
         * Origin
         * @enum {string}
         */
        Origin: "generated" | "published";
        /** StatementRunRequest */
        StatementRunRequest: {
            /**
             * Month
             * @example 2026-11
             */
            month: string;
        };
        /** StatementRunView */
        StatementRunView: {
            /** Month */
            month: string;
            /**
             * Status
             * @description accepted: the run is queued.
             */
            status: string;
        };
        /** VersionInfo */
        VersionInfo: {
            /** Commit */
            commit: string;
            /** Service */
            service: string;
            /** Stage */
            stage: string;
            /** Version */
            version: string;
        };
        /**
         * VersionStatus
         * @enum {string}
         */
        VersionStatus: "pending" | "available" | "superseded" | "withdrawn" | "refused";
        /** VersionView */
        VersionView: {
            /** Changed At */
            changed_at: string | null;
            /** Content Type */
            content_type: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** File Name */
            file_name: string;
            /**
             * Issued On
             * Format: date
             */
            issued_on: string;
            origin: components["schemas"]["Origin"];
            /**
             * Reason
             * @description Why it was withdrawn or refused.
             */
            reason: string | null;
            /**
             * Sha256
             * @description SHA-256 of the file (null when refused).
             */
            sha256: string | null;
            /**
             * Size Bytes
             * @description Bytes of the file.
             */
            size_bytes: number;
            status: components["schemas"]["VersionStatus"];
            /** Title */
            title: string;
            /** Version */
            version: number;
        };
        /** WithdrawalRequest */
        WithdrawalRequest: {
            /**
             * Reason
             * @description Shown to the account.
             */
            reason: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    requestBundle: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BundleRequest"];
            };
        };
        responses: {
            /** @description Accepted. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BundleView"];
                };
            };
            /** @description The body is not valid JSON (or nests too deep, or carries a number too long). */
            400: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as application/json. */
            415: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getBundle: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
                /** @description The bundle's id. */
                bundle_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BundleView"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getBundleDownloadLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
                /** @description The bundle's id. */
                bundle_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadLinkView"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The bundle is not ready. */
            409: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listDocuments: {
        parameters: {
            query?: {
                /** @description Items per page. */
                limit?: number;
                /** @description `next_cursor` of the previous page; absent for the first page. */
                cursor?: string | null;
                /** @description Only documents of this kind. */
                kind?: string;
                /** @description Issued on or after this day. */
                issued_from?: string | null;
                /** @description Issued on or before this day. */
                issued_to?: string | null;
                /** @description The trade, invoice, retirement or month (YYYY-MM) a document is about. */
                related_reference?: string | null;
                /** @description Text the title contains. */
                q?: string | null;
            };
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DocumentPage"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too large; narrow the request. */
            413: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
                /** @description The document's id in the account. */
                document_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DocumentDetail"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getDocumentDownloadLink: {
        parameters: {
            query?: {
                /** @description A version to download; the current one by default. */
                version?: number | null;
            };
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
                /** @description The document's id in the account. */
                document_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadLinkView"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description That version is withdrawn or refused. */
            409: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    withdrawDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account's id. */
                account_id: string;
                /** @description The document's id in the account. */
                document_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WithdrawalRequest"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DocumentDetail"];
                };
            };
            /** @description The body is not valid JSON (or nests too deep, or carries a number too long). */
            400: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such object, or not one the caller may know of. */
            404: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Nothing left to withdraw. */
            409: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as application/json. */
            415: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    startStatementRun: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StatementRunRequest"];
            };
        };
        responses: {
            /** @description Accepted. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatementRunView"];
                };
            };
            /** @description The body is not valid JSON (or nests too deep, or carries a number too long). */
            400: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid credentials: the HTTP API's JWT authorizer answers `GatewayRefusal`, the service's own check `ErrorBody`. */
            401: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description The caller's permissions do not cover this. */
            403: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as application/json. */
            415: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many requests; retry after the Retry-After header's seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A dependency is unavailable; retry after the Retry-After header's seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getVersion: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionInfo"];
                };
            };
            /** @description A parameter or body field breaks a rule; `fields` names each one. */
            422: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Internal error; quote the request id. */
            500: {
                headers: {
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
