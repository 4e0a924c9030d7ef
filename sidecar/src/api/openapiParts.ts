/** Building blocks shared by the OpenAPI document's parts (openapi.ts, openapiDetection.ts). */

/** A reference to a schema under `components.schemas`. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A JSON body of this schema. */
export const jsonOf = (schema: unknown) => ({ 'application/json': { schema } });

/** A response with the sidecar's JSON error body. */
export const errorResponse = (description: string) => ({ description, content: jsonOf(ref('Error')) });

/** A time: epoch milliseconds or an RFC 3339 date-time. */
export const epochOrIso = {
  oneOf: [
    { type: 'integer', description: 'epoch milliseconds' },
    { type: 'string', format: 'date-time' },
  ],
};

/** An optional time query parameter. */
export const timeParam = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: epochOrIso,
});

/** The optional `limit` query parameter of the event lists. */
export const limitParam = {
  name: 'limit',
  in: 'query',
  required: false,
  schema: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
};
