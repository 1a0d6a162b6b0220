/* Keyboard use of the incidents desk (progressive enhancement: every action is also a plain link or button).
   j / k move through the rows of a list, Enter opens the selected row, "/" focuses the search field,
   and any element with data-key="x" is activated by pressing x; data-focus-key="x" focuses a field. */
(function () {
  "use strict";
  var selected = -1;

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr[data-row]")); }

  function select(index) {
    var all = rows();
    if (!all.length) { return; }
    index = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (row) { row.classList.remove("selected"); });
    var row = all[index];
    row.classList.add("selected");
    var link = row.querySelector("a[data-open]") || row.querySelector("a");
    if (link) { link.focus(); }
    selected = index;
  }

  function typing(target) {
    var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
    return tag === "input" || tag === "textarea" || tag === "select" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    var key = event.key;
    if (key === "j" || key === "k") {
      select(selected + (key === "j" ? 1 : -1));
      event.preventDefault();
      return;
    }
    if (key === "Enter" && selected >= 0) {
      var link = rows()[selected].querySelector("a[data-open]");
      if (link) { link.click(); event.preventDefault(); }
      return;
    }
    var focusTarget = document.querySelector('[data-focus-key="' + CSS.escape(key) + '"]');
    if (focusTarget) { focusTarget.focus(); event.preventDefault(); return; }
    var target = document.querySelector('[data-key="' + CSS.escape(key) + '"]');
    if (target) { target.click(); event.preventDefault(); }
  });
}());
