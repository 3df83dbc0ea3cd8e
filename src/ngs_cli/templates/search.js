
// The search of `ngs search`, for the page: the same query language (every word
// required, OR, -word and NOT, "a phrase", word*, groups), the same folding, and the same
// word forms: Snowball's classic Dutch stemmer (dutch_porter) written out here, the
// plurals it keeps apart, and the compounds a word ends. What the page searches is what
// the index holds: each element's data-z names the index's field (0 title and themes,
// 1 topics, 2 people and programme, 3 the verslag, city and venue); an empty data-z
// leaves its text out. Tested against the Python search with one file of cases.
var NgsSearch = (function () {
  "use strict";
  var MIN_PREFIX = 2, MIN_COMPOUND_TAIL = 5, MIN_COMPOUND_HEAD = 3, MIN_UNKNOWN_HEAD = 5;
  var TOKEN = /[\p{L}\p{N}]+/gu;
  // Plurals that change the vowel (search.IRREGULAR_PLURALS).
  var IRREGULAR_PLURALS = [["huis", "huizen"], ["lid", "leden"], ["stad", "steden"],
                           ["schip", "schepen"], ["smid", "smeden"]];
  // Prefixes and particles that pass for a head but are none (search.NO_HEADS).
  var NO_HEADS = (
    "inter intra trans super supra contra extra multi hyper ultra micro macro pseudo " +
    "proto semi anti poly mono daar hier waar toe uit bij wel mee aan door voor over " +
    "onder tegen achter boven naar weg terug samen").split(" ");
  // A head that ends so is a word's prefix (search.PARTICLE_ENDS).
  var PARTICLE_ENDS = (
    "voor door over onder tegen achter boven naar terug samen daar hier waar ver ont " +
    "her").split(" ");
  // No form of another word, whatever its stem (search.FUNCTION_WORDS).
  var FUNCTION_WORDS = (
    "over steeds weet wel toe uit daar hier waar bij door voor naar onder tegen want " +
    "maar meer weer zeer heel alle alles ander andere elk elke geen veel vele zijn " +
    "haar hun ons onze deze dit dat die wie wat hoe ook nog al als dan om op aan af " +
    "in met van").split(" ");

  // As ngs folds (text.fold): plain quotes and dashes, compatibility forms as their
  // letters (NFKC: "ﬁ" is "fi"), no case as casefold has it ("Weiß" is "weiss", where
  // toLowerCase keeps the ß), the dotless ı as i, no accents; so "syriegangers" finds
  // "Syriëgangers" and "yildiz" finds "Yıldız".
  var COMBINING = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  var PLAIN = { "\u2019": "'", "\u2018": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"',
                "\u201e": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " " };
  var FANCY = /[\u2019\u2018\u201a\u201c\u201d\u201e\u2013\u2014\u00a0]/g;
  function plain(text) {
    return text.replace(FANCY, function (c) { return PLAIN[c]; });
  }
  function fold(text) {
    return plain(text)
      .normalize("NFKC")
      .toLowerCase()
      .replace(/\u00df/g, "ss")
      .replace(/\u03c2/g, "\u03c3")
      .replace(/\u0131/g, "i")
      .normalize("NFKD")
      .replace(COMBINING, "")
      .normalize("NFC");
  }
  function tokens(text) {
    return fold(text).match(TOKEN) || [];
  }

  // --- Snowball's classic Dutch stemmer (dutch.sbl, as PyStemmer's dutch_porter) ------
  var VOWELS = "aeiouy\u00e8";
  function vowel(c) { return c !== undefined && c !== "" && VOWELS.indexOf(c) >= 0; }
  function stem(word) {
    var w = word.replace(/[\u00e4\u00e1]/g, "a").replace(/[\u00eb\u00e9]/g, "e")
      .replace(/[\u00ef\u00ed]/g, "i").replace(/[\u00f6\u00f3]/g, "o")
      .replace(/[\u00fc\u00fa]/g, "u").split("");
    // y at the start or after a vowel, and i between vowels, are consonants: Y and I
    // (Snowball's goto leaves the cursor where it matched: the next look is one further).
    if (w[0] === "y") w[0] = "Y";
    for (var p = 0; p < w.length; p++) {
      if (!vowel(w[p])) continue;
      if (w[p + 1] === "i" && vowel(w[p + 2])) w[p + 1] = "I";
      else if (w[p + 1] === "y") w[p + 1] = "Y";
    }
    var s = w.join("");
    // R1 begins after the first non-vowel that follows a vowel (at 3 at least); R2 after
    // the next such in R1.
    var p1 = s.length, p2 = s.length;
    if (s.length >= 3) {
      var r = after(s, 0);
      if (r >= 0) {
        p1 = Math.max(r, 3);
        var r2 = after(s, r);
        if (r2 >= 0) p2 = r2;
      }
    }
    var eFound = false;
    function ends(x) { return s.length >= x.length && s.slice(s.length - x.length) === x; }
    function cut(n) { s = s.slice(0, s.length - n); }
    function undouble() { if (ends("kk") || ends("dd") || ends("tt")) cut(1); }
    function before(n) { return s.charAt(s.length - n - 1); }
    function enEnding(n) {  // the suffix of n letters: en, ene
      var at = s.length - n;
      if (at < p1 || at === 0 || vowel(s.charAt(at - 1))) return false;
      if (s.slice(0, at).slice(-3) === "gem") return false;
      cut(n);
      undouble();
      return true;
    }
    function eEnding() {
      eFound = false;
      var at = s.length - 1;
      if (!ends("e") || at < p1 || at === 0 || vowel(s.charAt(at - 1))) return;
      cut(1);
      eFound = true;
      undouble();
    }
    // Step 1: the longest of heden, ene, en, se, s.
    if (ends("heden")) {
      if (s.length - 5 >= p1) s = s.slice(0, s.length - 5) + "heid";
    } else if (ends("ene")) enEnding(3);
    else if (ends("en")) enEnding(2);
    else if (ends("se") || ends("s")) {
      var n = ends("se") ? 2 : 1, at = s.length - n, c = s.charAt(at - 1);
      if (at >= p1 && at > 0 && !vowel(c) && c !== "j") cut(n);
    }
    // Step 2: e.
    eEnding();
    // Step 3a: heid, not after c; then en.
    if (ends("heid") && s.length - 4 >= p2 && before(4) !== "c") {
      cut(4);
      if (ends("en")) enEnding(2);
    }
    // Step 3b: the longest of end, ing, ig, lijk, baar, bar.
    if (ends("end") || ends("ing")) {
      if (s.length - 3 >= p2) {
        cut(3);
        if (ends("ig") && s.length - 2 >= p2 && before(2) !== "e") cut(2);
        else undouble();
      }
    } else if (ends("ig")) {
      if (s.length - 2 >= p2 && before(2) !== "e") cut(2);
    } else if (ends("lijk")) {
      if (s.length - 4 >= p2) { cut(4); eEnding(); }
    } else if (ends("baar")) {
      if (s.length - 4 >= p2) cut(4);
    } else if (ends("bar")) {
      if (s.length - 3 >= p2 && eFound) cut(3);
    }
    // Step 4: a double vowel before a final consonant made single (maan: man).
    var last = s.charAt(s.length - 1);
    if (s.length >= 4 && !vowel(last) && last !== "I") {
      var pair = s.slice(s.length - 3, s.length - 1);
      if ((pair === "aa" || pair === "ee" || pair === "oo" || pair === "uu") &&
          !vowel(s.charAt(s.length - 4))) {
        s = s.slice(0, s.length - 2) + last;
      }
    }
    return s.replace(/Y/g, "y").replace(/I/g, "i");
  }
  // The position after the first non-vowel that follows a vowel, from ``from``; or -1.
  function after(s, from) {
    var i = from;
    while (i < s.length && !vowel(s.charAt(i))) i++;
    while (i < s.length && vowel(s.charAt(i))) i++;
    return i < s.length ? i + 1 : -1;
  }

  // --- the query language ---------------------------------------------------------------
  var LEXEME = /\(|\)|-?"[^"]*"?|[^\s()"]+/g;
  function Term(toks, phrase, prefix) { return { toks: toks, phrase: phrase, prefix: prefix }; }
  function Node(kind, parts) { return { kind: kind, parts: parts }; }
  function isNot(n) { return n.kind === "not"; }

  function parse(text) {
    var lexemes = plain(text).match(LEXEME) || [];
    var tree = simplify(sequence(lexemes, { i: 0 }, true));
    if (tree && !valid(tree)) return null;
    return tree;
  }
  function sequence(lexemes, at, top) {
    var clauses = [], pendingOr = false;
    while (at.i < lexemes.length) {
      var lex = lexemes[at.i];
      if (lex === ")") {
        at.i++;
        if (!top) return Node("and", clauses);
        continue;  // a stray closing parenthesis is no word
      }
      var op = lex === "OR" || lex === "AND" || lex === "NOT";
      if (op && (at.i + 1 === lexemes.length || lexemes[at.i + 1] === ")")) { at.i++; continue; }
      if (lex === "OR" && clauses.length) { pendingOr = true; at.i++; continue; }
      if (lex === "OR" || lex === "AND") { at.i++; continue; }
      var negate = false;
      if (lex === "NOT") { negate = true; at.i++; lex = lexemes[at.i]; }
      if (lex === "-" && lexemes[at.i + 1] === "(") { negate = true; at.i++; lex = "("; }
      else if (lex.charAt(0) === "-" && lex.length > 1) { negate = true; lex = lex.slice(1); }
      var part = atom(lexemes, at, lex);
      if (part === null) { pendingOr = false; continue; }
      if (negate) part = Node("not", [part]);
      if (pendingOr && clauses.length) {
        var previous = clauses.pop();
        var left = previous.kind === "or" ? previous.parts : [previous];
        part = Node("or", left.concat([part]));
      }
      clauses.push(part);
      pendingOr = false;
    }
    return Node("and", clauses);
  }
  function atom(lexemes, at, lex) {
    if (lex === "(") { at.i++; return sequence(lexemes, at, false); }
    at.i++;
    if (lex === ")") return null;
    if (lex.charAt(0) === '"') {
      var words = tokens(lex.replace(/^"+|"+$/g, ""));
      return words.length ? Term(words, true, false) : null;
    }
    var found = tokens(lex);
    if (!found.length) return null;
    var prefix = lex.charAt(lex.length - 1) === "*";
    if (prefix && found[found.length - 1].length < MIN_PREFIX) return null;
    if (found.length > 1) {  // title:carbid, e-mail: words, each required
      return Node("and", found.map(function (t, n) {
        return Term([t], false, prefix && n === found.length - 1);
      }));
    }
    return Term(found, false, prefix);
  }
  function key(n) { return JSON.stringify(n); }
  function simplify(node) {
    if (node === null || node.toks) return node;
    var seen = {}, parts = [];
    node.parts.forEach(function (p) {
      var s = simplify(p);
      if (s !== null && !seen[key(s)]) { seen[key(s)] = true; parts.push(s); }
    });
    if (!parts.length) return null;
    if (node.kind !== "not" && parts.length === 1) return parts[0];
    return Node(node.kind, parts);
  }
  // What ngs search refuses (only words left out, a left-out inside an OR or another
  // left-out) finds nothing here either.
  function valid(node) {
    if (node.toks) return true;
    if (node.kind === "not" || (node.kind === "and" && node.parts.every(isNot))) return false;
    if (node.kind === "or" && node.parts.some(isNot)) return false;
    return node.parts.every(function (p) {
      return node.kind === "and" && isNot(p) ? inside(p.parts[0]) : valid(p);
    });
  }
  function inside(node) {
    if (node.toks) return true;
    return node.parts.every(function (p) { return !isNot(p) && inside(p); });
  }

  // --- the index of the page's meetings ------------------------------------------------
  // ``fields``: for each meeting, its four fields' text.
  function Index(fields) {
    var postings = {}, columns = [];
    fields.forEach(function (texts, m) {
      columns.push(texts.map(function (t) {
        var words = tokens(t);
        words.forEach(function (w) {
          var list = postings[w] || (postings[w] = []);
          if (list[list.length - 1] !== m) list.push(m);
        });
        return words;
      }));
    });
    var terms = Object.keys(postings).sort();
    var stems = {}, byStem = {};
    terms.forEach(function (t) {
      var s = stem(t);
      stems[t] = s;
      (byStem[s] || (byStem[s] = [])).push(t);
    });
    this.size = fields.length;
    this.postings = postings;
    this.columns = columns;
    this.terms = terms;
    this.stems = stems;
    this.byStem = byStem;
  }
  // The indexed words a query word stands for: those of its stem, of the plurals the
  // stemmer keeps apart, and of the compounds it ends.
  Index.prototype.forms = function (word) {
    var self = this, found = {}, list = [];
    var stemsOf = {};
    plurals(word).forEach(function (w) { stemsOf[self.stems[w] || stem(w)] = true; });
    Object.keys(stemsOf).forEach(function (s) {
      (self.byStem[s] || []).forEach(function (t) {
        if (t === word || FUNCTION_WORDS.indexOf(t) < 0) found[t] = true;
      });
    });
    Object.keys(stemsOf).forEach(function (s) {
      if (s.length < MIN_COMPOUND_TAIL) return;
      self.terms.forEach(function (t) {
        var ts = self.stems[t];
        if (ts.length >= s.length + MIN_COMPOUND_HEAD && ts.slice(-s.length) === s &&
            self.isHead(ts.slice(0, ts.length - s.length), s)) found[t] = true;
      });
    });
    for (var t in found) list.push(t);
    return list.length ? list : [word];
  };
  Index.prototype.isHead = function (head, tail) {
    if (NO_HEADS.indexOf(head) >= 0) return false;
    if (PARTICLE_ENDS.some(function (p) { return head.slice(-p.length) === p; })) return false;
    // The head's end and the tail a word of the index: rand-voorwaarden, not randvoor-.
    for (var i = 1; i < head.length - 1; i++) if (this.byStem[head.slice(i) + tail]) return false;
    if (head.length >= MIN_UNKNOWN_HEAD) return true;
    var self = this;
    return [head, strip(head, "s"), strip(head, "e"), strip(head, "en")].some(function (p) {
      return p.length >= MIN_COMPOUND_HEAD && (self.postings[p] || self.byStem[p]);
    });
  };
  function strip(text, end) {
    return text.slice(-end.length) === end ? text.slice(0, text.length - end.length) : text;
  }
  function plurals(word) {
    var out = [word];
    if (word.slice(-3) === "ies" && word.length > 5) out.push(word.slice(0, -1));
    else if (word.slice(-4) === "ieen" && word.length > 6) out.push(word.slice(0, -2));
    else if (word.slice(-2) === "ie" && word.length > 4) out.push(word + "s", word + "en");
    IRREGULAR_PLURALS.forEach(function (pair) {
      var one = pair[0], many = pair[1];
      if (word.slice(-many.length) === many) out.push(word.slice(0, -many.length) + one);
      else if (word.slice(-one.length) === one) out.push(word.slice(0, -one.length) + many);
    });
    return out;
  }
  // The meetings (their numbers, as a set) that a query, parsed, finds.
  Index.prototype.find = function (node) {
    var self = this;
    if (node.toks) return this.term(node);
    if (node.kind === "or") {
      var any = {};
      node.parts.forEach(function (p) { Object.assign(any, self.find(p)); });
      return any;
    }
    var wanted = node.parts.filter(function (p) { return !isNot(p); });
    var out = this.find(wanted[0]);
    wanted.slice(1).forEach(function (p) {
      var next = self.find(p);
      for (var m in out) if (!next[m]) delete out[m];
    });
    node.parts.filter(isNot).forEach(function (p) {
      var left = self.find(p.parts[0]);
      for (var m in left) delete out[m];
    });
    return out;
  };
  Index.prototype.term = function (term) {
    var self = this, found = {};
    function add(word) { (self.postings[word] || []).forEach(function (m) { found[m] = true; }); }
    if (term.prefix) {
      var start = term.toks.join(" ");
      this.terms.forEach(function (t) { if (t.slice(0, start.length) === start) add(t); });
      return found;
    }
    if (!term.phrase && term.toks.length === 1) {
      this.forms(term.toks[0]).forEach(add);
      return found;
    }
    // A phrase: those words one after the other, within one field.
    add(term.toks[0]);
    for (var m in found) if (!this.hasPhrase(+m, term.toks)) delete found[m];
    return found;
  };
  // The indexed words the query's words stand for (those left out not), to highlight.
  Index.prototype.words = function (node, out) {
    var self = this;
    out = out || {};
    if (node.toks) {
      if (node.prefix) {
        var start = node.toks.join(" ");
        this.terms.forEach(function (t) { if (t.slice(0, start.length) === start) out[t] = true; });
      } else if (!node.phrase && node.toks.length === 1) {
        this.forms(node.toks[0]).forEach(function (t) { out[t] = true; });
      } else {
        node.toks.forEach(function (t) { out[t] = true; });
      }
    } else if (node.kind !== "not") {
      node.parts.forEach(function (p) { if (!isNot(p)) self.words(p, out); });
    }
    return out;
  };
  Index.prototype.hasPhrase = function (m, words) {
    return this.columns[m].some(function (column) {
      for (var i = 0; i + words.length <= column.length; i++) {
        var j = 0;
        while (j < words.length && column[i + j] === words[j]) j++;
        if (j === words.length) return true;
      }
      return false;
    });
  };

  return { fold: fold, tokens: tokens, stem: stem, parse: parse, Index: Index, TOKEN: TOKEN };
})();
