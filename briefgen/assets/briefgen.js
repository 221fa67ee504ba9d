// briefgen: the highlighted passage a citation points at, names first in search, and listings to filter and sort.
(function () {
  // Run on every page: on load, and after each of Material's instant navigations. (Opened from
  // disk, Material's document$ completes without a page: instant navigation is off there.)
  function onEveryPage(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
    if (typeof document$ !== "undefined") document$.subscribe(fn);
  }

  // Emphasize every part of the cited passage a link points at.
  function emphasize() {
    var marks = document.querySelectorAll("mark.bg-quote");
    var id = decodeURIComponent(window.location.hash.slice(1));
    for (var i = 0; i < marks.length; i++) {
      var quotes = (marks[i].getAttribute("data-quotes") || "").split(" ");
      marks[i].classList.toggle("bg-quote--target", id !== "" && quotes.indexOf(id) >= 0);
    }
  }

  // A search for a name puts the page of whoever bears that name first.
  //
  // An entity page carries its name and aliases as tags, which Material's search indexes and
  // shows in each result. Lunr ranks by the words matched, not by how exactly: "Palmyra" also
  // matches "Local antiquities chief of Palmyra", "Iraq" also "Iraqi forces". So where the
  // query is, word for word, a name or alias of a page in the results, that page comes first
  // (accents aside: the tags hold each name's Latin form too, "Zoe Orsted" beside "Zoë Ørsted").
  function words(text) {
    return text.normalize("NFKC").toLowerCase()
      .replace(/[\u2018\u2019\u02bc]/g, "'").replace(/["\u201c\u201d]/g, "")
      .replace(/[\s\-\u2010-\u2015]+/g, " ").trim();
  }

  function promote(list, input) {
    var query = folded(input.value);
    if (!query) return;
    var exact = [];
    var items = list.children;
    for (var i = 0; i < items.length; i++) {
      var tags = items[i].querySelectorAll(":scope > a:first-child .md-tag");
      for (var j = 0; j < tags.length; j++) {
        if (folded(tags[j].textContent) === query) {
          exact.push(items[i]);
          break;
        }
      }
    }
    for (var k = 0; k < exact.length; k++) {
      if (list.children[k] !== exact[k]) list.insertBefore(exact[k], list.children[k]);
    }
    if (exact.length) {
      // Enter opens the result with the highest score: make that the first one.
      var scores = list.querySelectorAll("[data-md-score]");
      var best = 0;
      for (var s = 0; s < scores.length; s++) best = Math.max(best, parseFloat(scores[s].getAttribute("data-md-score")));
      var first = exact[0].querySelector("[data-md-score]");
      if (first && parseFloat(first.getAttribute("data-md-score")) < best) {
        first.setAttribute("data-md-score", (best + 1).toFixed(2));
      }
    }
  }

  function watchSearch() {
    var list = document.querySelector(".md-search-result__list");
    var input = document.querySelector("input.md-search__input");
    if (!list || !input || list.hasAttribute("data-bg-watched")) return;
    list.setAttribute("data-bg-watched", "");
    new MutationObserver(function () { promote(list, input); }).observe(list, { childList: true });
    // Material's search overlay is a dialog without a name (axe: aria-dialog-name).
    var dialog = document.querySelector(".md-search[role='dialog']");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", input.getAttribute("aria-label") || "Search");
  }

  // A listing page: a box that filters its rows as one types, and columns sorted by a click.
  //
  // The page works without this: its rows come in name order, and a long listing is grouped by
  // initial letter under headings a bar of links leads to. Sorted other than by name, the rows
  // leave their letters for the first table, and the headings and the bar hide.
  function folded(text) {
    return words(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function enhanceListing() {
    var intro = document.querySelector("article p.bg-listing");
    if (!intro || intro.hasAttribute("data-bg-enhanced")) return;
    intro.setAttribute("data-bg-enhanced", "");
    var article = intro.closest("article");
    var tables = Array.prototype.slice.call(article.querySelectorAll("table"));
    if (!tables.length) return;
    var letters = article.querySelector("nav.bg-letters");
    var groups = tables.map(function (table) {
      var outer = table.closest(".md-typeset__scrollwrap") || table;
      var before = outer.previousElementSibling;
      return {table: table, heading: before && before.matches("h2[id^='letter-']") ? before : null};
    });
    var rows = [];
    groups.forEach(function (group) {
      Array.prototype.forEach.call(group.table.tBodies[0].rows, function (row) {
        var cells = row.cells;
        rows.push({row: row, home: group.table.tBodies[0], order: rows.length,
                   text: folded(cells[0].textContent + " " + (cells[1] ? cells[1].textContent : ""))});
      });
    });

    // Columns that sort: the first (the page's own order, by name), and those of numbers, dates or grades.
    var columns = [];
    var heads = tables[0].tHead.rows[0].cells;
    for (var c = 0; c < heads.length; c++) {
      var kind = c === 0 ? "name" : null;
      if (c > 0 && rows.every(function (r) { return /^\d+$/.test(r.row.cells[c].textContent.trim()); })) kind = "number";
      if (c > 0 && rows.some(function (r) { return r.row.cells[c].querySelector("time"); })) kind = "date";
      if (c > 0 && rows.some(function (r) { return r.row.cells[c].querySelector("[data-grade]"); })) kind = "grade";
      columns.push(kind);
    }
    var state = {column: 0, direction: "ascending"};

    function value(r, c) {
      var cell = r.row.cells[c];
      if (columns[c] === "number") return parseInt(cell.textContent, 10);
      var grade = cell.querySelector("[data-grade]");
      if (columns[c] === "grade") return grade ? "FEDCBA".indexOf(grade.getAttribute("data-grade")) : null;
      var time = cell.querySelector("time");
      return time ? time.getAttribute("datetime") : null;
    }

    function sort(c, direction) {
      state = {column: c, direction: direction};
      var grouped = c === 0 && direction === "ascending";
      var sign = direction === "ascending" ? 1 : -1;
      var sorted = rows.slice().sort(function (a, b) {
        if (c === 0) return sign * (a.order - b.order);
        var x = value(a, c), y = value(b, c);
        if (x === y) return a.order - b.order;
        if (x === null) return 1;  // rows without a date (or a grade) last, either way
        if (y === null) return -1;
        return sign * (x < y ? -1 : 1);
      });
      sorted.forEach(function (r) { (grouped ? r.home : groups[0].table.tBodies[0]).appendChild(r.row); });
      tables.forEach(function (table) {
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
          if (i === c) th.setAttribute("aria-sort", direction);
          else th.removeAttribute("aria-sort");
        });
      });
      if (letters) letters.hidden = !grouped;
      filter();
    }

    var input = document.createElement("input");
    input.type = "search";
    input.id = "bg-filter";
    input.className = "bg-filter__input";
    input.setAttribute("autocomplete", "off");
    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.textContent = "Filter by " + heads[0].textContent.trim().toLowerCase() +
      (heads.length > 1 ? " or " + heads[1].textContent.trim().toLowerCase() : "");
    var count = document.createElement("span");
    count.className = "bg-filter__count";
    count.setAttribute("role", "status");
    var form = document.createElement("div");
    form.className = "bg-filter";
    form.append(label, input, count);
    intro.after(form);

    function filter() {
      var terms = folded(input.value).split(" ").filter(Boolean);
      var shown = 0;
      rows.forEach(function (r) {
        var match = terms.every(function (t) { return r.text.indexOf(t) >= 0; });
        r.row.hidden = !match;
        if (match) shown++;
      });
      var grouped = state.column === 0 && state.direction === "ascending";
      groups.forEach(function (group, i) {
        var outer = group.table.closest(".md-typeset__scrollwrap") || group.table;
        var any = Array.prototype.some.call(group.table.tBodies[0].rows, function (row) { return !row.hidden; });
        var show = grouped ? any : i === 0;
        outer.hidden = !show;
        if (group.heading) group.heading.hidden = !show || !grouped;
      });
      count.textContent = shown + " of " + rows.length + " shown";
    }

    tables.forEach(function (table) {
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, c) {
        if (!columns[c]) return;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "bg-sort";
        button.append.apply(button, Array.prototype.slice.call(th.childNodes));
        th.appendChild(button);
        button.addEventListener("click", function () {
          // names A to Z first; numbers, dates and grades largest, latest and most reliable first
          var first = columns[c] === "name" ? "ascending" : "descending";
          var again = state.direction === "ascending" ? "descending" : "ascending";
          sort(c, state.column === c ? again : first);
          if (button.closest("[hidden]")) tables[0].tHead.rows[0].cells[c].querySelector("button").focus();
        });
      });
    });
    input.addEventListener("input", filter);
    sort(0, "ascending");
  }

  // A link to a passage lands on it. Material scrolls there itself; a theme that keeps the page at
  // its top on load (Zensical's, building the folder of `briefgen build --out`) gets it done here.
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var anchor = id && document.getElementById(id);
    if (!anchor || !anchor.classList.contains("bg-anchor")) return;
    var top = anchor.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight) anchor.scrollIntoView();
  }

  window.addEventListener("load", function () { window.requestAnimationFrame(reveal); });
  window.addEventListener("hashchange", emphasize);
  onEveryPage(emphasize);
  onEveryPage(watchSearch);
  onEveryPage(enhanceListing);
})();
