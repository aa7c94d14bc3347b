/* Spatial navigation: the arrows move the focus to the nearest focusable element in that direction
   within the active layer (the screen, or an alert over it). Each focusable element gets a stable
   data-nav name when its screen is drawn, so focus can come back to it. */
var TV = window.TV || {};
window.TV = TV;
TV.nav = (function () {
  var current = null;

  function layer() {
    var over = document.getElementById("takeover");
    return over && !over.hidden ? over : document.getElementById("app");
  }

  function focusables(root) {
    var all = (root || layer()).querySelectorAll(".focusable");
    var out = [];
    for (var i = 0; i < all.length; i++) if (all[i].offsetParent !== null || all[i] === current) out.push(all[i]);
    return out;
  }

  function name(root, prefix) {
    var all = root.querySelectorAll(".focusable");
    for (var i = 0; i < all.length; i++) {
      if (!all[i].getAttribute("data-nav")) all[i].setAttribute("data-nav", prefix + ":" + i);
      all[i].setAttribute("tabindex", "-1");
    }
  }

  function focus(el) {
    if (current && current !== el) current.classList.remove("focused");
    current = el;
    if (!el) return;
    el.classList.add("focused");
    try { el.focus({ preventScroll: true }); } catch (e) { el.focus(); }
    if (el.scrollIntoView) el.scrollIntoView({ block: "nearest" });
  }

  function centre(r) {
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }

  // The candidate ahead in the direction, nearest along it, with sideways distance counting double.
  function move(direction) {
    var list = focusables();
    if (!current || list.indexOf(current) < 0) {
      focus(list[0] || null);
      return !!list[0];
    }
    var from = current.getBoundingClientRect(), c = centre(from), best = null, bestScore = Infinity;
    for (var i = 0; i < list.length; i++) {
      var el = list[i];
      if (el === current) continue;
      var r = el.getBoundingClientRect(), p = centre(r), along, side;
      if (direction === "up") { along = from.top - r.bottom; side = Math.abs(p.x - c.x); if (p.y >= c.y) continue; }
      else if (direction === "down") { along = r.top - from.bottom; side = Math.abs(p.x - c.x); if (p.y <= c.y) continue; }
      else if (direction === "left") { along = from.left - r.right; side = Math.abs(p.y - c.y); if (p.x >= c.x) continue; }
      else { along = r.left - from.right; side = Math.abs(p.y - c.y); if (p.x <= c.x) continue; }
      var score = Math.max(along, 0) + 2 * side;
      if (score < bestScore) { bestScore = score; best = el; }
    }
    if (best) focus(best);
    return !!best;
  }

  return {
    focusables: focusables,
    name: name,
    focus: focus,
    move: move,
    current: function () { return current; },
    layer: layer,
    byName: function (navName) {
      var list = focusables();
      for (var i = 0; i < list.length; i++) if (list[i].getAttribute("data-nav") === navName) return list[i];
      return null;
    }
  };
})();
