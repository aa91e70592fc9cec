// How EasyPost's codes read to a person: carrier names (`DHLExpress` → "DHL Express"), service codes
// (`FEDEX_GROUND` → "FedEx Ground", `NextDayAir` → "Next Day Air") and the API's field names in problems
// (`created_to` → the form's "Created to"). Unknown codes are split into words rather than shown raw.

const CARRIERS = {
  USPS: 'USPS', UPS: 'UPS', FedEx: 'FedEx', FedExDefault: 'FedEx', DHLExpress: 'DHL Express', DHLeCommerce: 'DHL eCommerce',
  CanadaPost: 'Canada Post', OnTrac: 'OnTrac', LaserShip: 'LaserShip', AmazonShipping: 'Amazon Shipping', Purolator: 'Purolator',
};

const SERVICES = {
  USPS: {
    GroundAdvantage: 'Ground Advantage', Priority: 'Priority Mail', Express: 'Priority Mail Express', First: 'First-Class',
    ParcelSelect: 'Parcel Select', LibraryMail: 'Library Mail', MediaMail: 'Media Mail', FirstClassMailInternational: 'First-Class Mail International',
    FirstClassPackageInternationalService: 'First-Class Package International', PriorityMailInternational: 'Priority Mail International',
    ExpressMailInternational: 'Priority Mail Express International',
  },
  UPS: {
    Ground: 'Ground', '2ndDayAir': '2nd Day Air', '2ndDayAirAM': '2nd Day Air A.M.', '3DaySelect': '3 Day Select',
    NextDayAir: 'Next Day Air', NextDayAirSaver: 'Next Day Air Saver', NextDayAirEarlyAM: 'Next Day Air Early',
    UPSStandard: 'Standard', UPSSaver: 'Worldwide Saver', Express: 'Worldwide Express', Expedited: 'Worldwide Expedited',
  },
  FedEx: {
    FEDEX_GROUND: 'FedEx Ground', GROUND_HOME_DELIVERY: 'FedEx Home Delivery', FEDEX_2_DAY: 'FedEx 2Day',
    FEDEX_2_DAY_AM: 'FedEx 2Day A.M.', FEDEX_EXPRESS_SAVER: 'FedEx Express Saver', STANDARD_OVERNIGHT: 'FedEx Standard Overnight',
    PRIORITY_OVERNIGHT: 'FedEx Priority Overnight', FIRST_OVERNIGHT: 'FedEx First Overnight', SMART_POST: 'FedEx Ground Economy',
    INTERNATIONAL_ECONOMY: 'FedEx International Economy', INTERNATIONAL_PRIORITY: 'FedEx International Priority',
  },
  DHLExpress: {
    ExpressWorldwideNonDoc: 'Express Worldwide (goods)', ExpressWorldwide: 'Express Worldwide',
    ExpressWorldwideDoc: 'Express Worldwide (documents)', DomesticExpress: 'Domestic Express', EconomySelect: 'Economy Select',
  },
};

const WORDS = { FEDEX: 'FedEx', UPS: 'UPS', USPS: 'USPS', DHL: 'DHL', AM: 'A.M.', PM: 'P.M.' };

/** A code split into words: `SOME_CODE` and `SomeCode` both become "Some Code"; known acronyms kept. */
export function words(code) {
  const text = String(code);
  if (text.includes('_') || text === text.toUpperCase()) {
    return text.split(/[_\s]+/).filter(Boolean)
      .map((p) => WORDS[p.toUpperCase()] ?? (/^\d/.test(p) ? p : p[0] + p.slice(1).toLowerCase())).join(' ');
  }
  return text.replace(/([a-z])([A-Z0-9])/g, '$1 $2').replace(/([0-9])([A-Z][a-z])/g, '$1 $2').split(/\s+/).filter(Boolean).join(' ');
}

/** The carrier as people name it (`DHLExpress` → "DHL Express"); null and empty stay null. */
export function carrierName(carrier) {
  if (!carrier) return null;
  return CARRIERS[carrier] ?? words(carrier);
}

/** The service as the carrier sells it (`FEDEX_GROUND` → "FedEx Ground"); null and empty stay null. */
export function serviceName(carrier, service) {
  if (!service) return null;
  // Without a carrier (totals keyed by service alone), the first carrier selling a service of that code names it.
  const known = SERVICES[carrier]?.[service] ?? Object.values(SERVICES).map((byCode) => byCode[service]).find(Boolean);
  return known ?? words(service);
}

/** "Carrier Service" for one line, without repeating the carrier ("FedEx FedEx Ground" reads "FedEx Ground"). */
export function carrierService(carrier, service) {
  const c = carrierName(carrier);
  const s = serviceName(carrier, service);
  if (!c) return s ?? '';
  if (!s) return c;
  return s.startsWith(c) ? s : `${c} ${s}`;
}

/**
 * A problem's field name as the form labels it: `labels` maps the API's names (`created_to`) to the form's
 * labels ("Created to"); CSV faults (`line 3: to_zip`) read "Line 3, to_zip"; other names are split into
 * words ("to_address.zip" → "To address zip") so no raw API name is shown to a person.
 */
export function fieldLabel(name, labels = {}) {
  if (labels[name]) return labels[name];
  const line = /^line (\d+)(?:: (.+))?$/.exec(name);
  if (line) return line[2] ? `Line ${line[1]}, ${labels[line[2]] ?? line[2]}` : `Line ${line[1]}`;
  const text = String(name).replace(/\[(\d+)\]/g, (_, n) => ` ${Number(n) + 1}`).replace(/[._]+/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
