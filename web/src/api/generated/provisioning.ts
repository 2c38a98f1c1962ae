// Generated from contracts/openapi/provisioning.json by web/scripts/generate-api.mjs.
// Do not edit: `make contracts` regenerates it (a contract test checks it is current).

export interface paths {
    "/v1/publishers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Publishers and their keys (prefixes, never keys), all on one page */
        get: operations["listPublishers"];
        put?: never;
        /** Register a publisher; its API key is shown this once */
        post: operations["registerPublisher"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/publishers/{publisher_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One publisher and its keys */
        get: operations["getPublisher"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/publishers/{publisher_id}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate: a new key; the old ones keep working for the overlap (default 24 h) */
        post: operations["rotatePublisherKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/publishers/{publisher_id}/keys/{prefix}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a key, at once */
        delete: operations["revokePublisherKey"];
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
         * IssuedKeyView
         * @description Shown once: the key cannot be read back later.
         */
        IssuedKeyView: {
            /** Api Key */
            api_key: string;
            /** Key Prefix */
            key_prefix: string;
            publisher: components["schemas"]["PublisherView"];
        };
        /**
         * KeyView
         * @description What anyone may see of a key: never the key, never its hash.
         */
        KeyView: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Created By
             * @description Cognito sub of the SCTS admin who registered or rotated; null for keys issued before this was kept.
             */
            created_by: string | null;
            /**
             * Expires At
             * @description When a rotated-away key stops working (the overlap's end).
             */
            expires_at: string | null;
            /**
             * Last Used At
             * @description Last accepted request, refreshed at most once a minute per key.
             */
            last_used_at: string | null;
            /** Prefix */
            prefix: string;
            /** Revoked At */
            revoked_at: string | null;
            /**
             * Revoked By
             * @description Cognito sub of the SCTS admin who revoked.
             */
            revoked_by: string | null;
        };
        /**
         * PublisherPage
         * @description Every publisher (they are few: one per STX system), on one page.
         */
        PublisherPage: {
            /** Items */
            items: components["schemas"]["PublisherView"][];
            /**
             * Next Cursor
             * @description Pass as `cursor` for the next page; null when there is none.
             */
            next_cursor: string | null;
        };
        /** PublisherView */
        PublisherView: {
            /** Account Ids */
            account_ids: string[];
            /** All Accounts */
            all_accounts: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Created By
             * @description Cognito sub of the SCTS admin who registered it.
             */
            created_by: string;
            /** Keys */
            keys: components["schemas"]["KeyView"][];
            /** Name */
            name: string;
            /** Publisher Id */
            publisher_id: string;
        };
        /** RegisterPublisher */
        RegisterPublisher: {
            /** Account Ids */
            account_ids?: string[] | null;
            /**
             * All Accounts
             * @default false
             */
            all_accounts: boolean;
            /** Name */
            name: string;
        };
        /** RotateKey */
        RotateKey: {
            /**
             * Overlap Hours
             * @description How long the old keys keep working (24 h).
             */
            overlap_hours?: number | null;
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
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listPublishers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every publisher */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublisherPage"];
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
    registerPublisher: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterPublisher"];
            };
        };
        responses: {
            /** @description The publisher and its first API key */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedKeyView"];
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
    getPublisher: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The publisher. */
                publisher_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The publisher */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublisherView"];
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
    rotatePublisherKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The publisher. */
                publisher_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RotateKey"];
            };
        };
        responses: {
            /** @description The new key, shown this once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedKeyView"];
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
    revokePublisherKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The publisher. */
                publisher_id: string;
                /** @description The key's public prefix (not a secret). */
                prefix: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
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
