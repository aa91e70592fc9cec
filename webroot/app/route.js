// Filters live in the address after the page's path (#/shipments?status=delivered&carrier=UPS), so a reload,
// a bookmark or a shared link shows the same list. Empty values are left out of the address.

/** The query part of the address's hash as URLSearchParams (empty when there is none). */
export function hashParams() {
  const at = location.hash.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : location.hash.slice(at + 1));
}

/** `defaults` with every key the address's query names replaced by its value. */
export function filtersFromHash(defaults) {
  const params = hashParams();
  return Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, params.get(k) ?? v]));
}

/** The hash for `path` with `filters` as its query: `#/shipments?status=delivered`. */
export function hashWith(path, filters) {
  const params = new URLSearchParams();
  Object.entries(filters).forEach(([k, v]) => { if (v != null && String(v).trim() !== '') params.set(k, String(v).trim()); });
  const query = params.toString();
  return `#/${path}${query ? `?${query}` : ''}`;
}
