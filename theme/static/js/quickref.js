// Quick reference: filter as you type, ?q= in the address, ticks kept in
// localStorage. Without this file the page shows every item, which is the
// whole point of rendering them all in the HTML.
//
// Speed at 10,000 items: each row's folded text is computed once; a keystroke
// only touches rows whose visibility changes, and highlights the first rows
// at once and the rest in small chunks afterwards.
(function () {
  "use strict";

  var root = document.querySelector(".quickref");
  if (!root) return;
  var form = root.querySelector(".quickref-filter");
  var input = root.querySelector("#quickref-q");
  var essaySelect = root.querySelector("#quickref-essay");
  var tagSelect = root.querySelector("#quickref-tag");
  var resetButton = root.querySelector(".quickref-reset");
  var count = root.querySelector(".quickref-count");
  var none = root.querySelector(".quickref-none");
  var STORAGE_KEY = "quickref-ticks";
  var HIGHLIGHT_NOW = 30; // about a screenful of rows
  var HIGHLIGHT_CHUNK = 150;

  // Case and diacritics do not matter ("zoe" finds "Zoë"). Folding keeps the
  // length of every character, so match offsets are offsets in the page text.
  var foldCache = Object.create(null);
  function foldChar(c) {
    var hit = foldCache[c];
    if (hit !== undefined) return hit;
    var folded = c.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    if (folded.length !== c.length) {
      folded = c.toLowerCase();
      if (folded.length !== c.length) folded = c;
    }
    foldCache[c] = folded;
    return folded;
  }
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) out += foldChar(text[i]);
    return out;
  }

  // Build the index once.
  var rows = [];
  var groups = [];
  var total = 0;
  var sections = root.querySelectorAll(".quickref-essay");
  for (var s = 0; s < sections.length; s++) {
    var essaySection = sections[s];
    var essay = {
      el: essaySection,
      slug: essaySection.getAttribute("data-essay"),
      tags: (essaySection.getAttribute("data-tags") || "").split("|"),
      visible: 1,
      shown: true,
      lists: [],
    };
    groups.push(essay);
    var lists = essaySection.querySelectorAll(".quickref-checklist");
    for (var l = 0; l < lists.length; l++) {
      var list = { el: lists[l], visible: 0, shown: true, essay: essay, rows: [] };
      essay.lists.push(list);
      var items = lists[l].querySelectorAll(".quickref-item");
      for (var i = 0; i < items.length; i++) {
        var textEl = items[i].querySelector(".quickref-text");
        // The id the page leaves out (see quick_reference.html): the tick's
        // key and the box's label. "t-<essay slug>-<item id>", stable across
        // builds because both parts are, as ticks saved before expect.
        var href = items[i].querySelector(".quickref-goto").getAttribute("href");
        textEl.id = "t-" + essay.slug + "-" + href.slice(href.lastIndexOf("#") + 1);
        items[i].querySelector(".quickref-tick").setAttribute("aria-labelledby", textEl.id);
        var row = {
          li: items[i],
          textEl: textEl,
          text: fold(textEl.textContent),
          list: list,
          visible: true,
          shown: true,
          original: null,
          marked: "",
        };
        rows.push(row);
        list.rows.push(row);
        list.visible++;
        total++;
      }
    }
  }

  var generation = 0;

  function currentTerms() {
    var seen = Object.create(null);
    return fold(input.value)
      .split(/\s+/)
      .filter(function (term) {
        if (!term || seen[term]) return false;
        seen[term] = true;
        return true;
      });
  }

  function filter() {
    var terms = currentTerms();
    var essayWanted = essaySelect.value;
    var tagWanted = tagSelect.value;
    var matches = 0;
    for (var g = 0; g < groups.length; g++) {
      var group = groups[g];
      group.ok =
        (!essayWanted || group.slug === essayWanted) &&
        (!tagWanted || group.tags.indexOf(tagWanted) !== -1);
    }
    for (var r = 0; r < rows.length; r++) {
      var row = rows[r];
      var match = row.list.essay.ok;
      for (var t = 0; match && t < terms.length; t++) {
        if (row.text.indexOf(terms[t]) === -1) match = false;
      }
      if (match) matches++;
      if (match !== row.visible) {
        row.visible = match;
        row.list.visible += match ? 1 : -1;
      }
    }
    // DOM writes, all after the reads, and only where they show: a hidden
    // essay's lists and a hidden list's rows are left as they are until
    // they show again. Hiding most of 10,000 rows then writes to a few
    // hundred sections, not to thousands of rows.
    for (g = 0; g < groups.length; g++) {
      var essay = groups[g];
      var visibleLists = 0;
      for (var k = 0; k < essay.lists.length; k++) {
        if (essay.lists[k].visible > 0) visibleLists++;
      }
      var showEssay = visibleLists > 0;
      if (showEssay !== essay.shown) {
        essay.shown = showEssay;
        essay.el.hidden = !showEssay;
      }
      if (!showEssay) continue;
      for (k = 0; k < essay.lists.length; k++) {
        var list = essay.lists[k];
        var show = list.visible > 0;
        if (show !== list.shown) {
          list.shown = show;
          list.el.hidden = !show;
        }
        if (!show) continue;
        for (var i = 0; i < list.rows.length; i++) {
          var item = list.rows[i];
          if (item.shown !== item.visible) {
            item.shown = item.visible;
            item.li.hidden = !item.visible;
          }
        }
      }
    }
    var filtered = terms.length || essayWanted || tagWanted;
    count.textContent = filtered
      ? matches + " of " + total + (total === 1 ? " item" : " items")
      : total + (total === 1 ? " item" : " items");
    none.hidden = matches > 0;
    highlight(terms);
    scheduleAddressUpdate();
  }

  // Highlighting: visible rows whose marks are not for this query get
  // redone, the first ones at once and the rest a chunk at a time. Hidden
  // rows keep stale marks until they show again: nobody sees them.
  function highlight(terms) {
    generation++;
    var key = terms.join(" ");
    var pending = [];
    for (var r = 0; r < rows.length; r++) {
      if (rows[r].visible && rows[r].marked !== key) pending.push(rows[r]);
    }
    var done = refreshMarks(pending, 0, HIGHLIGHT_NOW, terms, key);
    var mine = generation;
    function more() {
      if (mine !== generation || done >= pending.length) return;
      done = refreshMarks(pending, done, HIGHLIGHT_CHUNK, terms, key);
      setTimeout(more, 0);
    }
    if (done < pending.length) setTimeout(more, 0);
  }

  function refreshMarks(pending, from, howMany, terms, key) {
    var end = Math.min(pending.length, from + howMany);
    for (var p = from; p < end; p++) {
      var row = pending[p];
      if (!row.visible || row.marked === key) continue;
      unmark(row);
      if (key) mark(row, terms);
      row.marked = key;
    }
    return end;
  }

  function unmark(row) {
    if (row.original !== null && row.marked) row.textEl.innerHTML = row.original;
    row.marked = "";
  }

  function mark(row, terms) {
    if (row.original === null) row.original = row.textEl.innerHTML;
    var walker = document.createTreeWalker(row.textEl, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (var n = 0; n < nodes.length; n++) {
      var node = nodes[n];
      var folded = fold(node.data);
      var spans = [];
      for (var t = 0; t < terms.length; t++) {
        var at = folded.indexOf(terms[t]);
        while (at !== -1) {
          spans.push([at, at + terms[t].length]);
          at = folded.indexOf(terms[t], at + terms[t].length);
        }
      }
      if (!spans.length) continue;
      spans.sort(function (a, b) {
        return a[0] - b[0];
      });
      var merged = [spans[0]];
      for (var m = 1; m < spans.length; m++) {
        var last = merged[merged.length - 1];
        if (spans[m][0] <= last[1]) last[1] = Math.max(last[1], spans[m][1]);
        else merged.push(spans[m]);
      }
      var fragment = document.createDocumentFragment();
      var position = 0;
      for (var x = 0; x < merged.length; x++) {
        fragment.appendChild(document.createTextNode(node.data.slice(position, merged[x][0])));
        var markEl = document.createElement("mark");
        markEl.textContent = node.data.slice(merged[x][0], merged[x][1]);
        fragment.appendChild(markEl);
        position = merged[x][1];
      }
      fragment.appendChild(document.createTextNode(node.data.slice(position)));
      node.parentNode.replaceChild(fragment, node);
    }
  }

  // The query lives in the address, so a filtered view can be shared.
  var addressTimer = 0;
  function scheduleAddressUpdate() {
    clearTimeout(addressTimer);
    addressTimer = setTimeout(updateAddress, 150);
  }
  function updateAddress() {
    var params = new URLSearchParams(location.search);
    setParam(params, "q", input.value.trim());
    setParam(params, "essay", essaySelect.value);
    setParam(params, "tag", tagSelect.value);
    var search = params.toString();
    var url = location.pathname + (search ? "?" + search : "") + location.hash;
    if (url !== location.pathname + location.search + location.hash) {
      history.replaceState(history.state, "", url);
    }
  }
  function setParam(params, name, value) {
    if (value) params.set(name, value);
    else params.delete(name);
  }
  function selectValue(select, value) {
    for (var o = 0; o < select.options.length; o++) {
      if (select.options[o].value === value) {
        select.value = value;
        return;
      }
    }
  }

  // Ticks, remembered in this browser.
  function loadTicks() {
    try {
      var stored = JSON.parse(localStorage.getItem(STORAGE_KEY) || "[]");
      return Array.isArray(stored) ? stored : [];
    } catch (error) {
      return [];
    }
  }
  function saveTicks(keys) {
    try {
      if (keys.length) localStorage.setItem(STORAGE_KEY, JSON.stringify(keys));
      else localStorage.removeItem(STORAGE_KEY);
    } catch (error) {
      // Private browsing or storage full: ticks last until the page closes.
    }
  }
  // An item's key: its text's id, set with the rows above.
  function tickKey(itemEl) {
    return itemEl.querySelector(".quickref-text").id;
  }
  var ticked = Object.create(null);
  loadTicks().forEach(function (key) {
    ticked[key] = true;
  });
  var boxes = root.querySelectorAll(".quickref-tick");
  for (var b = 0; b < boxes.length; b++) {
    var item = boxes[b].closest(".quickref-item");
    boxes[b].hidden = false;
    if (ticked[tickKey(item)]) {
      boxes[b].checked = true;
      item.classList.add("is-ticked");
    }
  }
  function updateResetButton() {
    resetButton.disabled = Object.keys(ticked).length === 0;
  }
  root.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("quickref-tick")) return;
    var itemEl = box.closest(".quickref-item");
    var key = tickKey(itemEl);
    if (box.checked) ticked[key] = true;
    else delete ticked[key];
    itemEl.classList.toggle("is-ticked", box.checked);
    saveTicks(Object.keys(ticked));
    updateResetButton();
  });
  resetButton.addEventListener("click", function () {
    ticked = Object.create(null);
    saveTicks([]);
    var checked = root.querySelectorAll(".quickref-tick:checked");
    for (var c = 0; c < checked.length; c++) {
      checked[c].checked = false;
      checked[c].closest(".quickref-item").classList.remove("is-ticked");
    }
    updateResetButton();
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  input.addEventListener("input", filter);
  essaySelect.addEventListener("change", filter);
  tagSelect.addEventListener("change", filter);

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  selectValue(essaySelect, params.get("essay") || "");
  selectValue(tagSelect, params.get("tag") || "");
  form.hidden = false;
  root.classList.add("has-js");
  updateResetButton();
  filter();

  // For bench/quickref_filter.py: the filter step alone, measurable in-page.
  window.quickrefFilter = filter;
})();
