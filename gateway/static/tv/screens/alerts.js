/* Emergency alerts on the TV: an alert in force takes over the screen (coloured by its level, with a
   sound, drills marked as drills) until the viewer acknowledges it or it expires; the receipts go
   back to the alerts service. And the screen listing the alerts in force in the household's area. */
(function () {
  var TV = window.TV;
  var COLOURS = { Extreme: "red", Severe: "orange", Moderate: "yellow", Minor: "blue" };
  var showing = []; // alerts in force on this TV, newest last
  var acknowledged = {};
  var displayed = {};
  var returnTo = null;
  var expiry = null;

  function receipt(alert, kind) {
    TV.api("POST", "/v1/alerts/" + encodeURIComponent(alert.alert_id) + "/receipts", { kind: kind });
  }

  function text(alert) {
    var texts = alert.texts || [];
    for (var i = 0; i < texts.length; i++) if ((texts[i].language || "").indexOf("zh") === 0) return texts[i];
    return texts[0] || { headline: alert.event_type || "" };
  }

  function beep() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      var ctx = new Ctx(), osc = ctx.createOscillator();
      osc.frequency.value = 880;
      osc.connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.6);
    } catch (e) { /* no sound on this box */ }
  }

  function remove(ids) {
    showing = showing.filter(function (a) { return ids.indexOf(a.alert_id) < 0; });
  }

  function draw() {
    var over = document.getElementById("takeover");
    var now = Date.now();
    showing = showing.filter(function (a) { return !a.expires || Date.parse(a.expires) > now; });
    var alert = showing[showing.length - 1];
    if (expiry) { clearTimeout(expiry); expiry = null; }
    if (!alert) {
      if (!over.hidden) {
        over.hidden = true;
        over.innerHTML = "";
        TV.nav.focus(returnTo && document.body.contains(returnTo) ? returnTo : TV.nav.focusables()[0] || null);
      }
      return;
    }
    if (over.hidden) returnTo = TV.nav.current();
    var t = text(alert);
    over.className = alert.colour || COLOURS[alert.severity] || "red";
    over.innerHTML = "";
    over.setAttribute("data-alert", alert.alert_id);
    if (alert.drill) over.appendChild(TV.el("div", { cls: "drill", text: TV.t("alert.drill") }));
    over.appendChild(TV.el("h1", { text: t.headline }));
    if (t.description) over.appendChild(TV.el("p", { text: t.description }));
    if (t.instruction) over.appendChild(TV.el("p", { cls: "instruction", text: t.instruction }));
    if (alert.sender_name) over.appendChild(TV.el("p", { text: TV.t("alert.from", { sender: alert.sender_name }) }));
    if (alert.expires) over.appendChild(TV.el("p", { text: TV.t("common.expires", { at: TV.when(alert.expires) }) }));
    var ack = TV.button(TV.t("alert.ack"), function () {
      acknowledged[alert.alert_id] = true;
      receipt(alert, "acknowledged");
      remove([alert.alert_id]);
      draw();
    }, { nav: "alert:ack", cls: "btn big" });
    over.appendChild(ack);
    over.hidden = false;
    TV.nav.focus(ack);
    if (!displayed[alert.alert_id]) receipt(alert, "displayed");
    displayed[alert.alert_id] = true;
    if (alert.expires) expiry = setTimeout(draw, Math.max(Date.parse(alert.expires) - now, 0) + 100);
  }

  TV.onAlert = function (alert) {
    if (alert.kind === "cancel") {
      remove((alert.supersedes || []).concat([alert.alert_id]));
      return draw();
    }
    if (alert.kind === "expire") {
      remove([alert.alert_id]);
      return draw();
    }
    if (acknowledged[alert.alert_id]) return receipt(alert, "acknowledged"); // sent again: it was seen
    receipt(alert, "delivered");
    remove((alert.supersedes || []).concat([alert.alert_id]));
    showing.push(alert);
    beep();
    draw();
  };

  TV.screen("alerts", {
    title: "screen.alerts",
    render: function (root) {
      return TV.api("GET", "/v1/home").then(function (r) {
        var tile = r.status === 200 ? r.body.tiles.filter(function (t) { return t.service === "alerts"; })[0] : null;
        var list = TV.el("div", { cls: "list" });
        if (!tile || !tile.available) list.appendChild(TV.el("p", { text: TV.t("home.unavailable") }));
        else if (!tile.items.length) list.appendChild(TV.el("p", { cls: "muted", text: TV.t("alert.none") }));
        (tile ? tile.items : []).forEach(function (item) {
          var entry = TV.button("", null, { cls: "entry", nav: "alert:" + item.id });
          entry.appendChild(TV.el("div", { text: item.title }));
          if (item.at) entry.appendChild(TV.el("div", { cls: "sub", text: TV.t("common.expires", { at: TV.when(item.at) }) }));
          list.appendChild(entry);
        });
        root.appendChild(list);
        root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "alerts:back" }));
      });
    }
  });
})();
