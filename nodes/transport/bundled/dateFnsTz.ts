/**
 * date-fns-tz's IANA zone formatter. The build bundles this module with date-fns into
 * dist/nodes/transport/bundled/dateFnsTz.js (gulpfile.js), so the package ships no runtime
 * dependency, as n8n Cloud requires; date-fns-tz is a devDependency.
 */
export { formatInTimeZone } from 'date-fns-tz';
