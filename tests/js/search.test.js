'use strict';
// Node tests of cchc_site/static/search.js, run by tests/test_search_js.py:
//   CCHC_FIXTURE = search data of a small corpus (special documents + filler)
//   CCHC_BENCH   = search data of the 10,000-article synthetic corpus (optional)
const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./harness');
const { searchPage } = require('./fakedom');

const { api } = load(process.env.CCHC_FIXTURE);
const data = globalThis.CCHC_SEARCH_DATA;
const engine = api.createEngine(data);
const urls = (results) => results.map((r) => r.doc.url);
const find = (q, filters) => urls(engine.search(q, filters));

test('loads through the fast path with bitmap lists present', () => {
  assert.equal(engine.hybrid, true);
  assert.ok(data.index.postings.some((p) => p.includes('.')), 'fixture has bitmap lists');
});

test('diacritics, case and đ are folded in queries', () => {
  for (const q of ['cai cach hanh chinh', 'Cải Cách', 'CAI CACH', 'cải cách hành chính', 'CẢI CÁCH HÀNH CHÍNH']) {
    assert.ok(find(q).includes('tin-tuc/day-manh-cchc/index.html'), q);
  }
  assert.ok(find('dang ky').includes('dich-vu-cong/dang-ky-khai-sinh/index.html'));
  assert.equal(find('dang ky khai sinh')[0], 'dich-vu-cong/dang-ky-khai-sinh/index.html');
  assert.ok(find('Đăng ký').includes('dich-vu-cong/dang-ky-khai-sinh/index.html'));
  // NFD input (combining marks typed separately)
  assert.ok(find('\u0110a\u0306ng ky\u0301'.normalize('NFD')).includes('dich-vu-cong/dang-ky-khai-sinh/index.html'));
});

test('abbreviations expand both ways', () => {
  // the plan says "cải cách hành chính" in its body only; the report says "CCHC" only
  assert.ok(find('CCHC').includes('ke-hoach/kh-493/index.html'));
  assert.ok(find('cchc').includes('tin-tuc/day-manh-cchc/index.html'));
  assert.ok(find('cai cach hanh chinh').includes('tin-tuc/bao-cao-quy/index.html'));
  assert.ok(find('Cải cách hành chính').includes('tin-tuc/bao-cao-quy/index.html'));
  assert.ok(find('thu tuc hanh chinh').includes('tin-tuc/tthc-viet-tat/index.html'));
  assert.ok(find('TTHC').includes('tin-tuc/tthc-day-du/index.html'));
  // an abbreviation inside a longer query
  assert.ok(find('bao cao quy CCHC').includes('tin-tuc/bao-cao-quy/index.html'));
});

test('codes, plan numbers and provinces are searchable', () => {
  assert.equal(find('493/KH-UBND')[0], 'ke-hoach/kh-493/index.html');
  assert.equal(find('1.001193')[0], 'dich-vu-cong/dang-ky-khai-sinh/index.html');
  assert.ok(find('bac kan chuyen doi so').includes('tin-tuc/chuyen-doi-so-bac-kan/index.html'));
});

test('a title match ranks above body-only matches', () => {
  const results = engine.search('khai sinh');
  assert.equal(results[0].doc.url, 'dich-vu-cong/dang-ky-khai-sinh/index.html');
  assert.equal(results[0].titleMatch, true);
  const bodyOnly = urls(results).indexOf('tin-tuc/lich-tiep-dan/index.html');
  assert.ok(bodyOnly > 0, 'the body-only document is found too');
  const t = engine.search('thu tuc hanh chinh');
  assert.ok(urls(t).indexOf('tin-tuc/tthc-day-du/index.html') < urls(t).indexOf('tin-tuc/tthc-trong-bai/index.html'));
});

test('prefix on the last word, small typos', () => {
  assert.ok(find('dang ky khai si').includes('dich-vu-cong/dang-ky-khai-sinh/index.html'));
  assert.ok(find('khai sinnh').includes('dich-vu-cong/dang-ky-khai-sinh/index.html'), 'one typo');
  assert.deepEqual(find('xyzzyq'), []);
});

test('filters by province (with former units and nationwide services) and by type', () => {
  const caMau = engine.search('cai cach hanh chinh', { province: 'ca-mau' });
  assert.ok(caMau.length > 0);
  assert.ok(caMau.every((r) => r.doc.provinceSlug === 'ca-mau' || r.doc.also === -1 || (r.doc.also || []).includes(data.units.findIndex((u) => u[0] === 'ca-mau'))));
  assert.ok(find('chuyen doi so', { province: 'thai-nguyen' }).includes('tin-tuc/chuyen-doi-so-bac-kan/index.html'), 'former unit under the current one');
  assert.ok(find('dang ky khai sinh', { province: 'ha-tinh' }).includes('dich-vu-cong/dang-ky-khai-sinh/index.html'), 'nationwide service');
  const services = engine.search('dang ky', { kind: 'service' });
  assert.ok(services.length > 0 && services.every((r) => r.doc.kind === 'service'));
  assert.deepEqual(find('dang ky', { province: 'khong-co' }), []);
  const onlyFilter = engine.search('', { kind: 'plan' });
  assert.ok(onlyFilter.length > 0 && onlyFilter.every((r) => r.doc.kind === 'plan'));
  assert.deepEqual(engine.search('', {}), []);
});

test('results carry type, province label and date', () => {
  const r = engine.search('493/KH-UBND')[0].doc;
  assert.equal(r.kindLabel, 'Kế hoạch');
  assert.equal(r.provinceLabel, 'Hà Tĩnh');
  assert.equal(r.dateDisplay, '21/12/2020');
  assert.equal(r.dateIso, '2020-12-21');
  assert.equal(r.extra, '493/KH-UBND');
});

test('the documented MiniSearch.loadJS path finds the same documents', () => {
  const eager = api.createEngine(data, globalThis.MiniSearch, { eager: true });
  assert.equal(eager.hybrid, false);
  for (const q of ['cai cach hanh chinh', 'CCHC', 'dang ky', 'khai sinh', 'thu tuc hanh chinh tinh', '493/KH-UBND', 'cong', 'chuyen doi so', 'khai sinnh', 'dang ky khai si']) {
    for (const filters of [{}, { province: 'ha-tinh' }, { kind: 'article' }]) {
      const a = find(q, filters).sort();
      const b = urls(eager.search(q, filters)).sort();
      assert.deepEqual(a, b, q + ' ' + JSON.stringify(filters));
    }
  }
});

test('highlight marks the words that matched, whatever their diacritics', () => {
  const pieces = api.highlight('Đăng ký khai sinh, đăng ký kết hôn', ['dang', 'ky']);
  assert.deepEqual(pieces.filter((p) => p[1]).map((p) => p[0]), ['Đăng', 'ký', 'đăng', 'ký']);
  assert.equal(pieces.map((p) => p[0]).join(''), 'Đăng ký khai sinh, đăng ký kết hôn');
});

test('the page: query from the URL, relative links, filters, history', () => {
  const win = searchPage('file:///site/tim-kiem/index.html?q=dang+ky&loai=service');
  win.CCHC_SEARCH_DATA = data;
  win.MiniSearch = globalThis.MiniSearch;
  const page = api.start(win);
  assert.ok(page);
  const doc = win.document;
  const list = doc.getElementById('search-results');
  assert.equal(doc.getElementById('search-q').value, 'dang ky');
  assert.equal(doc.getElementById('search-type').value, 'service');
  const provinceOptions = doc.getElementById('search-province').options.map((o) => o.textContent);
  assert.equal(provinceOptions[0], 'Tất cả');
  assert.ok(provinceOptions.includes('Hà Tĩnh') && provinceOptions.includes('Bắc Kạn (cũ)'));
  const first = list.children[0];
  const link = first.querySelectorAll('a')[0];
  assert.equal(link.href, '../dich-vu-cong/dang-ky-khai-sinh/index.html');
  assert.equal(link.textContent, 'Đăng ký khai sinh');
  assert.ok(link.querySelectorAll('mark').length >= 2, 'matched words marked');
  const meta = first.querySelectorAll('p')[0].textContent;
  assert.ok(meta.includes('Dịch vụ công') && meta.includes('Toàn quốc'), meta);
  assert.match(doc.getElementById('search-status').textContent, /^Tìm thấy \d+ kết quả cho «dang ky» \(Dịch vụ công\)\.$/);

  // a new query: submitted, pushed to the history
  doc.getElementById('search-q').value = 'xyzzyq';
  doc.getElementById('search-form').dispatch('submit');
  assert.equal(win.location.search, '?q=xyzzyq&loai=service');
  assert.equal(win.history.entries.length, 2);
  assert.equal(list.children.length, 0);
  assert.equal(doc.getElementById('search-status').textContent, 'Không tìm thấy kết quả nào cho «xyzzyq» (Dịch vụ công).');

  // Back
  win.popTo('?q=dang+ky&loai=service');
  assert.equal(doc.getElementById('search-q').value, 'dang ky');
  assert.ok(list.children.length > 0);

  // typing replaces the URL (no history entry per keystroke)
  doc.getElementById('search-q').value = 'khai sinh';
  doc.getElementById('search-q').dispatch('input');
  win.flushTimers();
  assert.equal(win.location.search, '?q=khai+sinh&loai=service');
  assert.equal(win.history.entries.length, 2);

  // a province filter from the select
  const select = doc.getElementById('search-province');
  select.value = 'thai-nguyen';
  doc.getElementById('search-type').value = '';
  select.dispatch('change');
  assert.equal(win.location.search, '?q=khai+sinh&tinh=thai-nguyen');
});

test('the page keeps the options the template wrote', () => {
  const win = searchPage('file:///site/tim-kiem/index.html?tinh=bac-kan');
  const select = win.document.getElementById('search-province');
  const group = win.document.createElement('optgroup');
  for (const [value, text] of [['ha-tinh', 'Hà Tĩnh'], ['bac-kan', 'Bắc Kạn']]) {
    const option = win.document.createElement('option');
    option.value = value; option.textContent = text;
    (value === 'bac-kan' ? group : select).appendChild(option);
  }
  select.appendChild(group);
  const before = select.childNodes.length;
  win.CCHC_SEARCH_DATA = data;
  win.MiniSearch = globalThis.MiniSearch;
  api.start(win);
  assert.equal(select.childNodes.length, before);
  const list = win.document.getElementById('search-results');
  assert.ok(list.children.length > 0, 'filter alone lists the unit');
  assert.match(win.document.getElementById('search-status').textContent, /^Tìm thấy \d+ kết quả \(Bắc Kạn \(cũ\)\)\.$/);
});

test('the page pages long result lists', () => {
  const win = searchPage('file:///site/tim-kiem/index.html?q=cong');
  win.CCHC_SEARCH_DATA = data;
  win.MiniSearch = globalThis.MiniSearch;
  api.start(win);
  const list = win.document.getElementById('search-results');
  assert.equal(list.children.length, 20);
  const more = list.nextSibling;
  assert.ok(more && more.tagName === 'BUTTON' && /^Xem thêm kết quả/.test(more.textContent));
  more.dispatch('click');
  assert.ok(list.children.length > 20);
});

test('the page says so when the data is missing', () => {
  const win = searchPage('file:///site/tim-kiem/index.html?q=x');
  win.MiniSearch = globalThis.MiniSearch;
  assert.equal(api.start(win), null);
  assert.match(win.document.getElementById('search-status').textContent, /^Không tải được dữ liệu tìm kiếm/);
});

if (process.env.CCHC_BENCH) {
  test('10,000 articles: load and query times (reported, sanity bound 1 s)', () => {
    const fs = require('fs');
    const started = performance.now();
    const text = fs.readFileSync(process.env.CCHC_BENCH, 'utf8');
    const vm = require('vm');
    const saved = globalThis.CCHC_SEARCH_DATA;
    vm.runInThisContext(text);
    const big = globalThis.CCHC_SEARCH_DATA;
    globalThis.CCHC_SEARCH_DATA = saved;
    const parsed = performance.now();
    const bigEngine = api.createEngine(big);
    const built = performance.now();
    const lines = [
      `PERF data ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB, ${big.docs.length} docs`,
      `PERF parse ${(parsed - started).toFixed(0)} ms, engine ${(built - parsed).toFixed(0)} ms`,
    ];
    const queries = ['cai cach hanh chinh', 'CCHC', 'Cải Cách', 'dang ky', 'thu tuc hanh chinh tinh ca mau',
      'giay chung nhan quyen su dung dat', '493/KH-UBND', 'chuyen doi so', 'chuyn doi so', 'giay phep kinh doa', 'ch'];
    for (const q of queries) {
      for (const filters of [{}, { province: 'ca-mau', kind: 'article' }]) {
        const times = [];
        let n = 0;
        for (let k = 0; k < 5; k++) {
          const t = performance.now();
          n = bigEngine.search(q, filters).length;
          times.push(performance.now() - t);
        }
        const first = times[0];
        times.sort((a, b) => a - b);
        lines.push(`PERF query ${JSON.stringify(q)} ${JSON.stringify(filters)}: ${n} results, first ${first.toFixed(1)} ms, median ${times[2].toFixed(1)} ms`);
        assert.ok(first < 1000, q);
      }
    }
    console.log(lines.join('\n'));
  });
}
