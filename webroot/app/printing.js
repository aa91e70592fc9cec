// Label documents: one label in a chosen format, or many labels as one document (a label batch, made by
// EasyPost in the background and followed here until it is ready). Documents open in a new tab: the
// window is opened at the click, before the URL is known, so popup blockers let it through.
import { api } from './api.js';

export const LABEL_FORMATS = ['pdf', 'png', 'zpl', 'epl2'];

/** The bought label of `shipmentId` in `format` (png, pdf, zpl, epl2): `{ label_url, media_type, ... }`. */
export function labelFile(shipmentId, format) {
  return api(`/shipments/${encodeURIComponent(shipmentId)}/label`, { method: 'POST', json: { format } });
}

/** Starts a label batch (`{ shipment_ids }` or `{ bulk_job_id }`) and waits until its document is ready. */
export async function batchDocument(body, onProgress = () => {}) {
  let batch = await api('/label-batches', { method: 'POST', json: { format: 'pdf', ...body } });
  for (let i = 0; i < 600 && (batch.state === 'pending' || batch.state === 'generating'); i++) {
    onProgress(batch);
    await new Promise((r) => setTimeout(r, 500));
    batch = await api(`/label-batches/${batch.id}`);
  }
  if (batch.state !== 'ready') throw new Error(batch.error || `the label document could not be made (${batch.state})`);
  return batch;
}

/**
 * The link to open for a stored document URL. Documents of the built-in simulator are served by the service
 * under /sim-files/ (nginx proxies that path too): they open on the dashboard's own origin, whichever address
 * the service wrote into the link. EasyPost's own links are returned as they are.
 */
export function documentUrl(url) {
  if (!url) return url;
  try {
    const u = new URL(url, window.location.href);
    return u.pathname.startsWith('/sim-files/') ? `${window.location.origin}${u.pathname}` : url;
  } catch {
    return url;
  }
}

/** Opens a tab now and sends it to the document `urlPromise` gives; closes it again if that fails. */
export async function openDocument(urlPromise) {
  const tab = window.open('about:blank', '_blank');
  try {
    const url = documentUrl(await urlPromise);
    if (tab) tab.location.href = url;
    else window.location.assign(url);
    return url;
  } catch (e) {
    if (tab) tab.close();
    throw e;
  }
}
