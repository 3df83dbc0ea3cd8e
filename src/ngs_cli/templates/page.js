
// Search and filters for the page, which reads whole without them. The state lives in
// the address's fragment (#zoek=carbid&stad=Utrecht), so that a filtered view can be
// linked; a plain #anchor (the contents' links) leaves it as it is.
(function () {
  "use strict";
  var form = document.getElementById("zoeken");
  if (!form || !window.URLSearchParams || !"".normalize || !history.replaceState) return;
  var fields = form.elements;
  var query = fields.namedItem("zoek");
  var selects = ["onderwerp", "stad", "jaar"].map(function (name) {
    return fields.namedItem(name);
  });
  var count = document.getElementById("aantal");
  var none = document.getElementById("niets");
  var entries = {};
  Array.prototype.forEach.call(document.querySelectorAll("#inhoud li[data-id]"), function (li) {
    entries[li.getAttribute("data-id")] = li;
  });
  var meetings = Array.prototype.map.call(document.querySelectorAll("article.verslag"), function (a) {
    return {
      article: a,
      entry: entries[a.id] || null,
      keys: [
        " " + a.getAttribute("data-onderwerpen") + " ",
        a.getAttribute("data-stad"),
        a.getAttribute("data-jaar"),
      ],
      text: null,
      shown: true,
    };
  });

  // As ngs folds (text.fold): plain quotes and dashes, compatibility forms as their
  // letters (NFKC: "ﬁ" is "fi"), no case as casefold has it ("Weiß" is "weiss", where
  // toLowerCase keeps the ß), the dotless ı as i, no accents; so "syriegangers" finds
  // "Syriëgangers" and "yildiz" finds "Yıldız".
  var COMBINING = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  var PLAIN = { "\u2019": "'", "\u2018": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"',
                "\u201e": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " " };
  var FANCY = /[\u2019\u2018\u201a\u201c\u201d\u201e\u2013\u2014\u00a0]/g;
  function fold(text) {
    return text
      .replace(FANCY, function (c) { return PLAIN[c]; })
      .normalize("NFKC")
      .toLowerCase()
      .replace(/\u00df/g, "ss")
      .replace(/\u03c2/g, "\u03c3")
      .replace(/\u0131/g, "i")
      .normalize("NFKD")
      .replace(COMBINING, "");
  }
  // Each verslag's text is folded once, when the first search needs it.
  function prepare() {
    for (var i = 0; i < meetings.length; i++) {
      var m = meetings[i];
      if (m.text === null) m.text = fold(m.article.textContent);
    }
  }

  function apply() {
    var words = fold(query.value).split(/\s+/).filter(Boolean);
    var wanted = selects.map(function (s) { return s.value; });
    if (words.length) prepare();
    var shown = 0;
    for (var i = 0; i < meetings.length; i++) {
      var m = meetings[i];
      var ok =
        (!wanted[0] || m.keys[0].indexOf(" " + wanted[0] + " ") >= 0) &&
        (!wanted[1] || m.keys[1] === wanted[1]) &&
        (!wanted[2] || m.keys[2] === wanted[2]);
      for (var w = 0; ok && w < words.length; w++) ok = m.text.indexOf(words[w]) >= 0;
      if (ok !== m.shown) {
        m.shown = ok;
        m.article.classList.toggle("uit", !ok);
        if (m.entry) m.entry.classList.toggle("uit", !ok);
      }
      if (ok) shown++;
    }
    count.textContent =
      shown + " van de " + meetings.length + (meetings.length === 1 ? " bijeenkomst" : " bijeenkomsten");
    none.hidden = shown > 0;
  }

  function save() {
    var state = new URLSearchParams();
    if (query.value.trim()) state.set("zoek", query.value);
    selects.forEach(function (s) {
      if (s.value) state.set(s.name, s.value);
    });
    var text = state.toString();
    var address = location.href.split("#")[0] + (text ? "#" + text : "");
    if (address !== location.href) history.replaceState(null, "", address);
  }

  // The state the fragment names; false when it names none (an anchor, or nothing).
  function restore() {
    var fragment = location.hash.slice(1);
    if (fragment.indexOf("=") < 0) return false;
    var state = new URLSearchParams(fragment);
    query.value = state.get("zoek") || "";
    selects.forEach(function (s) {
      var value = state.get(s.name) || "";
      var known = Array.prototype.some.call(s.options, function (o) { return o.value === value; });
      s.value = known ? value : "";
    });
    return true;
  }

  form.addEventListener("input", function () { apply(); save(); });
  form.addEventListener("change", function () { apply(); save(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () {
    setTimeout(function () { apply(); save(); query.focus(); }, 0);
  });
  query.addEventListener("focus", prepare, { once: true });
  window.addEventListener("hashchange", function () {
    if (restore()) {
      apply();
      form.scrollIntoView();
    }
  });
  form.hidden = false;
  restore();
  apply();
})();
