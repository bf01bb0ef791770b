// A small element builder: h('td', {class: 'num'}, '42'). Text is always set
// as text, never parsed as HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'style' && typeof value === 'object') {
      Object.assign(el.style, value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

const units = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 });
const millions = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

export const fmt = {
  units: (x) => units.format(x),
  gbp: (x) => gbp.format(x),
  gbpMillions: (x) => `GBP ${millions.format(x / 1e6)}m`,
  percent: (x) => `${(x * 100).toFixed(1)}%`,
  // Whole numbers of five or more digits in a text (a server message such
  // as "mip: best GBP 20610613460, gap 0.210%") with thousands separators;
  // digits after a decimal point and years are left alone.
  digits: (text) => String(text).replace(/(?<![\d.,])\d{5,}(?![\d])/g, (d) => units.format(Number(d))),
};

// One message box: kind is 'notice', 'error' or 'success'.
export function message(kind, ...children) {
  return h('div', { class: kind, role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

// The standard box for a page whose engine this server does not have.
export function unavailable(what, kind) {
  return message('notice',
    h('strong', {}, `${what} is not available on this server yet. `),
    `The server has no '${kind}' job engine in this build (GET /api/kinds lists it as unavailable), `,
    'so there is nothing to show here. No sample or placeholder data is drawn.');
}
