// briefgen: emphasize every part of the cited passage a link points at.
(function () {
  function emphasize() {
    var marks = document.querySelectorAll("mark.bg-quote");
    var id = decodeURIComponent(window.location.hash.slice(1));
    for (var i = 0; i < marks.length; i++) {
      var quotes = (marks[i].getAttribute("data-quotes") || "").split(" ");
      marks[i].classList.toggle("bg-quote--target", id !== "" && quotes.indexOf(id) >= 0);
    }
  }
  window.addEventListener("hashchange", emphasize);
  if (typeof document$ !== "undefined") {
    document$.subscribe(emphasize);
  } else {
    document.addEventListener("DOMContentLoaded", emphasize);
  }
})();
