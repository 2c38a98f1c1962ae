// Generated from contracts/openapi/notifications.json by web/scripts/generate-api.mjs.
// Do not edit: `make contracts` regenerates it (a contract test checks it is current).

export interface paths {
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
