import { openApiRoute } from '../../../lib/opendata/http.ts';

/** The OpenAPI 3.1 description of the open-data API, generated from the same definitions as the endpoints. */
export const { GET, HEAD, OPTIONS, ALL } = openApiRoute;
