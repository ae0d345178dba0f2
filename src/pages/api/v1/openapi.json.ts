import { openApiRoute } from '../../../lib/http/opendata.ts';

/** The OpenAPI 3.1 description of the open-data API, generated from the same definitions as the endpoints. */
export const { GET, HEAD, OPTIONS, ALL } = openApiRoute;
