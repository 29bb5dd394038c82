// Quick reference: filter as you type, ?q= in the address, ticks kept in
// localStorage, groups folded and unfolded, a checklist copied as Markdown or
// printed alone. Without this file the page shows every item, which is the
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
  var undoButton = root.querySelector(".quickref-undo");
  var undoText = root.querySelector(".quickref-undo-text");
  var count = root.querySelector(".quickref-count");
  var none = root.querySelector(".quickref-none");
  // Version 1 kept an array of keys; version 2 a record per key (below).
  var LEGACY_STORAGE_KEY = "quickref-ticks";
  var STORAGE_KEY = "quickref-ticks-v2";
  var HIGHLIGHT_NOW = 30; // about a screenful of rows
  var HIGHLIGHT_CHUNK = 150;
  var UNFOLD_AT_MOST = 30;
  // Essays written at once after a keystroke: a screenful of shown ones
  // and every hidden one above them; the rest WRITE_CHUNK at a time.
  var SHOW_NOW = 40;
  var WRITE_CHUNK = 100;

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

  // A short fingerprint of an item's words (FNV-1a), kept with its tick so
  // that an edit to the item itself shows, and a tick can find its item
  // again when the item's id changed but its words did not.
  function fingerprint(text) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    return (hash >>> 0).toString(36);
  }
  function plainText(el) {
    return el.textContent.replace(/\s+/g, " ").trim();
  }

  // Build the index once.
  var rows = [];
  var rowsByKey = Object.create(null);
  var groups = [];
  var total = 0;
  var sections = root.querySelectorAll(".quickref-essay");
  for (var s = 0; s < sections.length; s++) {
    var essaySection = sections[s];
    var essay = {
      el: essaySection,
      details: essaySection.querySelector(".quickref-group"),
      slug: essaySection.getAttribute("data-essay"),
      tags: (essaySection.getAttribute("data-tags") || "").split("|"),
      shown: true,
      unfolded: false,
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
        var box = items[i].querySelector(".quickref-tick");
        // The id the page leaves out (see quick_reference.html): the tick's
        // key and the box's label. "t-<essay slug>-<item id>", stable across
        // builds because both parts are, as ticks saved before expect.
        var href = items[i].querySelector(".quickref-goto").getAttribute("href");
        textEl.id = "t-" + essay.slug + "-" + href.slice(href.lastIndexOf("#") + 1);
        box.setAttribute("aria-labelledby", textEl.id);
        var words = plainText(textEl);
        var row = {
          li: items[i],
          box: box,
          key: textEl.id,
          textEl: textEl,
          words: words,
          hash: fingerprint(words),
          byDefault: box.defaultChecked, // "- [x]" in the essay
          text: fold(words),
          list: list,
          visible: true,
          shown: true,
          original: null,
          marked: "",
          note: null,
        };
        rows.push(row);
        rowsByKey[row.key] = row;
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
    var filtered = terms.length > 0 || !!essayWanted || !!tagWanted;
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
    var shownGroups = 0;
    for (g = 0; g < groups.length; g++) {
      var essay = groups[g];
      essay.visibleLists = 0;
      for (var k = 0; k < essay.lists.length; k++) {
        if (essay.lists[k].visible > 0) essay.visibleLists++;
      }
      if (essay.visibleLists > 0) shownGroups++;
    }
    // While a filter leaves a few essays, they show unfolded (a class on
    // each of them, quickref.css: one on the page restyled all 1,000 essays,
    // 4,000 elements, when it came or went); the folds stay the reader's for
    // when it is cleared. A filter that leaves many (a first letter) unfolds
    // nothing: showing a thousand folded essays at once cost 100-300 ms a
    // keystroke at 10,000 items, to show what the reader is about to narrow.
    var unfold = filtered && shownGroups <= UNFOLD_AT_MOST;
    count.textContent = filtered
      ? matches + " of " + total + (total === 1 ? " item" : " items")
      : total + (total === 1 ? " item" : " items");
    none.hidden = matches > 0;
    // DOM writes, all after the reads, and only where they show: a hidden
    // essay's lists and rows, and a folded essay's, are left as they are
    // until it shows or opens (syncGroup). The essays down to a screenful
    // of shown ones are written now; the rest, off screen, a chunk at a
    // time after this frame, unless the next keystroke comes first (it
    // starts again from the top, writing only what differs from the page).
    // A keystroke over 1,000 folded essays then restyles a screenful of
    // sections, not hundreds (about 6 elements each to restyle on show).
    for (g = 0; g < groups.length; g++) groups[g].stale = true;
    writes++;
    var mine = writes;
    var next = writeGroups(0, unfold ? Infinity : SHOW_NOW, Infinity, unfold);
    highlight(terms);
    function more() {
      if (mine !== writes) return;
      next = writeGroups(next, Infinity, WRITE_CHUNK, unfold);
      if (next < groups.length) setTimeout(more, 0);
      else highlight(terms); // the rows just shown, too
    }
    if (next < groups.length) setTimeout(more, 0);
    scheduleAddressUpdate();
  }
  var writes = 0;

  // Shows or hides the essays from index `from` on, until `shownBudget`
  // shown essays or `budget` essays have been written; the next index.
  function writeGroups(from, shownBudget, budget, unfold) {
    var shown = 0;
    var g = from;
    for (; g < groups.length && shown < shownBudget && g - from < budget; g++) {
      var essay = groups[g];
      var showEssay = essay.visibleLists > 0;
      if (showEssay !== essay.shown) {
        essay.shown = showEssay;
        essay.el.hidden = !showEssay;
      }
      if (!showEssay) continue;
      shown++;
      if (unfold !== essay.unfolded) {
        essay.unfolded = unfold;
        essay.details.classList.toggle("is-unfolded", unfold);
      }
      if (unfold || essay.details.open) syncGroup(essay, false);
    }
    return g;
  }

  // An essay's lists and rows shown as the filter left them, once it shows
  // open; with `markNow`, their highlights too (one essay opened), else the
  // next highlight() pass does them a chunk at a time.
  function syncGroup(essay, markNow) {
    if (!essay.stale) return;
    essay.stale = false;
    for (var k = 0; k < essay.lists.length; k++) {
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
        if (markNow && item.visible && item.marked !== currentKey) {
          refreshMarks([item], 0, 1, currentTermList, currentKey);
        }
      }
    }
  }
  function isOnShow(row) {
    var essay = row.list.essay;
    return row.visible && !essay.stale;
  }

  // Highlighting: visible rows whose marks are not for this query get
  // redone, the first ones at once and the rest a chunk at a time. Hidden
  // rows keep stale marks until they show again: nobody sees them.
  var currentTermList = [];
  var currentKey = "";
  function highlight(terms) {
    generation++;
    var key = terms.join(" ");
    currentTermList = terms;
    currentKey = key;
    var pending = [];
    for (var g = 0; g < groups.length; g++) {
      var essay = groups[g];
      if (!essay.shown || essay.stale) continue; // hidden, folded or not yet written
      for (var k = 0; k < essay.lists.length; k++) {
        var listRows = essay.lists[k].rows;
        for (var r = 0; r < listRows.length; r++) {
          if (listRows[r].visible && listRows[r].marked !== key) pending.push(listRows[r]);
        }
      }
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
      if (!isOnShow(row) || row.marked === key) continue;
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

  // The placeholder is an example taken from the page itself, so it always
  // finds something: two words of one item.
  function examplePlaceholder() {
    for (var r = 0; r < rows.length; r++) {
      var words = rows[r].words.toLowerCase().match(/[\p{L}]{5,}/gu);
      if (words && words.length >= 2) return "e.g. " + words[0] + " " + words[1];
    }
    return rows.length ? "e.g. " + rows[0].words.split(" ")[0].toLowerCase() : "";
  }

  // Ticks, remembered in this browser: key -> {c: 1 ticked | 0 unticked,
  // h: the item's fingerprint when the reader chose, e: its essay's slug}.
  // An unticked record is kept only for an item the essay ticks ("- [x]"):
  // the reader's choice wins over the author's default.
  function readStorage(name) {
    try {
      return JSON.parse(localStorage.getItem(name) || "null");
    } catch (error) {
      return null;
    }
  }
  function loadTicks() {
    var stored = readStorage(STORAGE_KEY);
    var records = stored && typeof stored === "object" && !Array.isArray(stored) ? stored : {};
    // Ticks saved before version 2: a list of keys, taken over once.
    var legacy = readStorage(LEGACY_STORAGE_KEY);
    if (Array.isArray(legacy)) {
      legacy.forEach(function (key) {
        if (typeof key === "string" && !records[key]) records[key] = { c: 1 };
      });
    }
    return records;
  }
  function saveTicks() {
    try {
      if (Object.keys(ticks).length) localStorage.setItem(STORAGE_KEY, JSON.stringify(ticks));
      else localStorage.removeItem(STORAGE_KEY);
      localStorage.removeItem(LEGACY_STORAGE_KEY);
    } catch (error) {
      // Private browsing or storage full: ticks last until the page closes.
    }
  }
  var ticks = loadTicks();

  // A tick whose key no item has any more finds its item again. Its
  // checklist's id changed (an automatic list is named after its first
  // words, so an edit of its first item renames every item): first the item
  // of the same essay with the same words, if exactly one has no tick; then,
  // where other ticks of that checklist moved so, the item at the same place
  // in the checklist they moved to, which shows as changed.
  function relocateTicks() {
    var moved = false;
    var free = Object.create(null);
    for (var r = 0; r < rows.length; r++) {
      var row = rows[r];
      if (ticks[row.key]) continue;
      var slot = row.list.essay.slug + " " + row.hash;
      free[slot] = free[slot] === undefined ? row : null;
    }
    var renamed = Object.create(null); // old checklist key -> new
    var orphans = Object.keys(ticks).filter(function (key) {
      return !rowsByKey[key] && ticks[key] && ticks[key].h && ticks[key].e;
    });
    orphans = orphans.filter(function (key) {
      var record = ticks[key];
      var row = free[record.e + " " + record.h];
      if (!row) return true;
      move(key, row.key);
      free[record.e + " " + record.h] = null;
      renamed[listKey(key)] = listKey(row.key);
      return false;
    });
    orphans.forEach(function (key) {
      var list = renamed[listKey(key)];
      var row = list && rowsByKey[list + key.slice(listKey(key).length)];
      if (row && !ticks[row.key]) move(key, row.key);
    });
    function move(from, to) {
      ticks[to] = ticks[from];
      delete ticks[from];
      moved = true;
    }
    return moved;
  }
  // "t-essay-checklist-make-it-happen-3" -> "t-essay-checklist-make-it-happen"
  function listKey(key) {
    return key.replace(/-\d+$/, "");
  }

  function isTicked(row) {
    var record = ticks[row.key];
    return record ? record.c === 1 : row.byDefault;
  }
  function showTick(row) {
    var record = ticks[row.key];
    var ticked = isTicked(row);
    row.box.checked = ticked;
    row.li.classList.toggle("is-ticked", ticked);
    var changed = ticked && !!record && !!record.h && record.h !== row.hash;
    row.li.classList.toggle("is-changed", changed);
    if (changed && !row.note) {
      row.note = document.createElement("span");
      row.note.className = "quickref-changed";
      row.note.textContent = "changed since you ticked it";
      row.note.id = row.key + "-changed";
      row.li.appendChild(row.note);
      row.box.setAttribute("aria-describedby", row.note.id);
    } else if (!changed && row.note) {
      row.li.removeChild(row.note);
      row.note = null;
      row.box.removeAttribute("aria-describedby");
    }
  }
  function remember(row, ticked) {
    if (ticked) ticks[row.key] = { c: 1, h: row.hash, e: row.list.essay.slug };
    else if (row.byDefault) ticks[row.key] = { c: 0, h: row.hash, e: row.list.essay.slug };
    else delete ticks[row.key];
  }

  function showAllTicks() {
    for (var r = 0; r < rows.length; r++) showTick(rows[r]);
    updateResetButton();
  }
  function tickedCount() {
    var n = 0;
    for (var r = 0; r < rows.length; r++) if (rows[r].box.checked) n++;
    return n;
  }
  function updateResetButton() {
    resetButton.disabled = tickedCount() === 0;
  }

  var dirty = relocateTicks();
  // Ticks from version 1 carry no fingerprint: they take the item's words
  // as they are now, so later edits show.
  for (var r0 = 0; r0 < rows.length; r0++) {
    var record0 = ticks[rows[r0].key];
    if (record0 && !record0.h) {
      record0.h = rows[r0].hash;
      record0.e = rows[r0].list.essay.slug;
      dirty = true;
    }
  }
  if (dirty) saveTicks();
  showAllTicks();

  root.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("quickref-tick")) return;
    var row = rowsByKey[box.getAttribute("aria-labelledby")];
    if (!row) return;
    remember(row, box.checked);
    saveTicks();
    showTick(row);
    forgetUndo();
    updateResetButton();
  });

  // The whole item is the tap target, not only its box: a tap on its text
  // ticks it (the text stays outside a <label> so that Pagefind indexes it).
  // Links keep their own job, and selecting text ticks nothing.
  root.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest || target.closest("a, button, input, select, summary")) return;
    var li = target.closest(".quickref-item");
    if (!li) return;
    var selection = window.getSelection && window.getSelection();
    if (selection && !selection.isCollapsed && li.contains(selection.anchorNode)) return;
    li.querySelector(".quickref-tick").click();
  });

  // "Clear ticks", and its undo: the records as they were, until the next
  // tick or clear.
  var beforeClear = null;
  function forgetUndo() {
    if (!beforeClear) return;
    beforeClear = null;
    undoButton.hidden = true;
    undoText.textContent = "";
  }
  resetButton.addEventListener("click", function () {
    var cleared = tickedCount();
    beforeClear = JSON.parse(JSON.stringify(ticks));
    ticks = {};
    for (var r = 0; r < rows.length; r++) remember(rows[r], false);
    saveTicks();
    showAllTicks();
    undoText.textContent = cleared === 1 ? "1 tick cleared." : cleared + " ticks cleared.";
    undoButton.hidden = false;
    undoButton.focus(); // the clear button is now disabled
  });
  undoButton.addEventListener("click", function () {
    if (!beforeClear) return;
    ticks = beforeClear;
    beforeClear = null;
    saveTicks();
    showAllTicks();
    undoButton.hidden = true;
    undoText.textContent = "Ticks restored.";
    if (!resetButton.disabled) resetButton.focus();
  });

  // Folding: the reader's, kept while a filter shows every match anyway.
  function setAllOpen(open) {
    for (var g = 0; g < groups.length; g++) {
      if (open) syncGroup(groups[g], false);
      groups[g].details.open = open;
    }
    if (open) highlight(currentTermList);
  }
  function openGroup(group) {
    syncGroup(group, true);
    group.details.open = true;
  }
  // An essay opened by the reader (its summary, before the browser opens
  // it, so that no frame shows it stale) or by the browser (find in page).
  root.addEventListener("click", function (event) {
    var summary = event.target.closest && event.target.closest(".quickref-group > summary");
    if (summary) syncGroup(groupOf(summary), true);
  });
  root.addEventListener(
    "toggle",
    function (event) {
      if (event.target.classList.contains("quickref-group") && event.target.open) {
        syncGroup(groupOf(event.target), true);
      }
    },
    true,
  );
  root.querySelector(".quickref-expand").addEventListener("click", function () {
    setAllOpen(true);
  });
  root.querySelector(".quickref-collapse").addEventListener("click", function () {
    setAllOpen(false);
  });
  function groupOf(el) {
    var section = el.closest(".quickref-essay");
    for (var g = 0; g < groups.length; g++) if (groups[g].el === section) return groups[g];
    return null;
  }

  // A link to an essay or a checklist on this page (the contents, a
  // permalink, a search result, "On the quick reference" in an essay)
  // unfolds its group and lands on it.
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target || !root.contains(target)) return;
    var group = groupOf(target);
    if (group) openGroup(group);
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);

  // A checklist as Markdown: a task list with the reader's ticks, its title
  // and where it comes from, links made absolute.
  function markdownOf(el) {
    var out = "";
    for (var node = el.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 3) {
        out += node.data.replace(/\s+/g, " ").replace(/([\\`*_[\]<>])/g, "\\$1");
        continue;
      }
      if (node.nodeType !== 1) continue;
      var tag = node.tagName.toLowerCase();
      var inner = markdownOf(node);
      if (tag === "em" || tag === "i" || tag === "cite" || tag === "dfn") out += "*" + inner + "*";
      else if (tag === "strong" || tag === "b") out += "**" + inner + "**";
      else if (tag === "del" || tag === "s") out += "~~" + inner + "~~";
      else if (tag === "code" || tag === "kbd" || tag === "samp") out += "`" + node.textContent + "`";
      else if (tag === "a" && node.getAttribute("href")) out += "[" + inner + "](" + node.href + ")";
      else if (tag === "br") out += " ";
      else out += inner;
    }
    return out;
  }
  function checklistMarkdown(section) {
    var title = section.querySelector("h3").textContent.trim();
    var essayTitle = section.closest(".quickref-essay").querySelector("h2").textContent.trim();
    var source = section.querySelector(".quickref-source").href;
    var ordered = section.querySelector(".quickref-items").tagName === "OL";
    var lines = ["## " + title, "", "From “" + essayTitle + "”: " + source, ""];
    var number = 0;
    var items = section.querySelectorAll(".quickref-item");
    for (var i = 0; i < items.length; i++) {
      var row = rowsByKey[items[i].querySelector(".quickref-text").id];
      var depth = (items[i].className.match(/\bdepth-(\d+)/) || [0, 0])[1] * 1;
      var bullet = "-";
      if (ordered && depth === 0) bullet = ++number + ".";
      var box = row.box.checked ? "[x] " : "[ ] ";
      var text = markdownOf(row.textEl); // a <mark> counts as plain text
      lines.push("    ".repeat(depth) + bullet + " " + box + text.trim());
    }
    return lines.join("\n") + "\n";
  }

  // One announcer for the tools, whose buttons are far from the counter.
  var announcer = document.createElement("p");
  announcer.className = "quickref-announcer";
  announcer.setAttribute("role", "status");
  root.appendChild(announcer);
  function announce(message) {
    announcer.textContent = "";
    setTimeout(function () {
      announcer.textContent = message;
    }, 50);
  }

  function copyChecklist(section, button) {
    var text = checklistMarkdown(section);
    var done = function () {
      button.textContent = "Copied";
      announce("Copied as Markdown.");
      setTimeout(function () {
        button.textContent = "Copy as Markdown";
      }, 2000);
    };
    var fallback = function () {
      // No clipboard here (an insecure origin, a refused permission): the
      // text, selected, for the reader to copy.
      var area = section.querySelector(".quickref-markdown");
      if (!area) {
        area = document.createElement("textarea");
        area.className = "quickref-markdown";
        area.readOnly = true;
        area.setAttribute("aria-label", "The checklist as Markdown");
        section.appendChild(area);
      }
      area.value = text;
      area.rows = Math.min(12, text.split("\n").length);
      area.focus();
      area.select();
      announce("Select all and copy the Markdown below.");
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else fallback();
  }

  // Printing one checklist: the page is printed with every other part left
  // out by quickref.css, until the print dialog closes.
  function printChecklist(section) {
    var group = groupOf(section);
    if (group && !group.details.open) openGroup(group);
    root.classList.add("is-printing-one");
    section.classList.add("is-print-target");
    section.setAttribute("data-source", section.querySelector(".quickref-source").href);
    window.print();
  }
  var foldedForPrint = [];
  window.addEventListener("beforeprint", function () {
    // Printed, every group is unfolded (what the filter shows, in full).
    foldedForPrint = [];
    for (var g = 0; g < groups.length; g++) {
      if (!groups[g].details.open) {
        foldedForPrint.push(groups[g]);
        openGroup(groups[g]);
      }
    }
  });
  window.addEventListener("afterprint", function () {
    foldedForPrint.forEach(function (group) {
      group.details.open = false;
    });
    foldedForPrint = [];
    root.classList.remove("is-printing-one");
    var targets = root.querySelectorAll(".is-print-target");
    for (var t = 0; t < targets.length; t++) targets[t].classList.remove("is-print-target");
  });

  root.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".quickref-copy, .quickref-print");
    if (!button) return;
    var section = button.closest(".quickref-checklist");
    if (button.classList.contains("quickref-copy")) copyChecklist(section, button);
    else printChecklist(section);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  input.addEventListener("input", filter);
  essaySelect.addEventListener("change", filter);
  tagSelect.addEventListener("change", filter);

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  input.placeholder = examplePlaceholder();
  selectValue(essaySelect, params.get("essay") || "");
  selectValue(tagSelect, params.get("tag") || "");
  // A long reference starts folded (quick_reference.html decides).
  if (root.classList.contains("starts-folded")) setAllOpen(false);
  root.classList.add("has-js");
  filter();
  if (location.hash) reveal();

  // For bench/quickref_filter.py: the filter step alone, measurable in-page.
  window.quickrefFilter = filter;
})();
