// The API client: the token lives in localStorage, shared by every tab of this origin (a shipment opened in
// a new tab needs no second sign-in) until Sign out removes it from all of them; every call goes to /api/ on
// this origin (nginx strips the prefix; the service alone accepts it too), and failures are the API's
// problem documents. The trade-off (README, Dashboard): the token outlives the tab, so sign out on a shared
// computer; the strict CSP keeps other scripts from reading it.
const TOKEN_KEY = 'shipgate.token';

export const session = {
  token: () => localStorage.getItem(TOKEN_KEY),
  signIn: (token) => localStorage.setItem(TOKEN_KEY, token),
  signOut: () => {
    localStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(TOKEN_KEY); // where earlier versions kept it
  },
  /** Calls `fn(signedIn)` when another tab signs in or out. */
  onChange: (fn) => {
    const changed = (e) => { if (e.key === TOKEN_KEY || e.key === null) fn(Boolean(localStorage.getItem(TOKEN_KEY))); };
    addEventListener('storage', changed);
    return () => removeEventListener('storage', changed);
  },
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }

  /** The reason given for one field ("to_address.zip"), if the API named it. */
  field(name) {
    const hit = (this.problem.invalid_params || []).find((p) => p.name === name);
    return hit ? hit.reason : null;
  }
}

const listeners = new Set();
/** Called when the API refuses the token, so the app can ask for a new one. */
export function onUnauthorized(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

async function problemOf(res) {
  let problem;
  try {
    problem = await res.json();
  } catch {
    problem = { title: res.statusText || 'Request failed', status: res.status };
  }
  return new ApiError(res.status, problem);
}

export async function request(path, { method = 'GET', json, body, contentType, idempotencyKey, token, signal,
  accept = 'application/json', okStatuses = [] } = {}) {
  const headers = { Accept: accept };
  const bearer = token ?? session.token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (contentType) {
    headers['Content-Type'] = contentType;
  }
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  let res;
  try {
    res = await fetch(`/api${path}`, { method, headers, body, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Network error', detail: 'Shipgate could not be reached. Check the connection and retry.' });
  }
  if (!res.ok && !okStatuses.includes(res.status)) {
    const error = await problemOf(res);
    if (res.status === 401 && token === undefined) listeners.forEach((fn) => fn(error));
    throw error;
  }
  return res;
}

export async function api(path, options) {
  const res = await request(path, options);
  return res.status === 204 ? null : res.json();
}

/** Reads a server-sent event stream with fetch, which (unlike EventSource) can send the bearer token. */
export async function streamEvents(path, onEvent, signal) {
  const res = await request(path, { accept: 'text/event-stream', signal });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      onEvent(event, data.length ? JSON.parse(data.join('\n')) : null);
    }
  }
}

/** A fresh key per user action: a retried click replays the first answer instead of spending twice. */
export function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs a secure context; this does not
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
