// Runs graphql-http's GraphQL-over-HTTP audit against the URL given as the first argument
// and prints every result as JSON: [{id, name, status, reason}], status "ok", "warn" or
// "error". tests/clients/test_http_audit.py copies it next to the node_modules that
// `npm ci` filled from package-lock.json (a cache outside the repository), where Node
// resolves `graphql-http`.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs http://127.0.0.1:PORT/graphql');
  process.exit(2);
}
const results = await auditServer({ url });
const report = [];
for (const result of results) {
  const entry = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    entry.reason = result.reason;
    entry.response = await result.response.text().catch(() => '');
    entry.responseStatus = result.response.status;
    entry.contentType = result.response.headers.get('content-type');
  }
  report.push(entry);
}
console.log(JSON.stringify(report, null, 1));
