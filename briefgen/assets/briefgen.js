// briefgen: the highlighted passage a citation points at, and names first in search.
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
  // query is, word for word, a name or alias of a page in the results, that page comes first.
  function words(text) {
    return text.normalize("NFKC").toLowerCase()
      .replace(/[\u2018\u2019\u02bc]/g, "'").replace(/["\u201c\u201d]/g, "")
      .replace(/[\s\-\u2010-\u2015]+/g, " ").trim();
  }

  function promote(list, input) {
    var query = words(input.value);
    if (!query) return;
    var exact = [];
    var items = list.children;
    for (var i = 0; i < items.length; i++) {
      var tags = items[i].querySelectorAll(":scope > a:first-child .md-tag");
      for (var j = 0; j < tags.length; j++) {
        if (words(tags[j].textContent) === query) {
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

  window.addEventListener("hashchange", emphasize);
  onEveryPage(emphasize);
  onEveryPage(watchSearch);
})();
