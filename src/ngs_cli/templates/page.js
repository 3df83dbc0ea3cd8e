
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
      shown: true,
    };
  });

  // The index of the verslagen, made when the first search needs it: each article's
  // text in the index's four fields, as its elements' data-z name them.
  var index = null;
  // Each text of the article that the index holds, with the number of its field.
  function eachIndexed(article, visit) {
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var marked = node.parentElement.closest("[data-z]");
      var field = marked && article.contains(marked) ? marked.getAttribute("data-z") : "";
      if (field) visit(node, +field);
    }
  }
  function fieldTexts(article) {
    var texts = ["", "", "", ""];
    eachIndexed(article, function (node, field) { texts[field] += node.data + "\n"; });
    return texts;
  }
  function prepare() {
    if (index === null) {
      index = new NgsSearch.Index(meetings.map(function (m) { return fieldTexts(m.article); }));
    }
  }

  function apply() {
    var tree = query.value.trim() ? NgsSearch.parse(query.value) : null;
    var wanted = selects.map(function (s) { return s.value; });
    var found = null;
    if (tree) {
      prepare();
      found = index.find(tree);
    }
    highlightLater(tree);
    var shown = 0;
    for (var i = 0; i < meetings.length; i++) {
      var m = meetings[i];
      var ok =
        (!wanted[0] || m.keys[0].indexOf(" " + wanted[0] + " ") >= 0) &&
        (!wanted[1] || m.keys[1] === wanted[1]) &&
        (!wanted[2] || m.keys[2] === wanted[2]) &&
        (found === null || found[i] === true);
      if (ok !== m.shown) {
        m.shown = ok;
        m.article.classList.toggle("uit", !ok);
        if (m.entry) m.entry.classList.toggle("uit", !ok);
      }
      if (ok) shown++;
    }
    count.textContent =
      shown + " van de " + meetings.length + (meetings.length === 1 ? " bijeenkomst" : " bijeenkomsten");
    // What ngs search refuses (only words left out, a left-out inside OR) filters nothing
    // here: it says so, as the command line does.
    if (!tree && NgsSearch.tokens(query.value).length) {
      count.textContent += " (geef een woord om te vinden, niet alleen woorden om weg te laten)";
    }
    none.hidden = shown > 0;
  }

  // What matched, highlighted in the meetings shown (the CSS Custom Highlight API: the
  // text itself is not touched), once the typing pauses; Enter or the button goes to the
  // next match.
  var marks = [], next = 0, pending = 0;
  var jump = document.getElementById("volgende");
  var canMark = !!(window.CSS && CSS.highlights && window.Highlight);
  function highlightLater(tree) {
    clearTimeout(pending);
    pending = setTimeout(function () { highlight(tree); }, 200);
  }
  function highlight(tree) {
    marks = [];
    next = 0;
    if (canMark) CSS.highlights.delete("treffer");
    var words = tree ? index.words(tree) : null;
    if (words) {
      for (var i = 0; i < meetings.length && marks.length < 5000; i++) {
        if (meetings[i].shown) mark(meetings[i].article, words);
      }
    }
    if (canMark && marks.length) CSS.highlights.set("treffer", new Highlight(...marks));
    jump.hidden = !marks.length;
    jump.textContent = "Volgende treffer (" + marks.length + (marks.length === 5000 ? "+" : "") + ")";
  }
  function mark(article, words) {
    eachIndexed(article, function (node) {
      var pattern = new RegExp(NgsSearch.TOKEN.source, "gu"), hit;
      while ((hit = pattern.exec(node.data))) {
        if (words[NgsSearch.fold(hit[0])]) {
          var range = document.createRange();
          range.setStart(node, hit.index);
          range.setEnd(node, hit.index + hit[0].length);
          marks.push(range);
        }
      }
    });
  }
  function goNext() {
    if (!marks.length) return;
    var range = marks[next % marks.length];
    next++;
    var element = range.startContainer.parentElement;
    element.scrollIntoView({ block: "center" });
    if (canMark) {
      CSS.highlights.set("treffer-nu", new Highlight(range));
    }
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
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(pending);
    if (!marks.length && query.value.trim()) highlight(NgsSearch.parse(query.value));
    goNext();
  });
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
