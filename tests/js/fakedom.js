'use strict';
// A minimal DOM, enough for search.js's page code (no layout, no CSS).
class Node {
  constructor(doc) { this.ownerDocument = doc; this.childNodes = []; this.parentNode = null; }
  appendChild(child) {
    if (child.parentNode) child.parentNode.removeChild(child);
    this.childNodes.push(child); child.parentNode = this; return child;
  }
  insertBefore(child, ref) {
    if (!ref) return this.appendChild(child);
    if (child.parentNode) child.parentNode.removeChild(child);
    this.childNodes.splice(this.childNodes.indexOf(ref), 0, child); child.parentNode = this; return child;
  }
  removeChild(child) {
    this.childNodes.splice(this.childNodes.indexOf(child), 1); child.parentNode = null; return child;
  }
  get firstChild() { return this.childNodes[0] || null; }
  get nextSibling() {
    if (!this.parentNode) return null;
    const list = this.parentNode.childNodes; return list[list.indexOf(this) + 1] || null;
  }
  get textContent() { return this.childNodes.map((c) => c.textContent).join(''); }
  set textContent(v) { this.childNodes = []; if (v !== '') this.appendChild(new Text(this.ownerDocument, String(v))); }
}
class Text extends Node {
  constructor(doc, data) { super(doc); this.data = data; }
  get textContent() { return this.data; }
  set textContent(v) { this.data = String(v); }
}
class Element extends Node {
  constructor(doc, tag) { super(doc); this.tagName = tag.toUpperCase(); this.attributes = {}; this.listeners = {}; this.className = ''; this.id = ''; }
  setAttribute(k, v) { this.attributes[k] = String(v); if (k === 'id') this.id = String(v); }
  getAttribute(k) { return k in this.attributes ? this.attributes[k] : null; }
  addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); }
  dispatch(type, event) { (this.listeners[type] || []).forEach((fn) => fn(event || { preventDefault() {} })); }
  get children() { return this.childNodes.filter((c) => c instanceof Element); }
  querySelectorAll(tag) {
    const out = [];
    const walk = (n) => n.childNodes.forEach((c) => { if (c instanceof Element) { if (c.tagName === tag.toUpperCase()) out.push(c); walk(c); } });
    walk(this); return out;
  }
}
class Select extends Element {
  constructor(doc) { super(doc, 'select'); this._value = ''; }
  get options() { return this.querySelectorAll('option'); }
  remove(i) { const o = this.options[i]; o.parentNode.removeChild(o); }
  get value() { return this._value; }
  set value(v) { this._value = this.options.some((o) => o.value === v) ? v : (this.options[0] ? this.options[0].value : ''); }
}
class Document extends Node {
  constructor() { super(null); this.ownerDocument = this; this.readyState = 'complete'; this.byId = {}; this.title = 'Tìm kiếm'; }
  createElement(tag) { const el = tag === 'select' ? new Select(this) : new Element(this, tag); if (tag === 'option') el.value = ''; return el; }
  createTextNode(s) { return new Text(this, s); }
  getElementById(id) { return this.byId[id] || null; }
  add(tag, id, parent) { const el = this.createElement(tag); el.id = id; this.byId[id] = el; (parent || this).appendChild(el); return el; }
  addEventListener() {}
}

/** A window with the search page markup of search_index.py's docstring. */
function searchPage(url) {
  const doc = new Document();
  const body = doc.createElement('body'); doc.appendChild(body);
  const form = doc.add('form', 'search-form', body);
  const input = doc.add('input', 'search-q', form); input.value = '';
  for (const id of ['search-province', 'search-type']) {
    const select = doc.add('select', id, form);
    const all = doc.createElement('option'); all.value = ''; all.textContent = 'Tất cả'; select.appendChild(all);
  }
  doc.add('p', 'search-status', body);
  doc.add('ol', 'search-results', body);
  const u = new URL(url);
  const history = [];
  const listeners = {};
  const timers = [];
  const win = {
    document: doc,
    location: { pathname: u.pathname, search: u.search, hash: u.hash },
    history: {
      entries: history,
      pushState(state, title, href) { history.push(href); win._go(href); },
      replaceState(state, title, href) { history[history.length - 1] = href; win._go(href); },
    },
    _go(href) { const n = new URL(href, 'file:///x/'); win.location.search = n.search; },
    addEventListener(type, fn) { (listeners[type] = listeners[type] || []).push(fn); },
    popTo(search) { win.location.search = search; (listeners.popstate || []).forEach((fn) => fn({})); },
    setTimeout(fn) { timers.push(fn); return timers.length; },
    clearTimeout(id) { timers[id - 1] = null; },
    flushTimers() { const list = timers.splice(0); list.forEach((fn) => fn && fn()); },
  };
  history.push(u.pathname + u.search);
  return win;
}

module.exports = { searchPage, Element };
