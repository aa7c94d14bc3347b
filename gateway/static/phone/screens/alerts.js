/* Emergency alerts on the phone: the alerts service registers the signed-in member's phone as a
   terminal of the household's area (when its push stream opens), so an alert in force comes down
   the stream; it covers the page, coloured by its level, drills marked as drills, until 我知道了,
   and the receipts (delivered, displayed, acknowledged) go back as the TV's do. The tile's screen
   lists the alerts in force. */
(function () {
  var PHONE = window.PHONE;
  var COLOURS = { Extreme: "red", Severe: "orange", Moderate: "yellow", Minor: "blue" };
  var showing = [];
  var acknowledged = {};
  var displayed = {};

  PHONE.addMessages({
    "screen.alerts": "应急广播",
    "alert.drill": "演练",
    "alert.ack": "我知道了",
    "alert.none": "当前没有生效的预警",
    "alert.from": "发布单位：{sender}",
    "alert.expires": "有效至 {at}"
  });

  function receipt(alert, kind) {
    PHONE.api("POST", "/v1/alerts/" + encodeURIComponent(alert.alert_id) + "/receipts", { kind: kind });
  }

  function text(alert) {
    var texts = alert.texts || [];
    for (var i = 0; i < texts.length; i++) if ((texts[i].language || "").indexOf("zh") === 0) return texts[i];
    return texts[0] || { headline: alert.event_type || "" };
  }

  function remove(ids) {
    showing = showing.filter(function (a) { return ids.indexOf(a.alert_id) < 0; });
  }

  function draw() {
    var over = document.getElementById("takeover");
    var now = Date.now();
    showing = showing.filter(function (a) { return !a.expires || Date.parse(a.expires) > now; });
    var alert = showing[showing.length - 1];
    if (!alert) {
      over.hidden = true;
      over.innerHTML = "";
      return;
    }
    var t = text(alert);
    over.className = alert.colour || COLOURS[alert.severity] || "red";
    over.innerHTML = "";
    over.setAttribute("data-alert", alert.alert_id);
    if (alert.drill) over.appendChild(PHONE.el("div", { cls: "drill", text: PHONE.t("alert.drill") }));
    over.appendChild(PHONE.el("h2", { text: t.headline }));
    if (t.description) over.appendChild(PHONE.el("p", { text: t.description }));
    if (t.instruction) over.appendChild(PHONE.el("p", { cls: "instruction", text: t.instruction }));
    if (alert.sender_name) over.appendChild(PHONE.el("p", { text: PHONE.t("alert.from", { sender: alert.sender_name }) }));
    if (alert.expires) over.appendChild(PHONE.el("p", { text: PHONE.t("alert.expires", { at: PHONE.when(alert.expires) }) }));
    over.appendChild(PHONE.button(PHONE.t("alert.ack"), function () {
      acknowledged[alert.alert_id] = true;
      receipt(alert, "acknowledged");
      remove([alert.alert_id]);
      draw();
    }, { name: "alert:ack" }));
    over.hidden = false;
    if (navigator.vibrate) navigator.vibrate([400, 200, 400]);
    if (!displayed[alert.alert_id]) receipt(alert, "displayed");
    displayed[alert.alert_id] = true;
  }

  PHONE.onAlert = function (alert) {
    if (alert.kind === "cancel") {
      remove((alert.supersedes || []).concat([alert.alert_id]));
      return draw();
    }
    if (alert.kind === "expire") {
      remove([alert.alert_id]);
      return draw();
    }
    if (acknowledged[alert.alert_id]) return receipt(alert, "acknowledged");
    receipt(alert, "delivered");
    remove((alert.supersedes || []).concat([alert.alert_id]));
    showing.push(alert);
    draw();
  };

  PHONE.screen("alerts", {
    title: "screen.alerts",
    render: function (root) {
      return PHONE.api("GET", "/v1/home").then(function (r) {
        var tile = r.status === 200 ? r.body.tiles.filter(function (t) { return t.service === "alerts"; })[0] : null;
        if (!tile || !tile.available) root.appendChild(PHONE.el("p", { text: PHONE.t("home.unavailable") }));
        else if (!tile.items.length) root.appendChild(PHONE.el("p", { cls: "muted", text: PHONE.t("alert.none") }));
        (tile ? tile.items : []).forEach(function (item) {
          root.appendChild(PHONE.el("div", { cls: "card", "data-name": "alert:" + item.id }, [
            PHONE.el("div", { cls: "title", text: item.title }),
            item.at ? PHONE.el("div", { cls: "sub", text: PHONE.t("alert.expires", { at: PHONE.when(item.at) }) }) : null
          ]));
        });
      });
    }
  });
})();
