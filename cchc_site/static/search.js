/*
 * Client-side search for tim-kiem/ (cchc-site). Classic script, no modules, no
 * fetch: it runs from file:// too. Needs, loaded before it with <script src>:
 *   window.CCHC_SEARCH_DATA  (search data, written by cchc_site/search_index.py)
 *   window.MiniSearch        (vendor/minisearch.min.js)
 * Markup contract and data format: see the docstring of cchc_site/search_index.py.
 *
 * window.CCHCSearch exposes the pure parts (fold, tokenize, createEngine, ...)
 * for tests; the page part starts by itself when #search-results exists.
 */
(function (root) {
  'use strict';

  // Characters whose canonical combining class is not 0, i.e. what Python's
  // unicodedata.combining() flags: generated from Python's Unicode database
  // (UNICODE_VERSION below); tests/test_search_js.py checks it.
  var UNICODE_VERSION = '14.0.0';
  var COMBINING_MARKS = /[\u0300-\u034E\u0350-\u036F\u0483-\u0487\u0591-\u05BD\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E4\u06E7\u06E8\u06EA-\u06ED\u0711\u0730-\u074A\u07EB-\u07F3\u07FD\u0816-\u0819\u081B-\u0823\u0825-\u0827\u0829-\u082D\u0859-\u085B\u0898-\u089F\u08CA-\u08E1\u08E3-\u08FF\u093C\u094D\u0951-\u0954\u09BC\u09CD\u09FE\u0A3C\u0A4D\u0ABC\u0ACD\u0B3C\u0B4D\u0BCD\u0C3C\u0C4D\u0C55\u0C56\u0CBC\u0CCD\u0D3B\u0D3C\u0D4D\u0DCA\u0E38-\u0E3A\u0E48-\u0E4B\u0EB8-\u0EBA\u0EC8-\u0ECB\u0F18\u0F19\u0F35\u0F37\u0F39\u0F71\u0F72\u0F74\u0F7A-\u0F7D\u0F80\u0F82-\u0F84\u0F86\u0F87\u0FC6\u1037\u1039\u103A\u108D\u135D-\u135F\u1714\u1715\u1734\u17D2\u17DD\u18A9\u1939-\u193B\u1A17\u1A18\u1A60\u1A75-\u1A7C\u1A7F\u1AB0-\u1ABD\u1ABF-\u1ACE\u1B34\u1B44\u1B6B-\u1B73\u1BAA\u1BAB\u1BE6\u1BF2\u1BF3\u1C37\u1CD0-\u1CD2\u1CD4-\u1CE0\u1CE2-\u1CE8\u1CED\u1CF4\u1CF8\u1CF9\u1DC0-\u1DFF\u20D0-\u20DC\u20E1\u20E5-\u20F0\u2CEF-\u2CF1\u2D7F\u2DE0-\u2DFF\u302A-\u302F\u3099\u309A\uA66F\uA674-\uA67D\uA69E\uA69F\uA6F0\uA6F1\uA806\uA82C\uA8C4\uA8E0-\uA8F1\uA92B-\uA92D\uA953\uA9B3\uA9C0\uAAB0\uAAB2-\uAAB4\uAAB7\uAAB8\uAABE\uAABF\uAAC1\uAAF6\uABED\uFB1E\uFE20-\uFE2F\u{101FD}\u{102E0}\u{10376}-\u{1037A}\u{10A0D}\u{10A0F}\u{10A38}-\u{10A3A}\u{10A3F}\u{10AE5}\u{10AE6}\u{10D24}-\u{10D27}\u{10EAB}\u{10EAC}\u{10F46}-\u{10F50}\u{10F82}-\u{10F85}\u{11046}\u{11070}\u{1107F}\u{110B9}\u{110BA}\u{11100}-\u{11102}\u{11133}\u{11134}\u{11173}\u{111C0}\u{111CA}\u{11235}\u{11236}\u{112E9}\u{112EA}\u{1133B}\u{1133C}\u{1134D}\u{11366}-\u{1136C}\u{11370}-\u{11374}\u{11442}\u{11446}\u{1145E}\u{114C2}\u{114C3}\u{115BF}\u{115C0}\u{1163F}\u{116B6}\u{116B7}\u{1172B}\u{11839}\u{1183A}\u{1193D}\u{1193E}\u{11943}\u{119E0}\u{11A34}\u{11A47}\u{11A99}\u{11C3F}\u{11D42}\u{11D44}\u{11D45}\u{11D97}\u{16AF0}-\u{16AF4}\u{16B30}-\u{16B36}\u{16FF0}\u{16FF1}\u{1BC9E}\u{1D165}-\u{1D169}\u{1D16D}-\u{1D172}\u{1D17B}-\u{1D182}\u{1D185}-\u{1D18B}\u{1D1AA}-\u{1D1AD}\u{1D242}-\u{1D244}\u{1E000}-\u{1E006}\u{1E008}-\u{1E018}\u{1E01B}-\u{1E021}\u{1E023}\u{1E024}\u{1E026}-\u{1E02A}\u{1E130}-\u{1E136}\u{1E2AE}\u{1E2EC}-\u{1E2EF}\u{1E8D0}-\u{1E8D6}\u{1E944}-\u{1E94A}]/gu;
  var TOKEN = /[\p{L}\p{N}]+/gu;
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;

  /** Vietnamese folding, identical to cchc_site.vietnamese.fold:
   *  "Đăng Ký" -> "dang ky" (đ -> d, marks dropped, lower case). */
  function fold(text) {
    var s = String(text).replace(/đ/g, 'd').replace(/Đ/g, 'D');
    s = s.normalize('NFD').replace(COMBINING_MARKS, '');
    return s.normalize('NFC').toLowerCase();
  }

  /** Folded search terms, identical to cchc_site.search_index.tokens. */
  function tokenize(text) {
    return fold(text).match(TOKEN) || [];
  }

  // --- decoding the compact index (see search_index.py) -----------------------

  var DIGIT = (function () {
    var table = new Int8Array(128).fill(-1);
    var alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
    for (var i = 0; i < 64; i++) table[alphabet.charCodeAt(i)] = i;
    return table;
  })();
  // "0-9A-V" end a number (values 0-31), "W-Z a-z - _" continue it (32-63).

  function decodeNumbers(text) {
    var out = [];
    var value = 0;
    for (var i = 0; i < text.length; i++) {
      var d = DIGIT[text.charCodeAt(i)];
      if (d >= 32) {
        value = value * 32 + (d - 32);
      } else {
        out.push(value * 32 + d);
        value = 0;
      }
    }
    return out;
  }

  /** One posting list, text[start:end] -> Map doc -> tf (bitmaps give tf 1). */
  function decodePostings(text, start, end) {
    var entry = new Map();
    var i;
    if (text.charCodeAt(start) === 46) { // "." = bitmap, 6 documents a character
      for (i = start + 1; i < end; i++) {
        var bits = DIGIT[text.charCodeAt(i)];
        var base = (i - start - 1) * 6;
        for (var b = 0; bits; b++, bits >>= 1) {
          if (bits & 1) entry.set(base + b, 1);
        }
      }
      return entry;
    }
    var doc = -1;
    var value = 0;
    var pendingDoc = -1; // waiting for its tf
    for (i = start; i < end; i++) {
      var d = DIGIT[text.charCodeAt(i)];
      if (d >= 32) {
        value = value * 32 + (d - 32);
        continue;
      }
      value = value * 32 + d;
      if (pendingDoc >= 0) {
        entry.set(pendingDoc, value + 2);
        pendingDoc = -1;
      } else {
        doc += (value >> 1) + 1;
        if (value & 1) {
          pendingDoc = doc;
        } else {
          entry.set(doc, 1);
        }
      }
      value = 0;
    }
    return entry;
  }

  /** Where each term's posting list lies in each field's string:
   *  bounds[field][2*t], bounds[field][2*t+1] (start, end). */
  function postingBounds(postings, termCount) {
    return postings.map(function (text) {
      var bounds = new Int32Array(2 * termCount);
      var start = 0;
      for (var t = 0; t < termCount; t++) {
        var end = text.indexOf(',', start);
        if (end < 0) end = text.length;
        bounds[2 * t] = start;
        bounds[2 * t + 1] = end;
        start = end + 1;
      }
      return bounds;
    });
  }

  /** The index entry of one term as MiniSearch reads it (fieldId -> Map doc -> tf),
   *  decoded on first use, so that loading 10,000 articles stays fast. Bitmap
   *  lists (terms in a third of the documents or more) are left out: the engine
   *  scores them itself, far faster than MiniSearch's per-document objects. */
  function LazyTermData(postings, bounds, t) {
    this._postings = postings;
    this._bounds = bounds;
    this._t = t;
    this._fields = new Map();
  }
  LazyTermData.prototype.get = function (fieldId) {
    if (this._fields.has(fieldId)) return this._fields.get(fieldId);
    var bounds = this._bounds[fieldId];
    var value;
    if (bounds) {
      var start = bounds[2 * this._t];
      var end = bounds[2 * this._t + 1];
      var text = this._postings[fieldId];
      if (end > start && text.charCodeAt(start) !== 46) value = decodePostings(text, start, end);
    }
    this._fields.set(fieldId, value);
    return value;
  };

  /** MiniSearch's serialised form (serializationVersion 2) of the data;
   *  with `withIndex` false the term index is left empty. */
  function toMiniSearchJS(data, withIndex) {
    var idx = data.index;
    var fields = idx.fields;
    var n = data.docs.length;
    var fieldIds = {};
    var lengths = [];
    var f;
    for (f = 0; f < fields.length; f++) {
      fieldIds[fields[f]] = f;
      lengths.push(decodeNumbers(idx.lengths[f]));
    }
    var documentIds = {};
    var fieldLength = {};
    for (var d = 0; d < n; d++) {
      documentIds[d] = d;
      var row = [];
      for (f = 0; f < fields.length; f++) row.push(lengths[f][d]);
      fieldLength[d] = row;
    }
    var entries = [];
    if (withIndex !== false) {
      var terms = idx.terms ? idx.terms.split(' ') : [];
      var bounds = postingBounds(idx.postings, terms.length);
      for (var t = 0; t < terms.length; t++) {
        var data_ = {};
        for (f = 0; f < fields.length; f++) {
          var start = bounds[f][2 * t];
          var end = bounds[f][2 * t + 1];
          if (end > start) data_[f] = Object.fromEntries(decodePostings(idx.postings[f], start, end));
        }
        entries.push([terms[t], data_]);
      }
    }
    return {
      documentCount: n,
      nextId: n,
      documentIds: documentIds,
      fieldIds: fieldIds,
      fieldLength: fieldLength,
      averageFieldLength: idx.average,
      storedFields: {},
      dirtCount: 0,
      index: entries,
      serializationVersion: 2
    };
  }

  /** A MiniSearch instance over `data`: {mini, hybrid}. Hybrid (the normal
   *  case): MiniSearch's own loader for the documents, then every term put in
   *  its radix tree with a LazyTermData (MiniSearch 7 internals: `_index` is a
   *  SearchableMap; the tests check this still holds). Otherwise, or with
   *  `eager`, the documented MiniSearch.loadJS over the whole index. */
  function loadMiniSearch(MS, data, options, terms, bounds, eager) {
    if (!eager) {
      var mini = MS.loadJS(toMiniSearchJS(data, false), options);
      if (mini._index && typeof mini._index.set === 'function' && mini._index.size === 0) {
        var postings = data.index.postings;
        for (var t = 0; t < terms.length; t++) {
          mini._index.set(terms[t], new LazyTermData(postings, bounds, t));
        }
        return { mini: mini, hybrid: true };
      }
    }
    return { mini: MS.loadJS(toMiniSearchJS(data, true), options), hybrid: false };
  }

  // --- query building ------------------------------------------------------------

  var BOOST = { title: 4, summary: 2, body: 1, meta: 2 };
  var PREFIX_MIN = 2; // the last word is a prefix from this length on...
  var PREFIX_BUDGET = 40000; // ...if the words it stands for have at most this many postings
  var FUZZY_MIN = 4; // a word unknown to the index, this long, may be a typo (1 edit)

  /** Glossary pairs -> lookup from a term sequence to its alternatives. */
  function glossaryIndex(pairs) {
    var map = new Map();
    var longest = 1;
    function add(from, to) {
      var key = from.join(' ');
      if (!map.has(key)) map.set(key, [from]);
      var list = map.get(key);
      var other = to.join(' ');
      if (!list.some(function (seq) { return seq.join(' ') === other; })) list.push(to);
    }
    (pairs || []).forEach(function (pair) {
      var a = tokenize(pair[0]);
      var e = tokenize(pair[1]);
      if (!a.length || !e.length) return;
      add(a, e);
      add(e, a);
      longest = Math.max(longest, a.length, e.length);
    });
    return { map: map, longest: longest };
  }

  /** Query terms grouped in units: a term, or the alternative term sequences of
   *  an abbreviation and its expansions (found in either direction, longest first). */
  function queryUnits(terms, glossary) {
    var units = [];
    var i = 0;
    while (i < terms.length) {
      var found = null;
      for (var len = Math.min(glossary.longest, terms.length - i); len >= 1 && !found; len--) {
        var alternatives = glossary.map.get(terms.slice(i, i + len).join(' '));
        if (alternatives) found = { length: len, alternatives: alternatives };
      }
      if (found) {
        units.push({ alternatives: found.alternatives });
        i += found.length;
      } else {
        units.push({ term: terms[i] });
        i += 1;
      }
    }
    return units;
  }

  /** First index in the sorted `terms` whose term is >= `key`. */
  function lowerBound(terms, key) {
    var lo = 0;
    var hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // --- the engine ------------------------------------------------------------------

  function Doc(row, data, id) {
    var kind = data.kinds[row[0]];
    var unit = typeof row[3] === 'string' ? ['', row[3]] : row[3] >= 0 ? data.units[row[3]] : null;
    var url = row[2];
    this.id = id;
    this.kind = kind[0];
    this.kindLabel = kind[1];
    this.title = row[1];
    this.url = /\/$/.test(url) ? url + 'index.html' : url;
    this.provinceSlug = unit ? unit[0] : '';
    this.provinceLabel = unit ? unit[1] : '';
    this.dateIso = row[4];
    this.dateDisplay = row[5] || displayDate(row[4]);
    this.snippet = row[6];
    this.extra = row[7];
    this.unit = typeof row[3] === 'number' ? row[3] : -1;
    this.also = row[8];
    this._titleTerms = null;
  }
  Doc.prototype.titleTerms = function () {
    if (!this._titleTerms) this._titleTerms = tokenize(this.title);
    return this._titleTerms;
  };

  function displayDate(iso) {
    return iso && iso.length >= 10 ? iso.slice(8, 10) + '/' + iso.slice(5, 7) + '/' + iso.slice(0, 4) : '';
  }

  function byDateDesc(a, b) {
    if (a.dateIso !== b.dateIso) return a.dateIso < b.dateIso ? 1 : -1;
    return a.id - b.id;
  }

  /** Whether every unit of the query is in `doc`'s title. */
  function titleHasAll(doc, units) {
    var words = doc.titleTerms();
    return units.every(function (unit) {
      if (unit.term !== undefined) {
        return words.some(function (w) { return w === unit.term || (unit.prefix && w.indexOf(unit.term) === 0); });
      }
      return unit.alternatives.some(function (seq) {
        return seq.every(function (t) { return words.indexOf(t) >= 0; });
      });
    });
  }

  // MiniSearch 7 defaults, used for the lists the engine scores itself
  var BM25 = { k: 1.2, b: 0.7, d: 0.5 };
  var PREFIX_WEIGHT = 0.375;
  var FUZZY_WEIGHT = 0.45;

  function bm25(tf, df, n, fieldLength, average) {
    var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    return idf * (BM25.d + tf * (BM25.k + 1) / (tf + BM25.k * (1 - BM25.b + BM25.b * fieldLength / average)));
  }

  /** Whether `a` and `b` are at most one insertion, deletion or substitution apart. */
  function withinOneEdit(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  function popcount(words) {
    var count = 0;
    for (var i = 0; i < words.length; i++) {
      var v = words[i];
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      count += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return count;
  }

  /** Builds the search engine over window.CCHC_SEARCH_DATA-shaped `data`.
   *  `opts.eager`: load through the documented MiniSearch.loadJS only (slower;
   *  the tests compare both ways). */
  function createEngine(data, MiniSearchClass, opts) {
    var MS = MiniSearchClass || root.MiniSearch;
    var idx = data.index;
    var fields = idx.fields;
    var postings = idx.postings;
    var n = data.docs.length;
    var terms = idx.terms ? idx.terms.split(' ') : [];
    var bounds = postingBounds(postings, terms.length);
    var lengths = fields.map(function (_, f) { return decodeNumbers(idx.lengths[f]); });
    var options = {
      fields: fields,
      tokenize: tokenize,
      processTerm: function (term) { return term; },
      searchOptions: { combineWith: 'AND', prefix: false, fuzzy: false }
    };
    var loaded = loadMiniSearch(MS, data, options, terms, bounds, opts && opts.eager);
    var mini = loaded.mini;
    var hybrid = loaded.hybrid;
    var docs = data.docs.map(function (row, id) { return new Doc(row, data, id); });
    var glossary = glossaryIndex(data.glossary);
    var unitBySlug = new Map();
    data.units.forEach(function (unit, k) { unitBySlug.set(unit[0], k); });
    var words = (n + 31) >>> 5; // bitset size

    // Per term: sparse cost (cumulative, to refuse prefixes that stand for too
    // much of the index) and its bitmap lists.
    var cost = new Float64Array(terms.length + 1);
    var denseLists = new Map(); // term index -> [field, ...]
    var denseTermIds = [];
    for (var t = 0; t < terms.length; t++) {
      var c = 0;
      for (var f = 0; f < fields.length; f++) {
        var start = bounds[f][2 * t];
        var end = bounds[f][2 * t + 1];
        if (end === start) continue;
        if (postings[f].charCodeAt(start) === 46) {
          if (!denseLists.has(t)) { denseLists.set(t, []); denseTermIds.push(t); }
          denseLists.get(t).push(f);
          if (!hybrid) c += 4 * (end - start);
        } else {
          c += (end - start) / 1.5;
        }
      }
      cost[t + 1] = cost[t] + c;
    }
    var bitsetCache = new Map();
    /** Documents of the bitmap list of term `t` in field `f`: {bits, df}. */
    function bitset(t, f) {
      var key = t * fields.length + f;
      var found = bitsetCache.get(key);
      if (found) return found;
      var bits = new Uint32Array(words);
      var text = postings[f];
      var start = bounds[f][2 * t];
      var end = bounds[f][2 * t + 1];
      for (var i = start + 1; i < end; i++) {
        var v = DIGIT[text.charCodeAt(i)];
        var base = (i - start - 1) * 6;
        for (var b = 0; v; b++, v >>= 1) {
          if (v & 1) bits[(base + b) >>> 5] |= 1 << ((base + b) & 31);
        }
      }
      found = { bits: bits, df: popcount(bits) };
      bitsetCache.set(key, found);
      return found;
    }
    function has(bits, d) { return (bits[d >>> 5] & (1 << (d & 31))) !== 0; }

    function known(term) {
      var k = lowerBound(terms, term);
      return k < terms.length && terms[k] === term;
    }

    function prefixAllowed(term) {
      if (term.length < PREFIX_MIN) return false;
      var from = lowerBound(terms, term);
      var to = lowerBound(terms, term + '\uffff');
      if (to - from <= (known(term) ? 1 : 0)) return false;
      return cost[to] - cost[from] <= PREFIX_BUDGET;
    }

    /** The query units of `query`: terms (with their prefix / fuzzy flags) and
     *  glossary alternatives. */
    function parse(query) {
      var units = queryUnits(tokenize(query || ''), glossary);
      units.forEach(function (unit, k) {
        if (unit.term === undefined) return;
        unit.prefix = k === units.length - 1 && prefixAllowed(unit.term);
        unit.fuzzy = !unit.prefix && unit.term.length >= FUZZY_MIN && /^[a-z]+$/.test(unit.term) && !known(unit.term);
      });
      return units;
    }

    function termQuery(source) {
      return { queries: [source.term], prefix: source.prefix, fuzzy: source.fuzzy ? 1 : false };
    }

    /** The query's distinct terms, each with the bitmap lists it reaches:
     *  itself, the words it is a prefix of, or (typos) those one edit away. */
    function sourcesOf(units) {
      var sources = new Map();
      function add(term, prefix, fuzzy) {
        if (sources.has(term)) return;
        var dense = []; // [term index, field, weight]
        var union = null;
        function reach(t, weight) {
          (denseLists.get(t) || []).forEach(function (f) {
            var set = bitset(t, f);
            dense.push([t, f, weight, set]);
            if (!union) union = new Uint32Array(words);
            for (var w = 0; w < words; w++) union[w] |= set.bits[w];
          });
        }
        if (hybrid) {
          if (known(term)) reach(lowerBound(terms, term), 1);
          if (prefix) {
            var to = lowerBound(terms, term + '\uffff');
            for (var k = lowerBound(terms, term); k < to; k++) {
              var len = terms[k].length;
              if (terms[k] !== term && denseLists.has(k)) reach(k, PREFIX_WEIGHT * len / (len + 0.3 * (len - term.length)));
            }
          } else if (fuzzy) {
            denseTermIds.forEach(function (k) {
              if (terms[k] !== term && withinOneEdit(term, terms[k])) reach(k, FUZZY_WEIGHT * terms[k].length / (terms[k].length + 1));
            });
          }
        }
        sources.set(term, { term: term, prefix: !!prefix, fuzzy: !!fuzzy, dense: dense, union: union });
      }
      units.forEach(function (unit) {
        if (unit.term !== undefined) add(unit.term, unit.prefix, unit.fuzzy);
        else unit.alternatives.forEach(function (seq) { seq.forEach(function (term) { add(term, false, false); }); });
      });
      return sources;
    }

    /** Documents matching every unit through bitmap lists alone. */
    function denseOnly(units, sources) {
      var all = null;
      for (var u = 0; u < units.length; u++) {
        var unit = units[u];
        var seqs = unit.term !== undefined ? [[unit.term]] : unit.alternatives;
        var unitBits = null;
        for (var q = 0; q < seqs.length; q++) {
          var seqBits = null;
          for (var i = 0; i < seqs[q].length; i++) {
            var union = sources.get(seqs[q][i]).union;
            if (!union) { seqBits = null; break; }
            if (!seqBits) seqBits = union.slice();
            else for (var w = 0; w < words; w++) seqBits[w] &= union[w];
          }
          if (!seqBits) continue;
          if (!unitBits) unitBits = seqBits;
          else for (var w2 = 0; w2 < words; w2++) unitBits[w2] |= seqBits[w2];
        }
        if (!unitBits) return [];
        if (!all) all = unitBits;
        else for (var w3 = 0; w3 < words; w3++) all[w3] &= unitBits[w3];
      }
      var out = [];
      for (var w4 = 0; all && w4 < words; w4++) {
        var v = all[w4];
        while (v) {
          var low = v & -v;
          out.push((w4 << 5) + 31 - Math.clz32(low));
          v ^= low;
        }
      }
      return out;
    }

    function filterFor(filters) {
      var kind = filters && filters.kind;
      var province = filters && filters.province;
      var unitId = province ? unitBySlug.get(province) : undefined;
      if (province && unitId === undefined) return function () { return false; };
      return function (doc) {
        if (kind && doc.kind !== kind) return false;
        if (province) {
          return doc.unit === unitId || doc.also === -1 || (Array.isArray(doc.also) && doc.also.indexOf(unitId) >= 0);
        }
        return true;
      };
    }

    /** Hybrid matching: MiniSearch scores the sparse lists of all query terms
     *  (OR); the engine adds bitmap lists, then keeps documents where every
     *  unit matches (AND; an abbreviation unit through any of its forms). */
    function match(units, accept) {
      var sources = sourcesOf(units);
      var list = Array.from(sources.values());
      var hits = mini.search({ combineWith: 'OR', queries: list.map(termQuery) }, { boost: BOOST });
      var byDoc = new Map();
      hits.forEach(function (r) { byDoc.set(r.id, r); });
      var candidates = new Set(byDoc.keys());
      denseOnly(units, sources).forEach(function (d) { candidates.add(d); });
      var out = [];
      candidates.forEach(function (d) {
        var doc = docs[d];
        if (!accept(doc)) return;
        var r = byDoc.get(d);
        var sparse = r ? r.queryTerms : [];
        function sat(term) {
          var source = sources.get(term);
          return sparse.indexOf(term) >= 0 || (source.union !== null && has(source.union, d));
        }
        var ok = units.every(function (unit) {
          if (unit.term !== undefined) return sat(unit.term);
          return unit.alternatives.some(function (seq) { return seq.every(sat); });
        });
        if (!ok) return;
        var score = r ? r.score / Math.max(1, r.queryTerms.length) : 0;
        var matched = r ? r.terms.slice() : [];
        list.forEach(function (source) {
          source.dense.forEach(function (entry) {
            var set = entry[3];
            if (!has(set.bits, d)) return;
            var f = entry[1];
            score += entry[2] * BOOST[fields[f]] * bm25(1, set.df, n, lengths[f][d], idx.average[f]);
            if (matched.indexOf(terms[entry[0]]) < 0) matched.push(terms[entry[0]]);
          });
        });
        out.push({ doc: doc, score: score, terms: matched, inTitle: !!r && inTitleField(r) });
      });
      return out;
    }

    function inTitleField(r) {
      for (var term in r.match) {
        if (r.match[term].indexOf('title') >= 0) return true;
      }
      return false;
    }

    /** MiniSearch alone (no internals): one AND query tree. */
    function matchEager(units, accept) {
      var tree = {
        combineWith: 'AND',
        queries: units.map(function (unit) {
          if (unit.term !== undefined) return termQuery(unit);
          return {
            combineWith: 'OR',
            queries: unit.alternatives.map(function (seq) {
              return { combineWith: 'AND', queries: seq.map(function (term) { return termQuery({ term: term }); }) };
            })
          };
        })
      };
      return mini.search(tree, { boost: BOOST, filter: function (r) { return accept(docs[r.id]); } }).map(function (r) {
        return { doc: docs[r.id], score: r.score, terms: r.terms, inTitle: inTitleField(r) };
      });
    }

    /** Results for `query` under `filters` ({province: slug, kind: code}), best
     *  first: documents whose title holds the whole query, then by score
     *  (BM25, title boosted), then newest. With an empty query and a filter,
     *  every matching document, newest first. */
    function search(query, filters) {
      var accept = filterFor(filters);
      var units = parse(query);
      if (!units.length) {
        if (!(filters && (filters.kind || filters.province))) return [];
        return docs.filter(accept).sort(byDateDesc).map(function (doc) {
          return { doc: doc, score: 0, titleMatch: false, terms: [] };
        });
      }
      var results = (hybrid ? match : matchEager)(units, accept).map(function (m) {
        return { doc: m.doc, score: m.score, titleMatch: m.inTitle && titleHasAll(m.doc, units), terms: m.terms };
      });
      results.sort(function (a, b) {
        if (a.titleMatch !== b.titleMatch) return a.titleMatch ? -1 : 1;
        if (a.score !== b.score) return b.score - a.score;
        return byDateDesc(a.doc, b.doc);
      });
      return results;
    }

    return {
      search: search,
      parse: parse,
      docs: docs,
      units: data.units,
      provinces: (data.filter || []).map(function (k) { return data.units[k]; }),
      kinds: data.kinds,
      hybrid: hybrid,
      mini: mini
    };
  }

  /** `text` split in [piece, highlighted] pairs: words whose folded terms were matched. */
  function highlight(text, matchedTerms) {
    var matched = new Set(matchedTerms || []);
    var pieces = [];
    var last = 0;
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      var hit = tokenize(m[0]).some(function (t) { return matched.has(t); });
      if (!hit) continue;
      if (m.index > last) pieces.push([text.slice(last, m.index), false]);
      pieces.push([m[0], true]);
      last = m.index + m[0].length;
    }
    if (last < text.length) pieces.push([text.slice(last), false]);
    return pieces;
  }

  // --- the page ------------------------------------------------------------------

  var PAGE_SIZE = 20;
  var DEBOUNCE_MS = 150;
  var LINK_PREFIX = '../'; // results are shown on tim-kiem/index.html

  function readParams(search) {
    var params = new URLSearchParams(search || '');
    return { q: params.get('q') || '', province: params.get('tinh') || '', kind: params.get('loai') || '' };
  }

  function paramsString(state) {
    var params = new URLSearchParams();
    if (state.q) params.set('q', state.q);
    if (state.province) params.set('tinh', state.province);
    if (state.kind) params.set('loai', state.kind);
    var s = params.toString();
    return s ? '?' + s : '';
  }

  function appendHighlighted(doc, parent, text, terms) {
    highlight(text, terms).forEach(function (piece) {
      if (piece[1]) {
        var mark = doc.createElement('mark');
        mark.textContent = piece[0];
        parent.appendChild(mark);
      } else {
        parent.appendChild(doc.createTextNode(piece[0]));
      }
    });
  }

  function resultItem(document, result) {
    var d = result.doc;
    var li = document.createElement('li');
    li.className = 'search-result';
    var heading = document.createElement('h2');
    heading.className = 'search-result-title';
    var a = document.createElement('a');
    a.href = LINK_PREFIX + d.url;
    appendHighlighted(document, a, d.title, result.terms);
    heading.appendChild(a);
    li.appendChild(heading);
    var meta = document.createElement('p');
    meta.className = 'search-result-meta';
    var parts = [];
    function part(tag, className, text) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      node.textContent = text;
      parts.push(node);
      return node;
    }
    part('span', 'search-result-type', d.kindLabel);
    if (d.provinceLabel) part('span', 'search-result-province', d.provinceLabel);
    if (d.dateIso) part('time', '', d.dateDisplay).setAttribute('datetime', d.dateIso);
    if (d.extra) part('span', 'search-result-code', d.extra);
    parts.forEach(function (node, k) {
      if (k) meta.appendChild(document.createTextNode(' · '));
      meta.appendChild(node);
    });
    li.appendChild(meta);
    if (d.snippet) {
      var p = document.createElement('p');
      p.className = 'search-result-snippet';
      appendHighlighted(document, p, d.snippet, result.terms);
      li.appendChild(p);
    }
    return li;
  }

  /** Options of a filter select: kept as the page wrote them (the template may
   *  group them), else filled from the data after the "all" option. */
  function fillSelect(document, select, options, selected) {
    if (!select) return;
    if (select.options.length <= 1) {
      if (!select.options.length) {
        var all = document.createElement('option');
        all.value = '';
        all.textContent = 'Tất cả';
        select.appendChild(all);
      }
      options.forEach(function (pair) {
        var option = document.createElement('option');
        option.value = pair[0];
        option.textContent = pair[1];
        select.appendChild(option);
      });
    }
    select.value = selected || '';
    if (select.value !== (selected || '')) select.value = '';
  }

  function statusText(engine, state, count) {
    var where = [];
    if (state.province) {
      var unit = engine.units.filter(function (u) { return u[0] === state.province; })[0];
      where.push(unit ? unit[1] : state.province);
    }
    if (state.kind) {
      var kind = engine.kinds.filter(function (k) { return k[0] === state.kind; })[0];
      where.push(kind ? kind[1] : state.kind);
    }
    var suffix = where.length ? ' (' + where.join(', ') + ')' : '';
    if (!state.q.trim() && !where.length) return 'Nhập từ khóa để tìm, có thể gõ không dấu, ví dụ: dang ky khai sinh.';
    var subject = state.q.trim() ? ' cho «' + state.q.trim() + '»' : '';
    if (!count) return 'Không tìm thấy kết quả nào' + subject + suffix + '.';
    return 'Tìm thấy ' + count.toLocaleString('vi-VN') + ' kết quả' + subject + suffix + '.';
  }

  /** Wires the page: form, URL, results. `win` is the window (injectable for tests). */
  function start(win) {
    var document = win.document;
    var form = document.getElementById('search-form');
    var input = document.getElementById('search-q');
    var provinceSelect = document.getElementById('search-province');
    var typeSelect = document.getElementById('search-type');
    var status = document.getElementById('search-status');
    var list = document.getElementById('search-results');
    if (!list || !input) return null;
    function say(text) { if (status) status.textContent = text; }
    var data = win.CCHC_SEARCH_DATA;
    if (!data || !win.MiniSearch) {
      say('Không tải được dữ liệu tìm kiếm. Vui lòng tải lại trang.');
      return null;
    }
    var engine = createEngine(data, win.MiniSearch);
    var state = readParams(win.location.search);
    var results = [];
    var shown = 0;
    var timer = null;
    var more = document.createElement('button');
    more.type = 'button';
    more.className = 'search-more';

    fillSelect(document, provinceSelect, engine.provinces, state.province);
    fillSelect(document, typeSelect, engine.kinds, state.kind);

    function formState() {
      return {
        q: input.value,
        province: provinceSelect ? provinceSelect.value : state.province,
        kind: typeSelect ? typeSelect.value : state.kind
      };
    }

    function showMore() {
      var end = Math.min(results.length, shown + PAGE_SIZE);
      for (; shown < end; shown++) list.appendChild(resultItem(document, results[shown]));
      if (more.parentNode) more.parentNode.removeChild(more);
      if (shown < results.length) {
        more.textContent = 'Xem thêm kết quả (còn ' + (results.length - shown) + ')';
        list.parentNode.insertBefore(more, list.nextSibling);
      }
    }

    function run() {
      results = engine.search(state.q, { province: state.province, kind: state.kind });
      while (list.firstChild) list.removeChild(list.firstChild);
      shown = 0;
      showMore();
      say(statusText(engine, state, results.length));
    }

    function update(push) {
      state = formState();
      var url = win.location.pathname + paramsString(state) + win.location.hash;
      // keep the kiosk session the entry belongs to (app.js): a search of an earlier
      // citizen's session must stay recognisable as one after a kiosk reset
      var entry = { q: state.q, province: state.province, kind: state.kind };
      var previous = win.history.state;
      if (previous && typeof previous.kioskSession === 'number') {
        entry.kioskSession = previous.kioskSession;
        if (!push && previous.kioskFirst) entry.kioskFirst = true;
      }
      try {
        if (push) win.history.pushState(entry, '', url);
        else win.history.replaceState(entry, '', url);
      } catch (e) { /* some browsers refuse history changes on file:// */ }
      run();
    }

    function restore() {
      state = readParams(win.location.search);
      input.value = state.q;
      if (provinceSelect) provinceSelect.value = state.province;
      if (typeSelect) typeSelect.value = state.kind;
      run();
    }

    more.addEventListener('click', showMore);
    if (form) {
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (timer) win.clearTimeout(timer);
        var next = formState();
        // a new query is a new history entry; the same one is not
        update(paramsString(next) !== win.location.search);
      });
    }
    input.addEventListener('input', function () {
      if (timer) win.clearTimeout(timer);
      timer = win.setTimeout(function () { update(false); }, DEBOUNCE_MS);
    });
    [provinceSelect, typeSelect].forEach(function (select) {
      if (select) select.addEventListener('change', function () { update(true); });
    });
    win.addEventListener('popstate', restore);
    restore();
    return { engine: engine, run: run, state: function () { return state; } };
  }

  var api = {
    fold: fold,
    tokenize: tokenize,
    createEngine: createEngine,
    toMiniSearchJS: toMiniSearchJS,
    decodeNumbers: decodeNumbers,
    highlight: highlight,
    readParams: readParams,
    paramsString: paramsString,
    start: start,
    UNICODE_VERSION: UNICODE_VERSION
  };
  root.CCHCSearch = api;

  if (root.document && typeof root.document.getElementById === 'function') {
    var boot = function () {
      if (root.document.getElementById('search-results')) api.page = start(root);
    };
    if (root.document.readyState === 'loading') root.document.addEventListener('DOMContentLoaded', boot);
    else boot();
  }
})(typeof window !== 'undefined' ? window : this);
