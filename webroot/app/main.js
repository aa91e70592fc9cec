// The dashboard shell: sign-in, navigation and a hash router (the server only ever serves index.html).
import { html, render, useEffect, useState } from './lib.js';
import { api, ApiError, onUnauthorized, session } from './api.js';
import { Loading, ProblemBox, setBusinessZone } from './ui.js';
import { Overview } from './pages/overview.js';
import { Shipments } from './pages/shipments.js';
import { ShipmentDetail } from './pages/detail.js';
import { NewShipment } from './pages/create.js';
import { Bulk } from './pages/bulk.js';
import { Tracking } from './pages/tracking.js';
import { Analytics } from './pages/analytics.js';
import { System } from './pages/system.js';
import { EndOfDay } from './pages/endofday.js';
import { Tokens } from './pages/tokens.js';
import { Approvals } from './pages/approvals.js';
import { Audit } from './pages/audit.js';
import { Exceptions } from './pages/exceptions.js';
import { Webhooks } from './pages/webhooks.js';

const PAGES = [
  { path: 'overview', title: 'Overview', view: Overview },
  { path: 'shipments', title: 'Shipments', view: Shipments },
  { path: 'new', title: 'New shipment', view: NewShipment },
  { path: 'bulk', title: 'Bulk', view: Bulk },
  { path: 'tracking', title: 'Tracking', view: Tracking },
  { path: 'exceptions', title: 'Exceptions', view: Exceptions },
  { path: 'analytics', title: 'Analytics', view: Analytics },
  { path: 'endofday', title: 'End of day', view: EndOfDay },
  { path: 'approvals', title: 'Approvals', view: Approvals },
  { path: 'tokens', title: 'Tokens', view: Tokens },
  { path: 'audit', title: 'Audit', view: Audit },
  { path: 'webhooks', title: 'Webhooks', view: Webhooks },
  { path: 'system', title: 'System', view: System },
];

/** Addresses that name a page by another word: `#/jobs/<id>` (as the API's Location says) is the Bulk page's job. */
const ALIASES = { jobs: 'bulk' };

function currentRoute() {
  const [path = 'overview', ...rest] = location.hash.replace(/^#\/?/, '').split('?')[0].split('/');
  return { path: ALIASES[path] ?? (path || 'overview'), rest };
}

function useRoute() {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const changed = () => setRoute(currentRoute());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

function SignIn({ onSignedIn, reason }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState(reason);
  const [busy, setBusy] = useState(false);
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('/shipments?limit=1', { token: token.trim() });
      session.signIn(token.trim());
      onSignedIn();
    } catch (err) {
      setError(err.status === 401
        ? new ApiError(401, { title: 'Token not accepted', detail: 'Shipgate does not know this token, or it was revoked.' })
        : err);
    } finally {
      setBusy(false);
    }
  }
  return html`<main class="container signin">
    <article>
      <header><h1>Shipgate</h1><p>Sign in with an API token. It stays in this browser, for every tab, until you sign out.</p></header>
      <form onSubmit=${submit}>
        <label>API token
          <input id="token" type="password" autocomplete="off" required value=${token}
            onInput=${(e) => setToken(e.currentTarget.value)} />
        </label>
        <small>Create one with <code>java -jar target/shipgate.jar token create --name you</code>.</small>
        <${ProblemBox} error=${error} />
        <button type="submit" aria-busy=${busy ? 'true' : 'false'} disabled=${busy || !token.trim()}>Sign in</button>
      </form>
    </article>
  </main>`;
}

function Shell({ route, onSignOut }) {
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [location.hash]); // a link followed closes the phone menu
  const [zoneKnown, setZoneKnown] = useState(false);
  useEffect(() => { // the business's zone, for every time the pages show (ui.js dateTime)
    api('/analytics/today').then((today) => setBusinessZone(today.time_zone))
      .catch(() => setBusinessZone(undefined))
      .finally(() => setZoneKnown(true));
  }, []);
  const page = PAGES.find((p) => p.path === route.path);
  const detail = route.path === 'shipments' && route.rest[0];
  const View = detail ? ShipmentDetail : page?.view;
  useEffect(() => {
    document.title = `${detail ? 'Shipment' : page?.title ?? 'Not found'} · Shipgate`;
  }, [route.path, detail]);
  return html`
    <header class="container">
      <nav aria-label="Main">
        <ul><li><a href="#/overview" class="brand"><strong>Shipgate</strong></a></li></ul>
        <button type="button" class="menu-toggle outline secondary compact" aria-expanded=${menuOpen ? 'true' : 'false'}
          aria-controls="nav-links" data-testid="menu-toggle" onClick=${() => setMenuOpen(!menuOpen)}>Menu</button>
        <ul class=${menuOpen ? 'nav-links open' : 'nav-links'} id="nav-links">
          ${PAGES.map((p) => html`<li><a href=${`#/${p.path}`} aria-current=${route.path === p.path ? 'page' : undefined}>${p.title}</a></li>`)}
          <li><button class="outline secondary compact" onClick=${onSignOut}>Sign out</button></li>
        </ul>
      </nav>
    </header>
    <main class="container" id="main">
      ${!zoneKnown ? html`<${Loading} />` : View ? html`<${View} key=${location.hash} id=${route.rest[0]} />` : html`<h1>Not found</h1><p><a href="#/overview">Back to the overview</a></p>`}
    </main>`;
}

function App() {
  const [signedIn, setSignedIn] = useState(Boolean(session.token()));
  const [reason, setReason] = useState(null);
  const route = useRoute();
  useEffect(() => session.onChange(setSignedIn), []); // signing out in one tab signs out every tab
  useEffect(() => onUnauthorized((error) => {
    session.signOut();
    setReason(error);
    setSignedIn(false);
  }), []);
  if (!signedIn) return html`<${SignIn} reason=${reason} onSignedIn=${() => { setReason(null); setSignedIn(true); }} />`;
  return html`<${Shell} route=${route} onSignOut=${() => { session.signOut(); setSignedIn(false); }} />`;
}

render(html`<${App} />`, document.getElementById('app'));
