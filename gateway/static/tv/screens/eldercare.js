/* Eldercare's TV screens, loaded only where the household has an elder (the home names the tile then):
   the red key is the SOS (one press opens it, OK calls), a medication dose due as a big reminder
   whose confirm key is focused first, the elder's devices and open alarms, answering an alarm with
   the remote, and (on a family member's TV) the doses its elder missed. */
(function () {
  var TV = window.TV;
  TV.addMessages({
    "screen.eldercare": "智慧养老",
    "ec.sos": "一键呼救",
    "ec.sos_title": "需要帮助吗？",
    "ec.sos_hint": "按确定键呼救，家人和照护中心会马上收到。",
    "ec.sos_call": "立即呼救",
    "ec.sos_cancel": "不用了，返回",
    "ec.sos_sent": "已呼救，家人和照护中心会尽快联系您。",
    "ec.sos_failed": "呼救没有发出：{detail}。请直接拨打 120 或家人电话。",
    "ec.elder": "{name}（{year} 年生）",
    "ec.devices": "居家设备",
    "ec.online": "在线",
    "ec.offline": "离线",
    "ec.no_devices": "还没有安装设备",
    "ec.alarms": "未处理的告警",
    "ec.no_alarms": "没有未处理的告警",
    "ec.raised": "{name} · {at}",
    "ec.repeats": "（又触发 {n} 次）",
    "ec.ack": "我知道了",
    "ec.acked": "已确认",
    "ec.none": "还没有登记老人",
    "ec.red_hint": "红色键：一键呼救",
    "ec.dose_title": "该吃药了",
    "ec.dose_what": "{medicine}，{dose}",
    "ec.dose_when": "{at} 的药 · 已提醒 {n} 次",
    "ec.dose_confirm": "我已吃药（按确定键）",
    "ec.dose_done": "好的，已记下。",
    "ec.dose_failed": "没有记下：{detail}",
    "ec.missed": "没有按时确认的药",
    "ec.missed_one": "{medicine} {dose} · {at} 未确认",
    "ec.today": "今天的药",
    "ec.no_doses_today": "今天没有要吃的药",
    "ec.today_one": "{at} {medicine}，{dose} · {state}",
    "ec.dose.due": "待服",
    "ec.dose.confirmed": "已服",
    "ec.dose.missed": "漏服",
    "ec.orders": "上门服务",
    "ec.no_orders": "没有预约的上门服务",
    "ec.order_one": "{kind} · {state}",
    "ec.order.requested": "已申请，等待接单",
    "ec.order.accepted": "已接单，将按时上门",
    "ec.order.done": "已完成",
    "ec.order.cancelled": "已取消",
    "ec.order_overdue": "已超期",
    "ec.order_provider": "服务方：{provider}",
    "ec.order_deadline": "最晚 {at} 前完成",
    "ec.order_note": "服务记录：{note}"
  });

  // The red key: the SOS screen, whatever is on show (an alert taking over still answers first).
  TV.colour.red = function () { TV.open("eldercare.sos"); };

  function failed(root) {
    root.appendChild(TV.el("p", { text: TV.t("common.failed") }));
    root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "back" }));
  }

  function ok(r) { return r.status === 200; }

  TV.screen("eldercare", {
    title: "screen.eldercare",
    render: function (root) {
      return Promise.all([
        TV.api("GET", "/v1/eldercare/elders"),
        TV.api("GET", "/v1/eldercare/alarms?open_only=true&limit=" + TV.pageSize()),
        TV.api("GET", "/v1/eldercare/devices"),
        TV.api("GET", "/v1/eldercare/profiles"),
        TV.api("GET", "/v1/eldercare/doses?state=due&limit=" + TV.pageSize()),
        TV.api("GET", "/v1/eldercare/doses?state=missed&limit=" + TV.pageSize()),
        TV.api("GET", "/v1/eldercare/doses?limit=50"),
        TV.api("GET", "/v1/eldercare/care-orders?limit=" + TV.pageSize())
      ]).then(function (got) {
        // A dose due comes first, big, its confirm key focused: OK is all the elder presses.
        (ok(got[4]) ? got[4].body.doses : []).filter(function (d) { return d.may_confirm; }).forEach(function (d) {
          root.appendChild(reminder(d));
        });
        root.appendChild(TV.el("div", { cls: "row", style: "margin-bottom:28px" }, [
          TV.button(TV.t("ec.sos"), function () { TV.open("eldercare.sos"); }, { nav: "ec:sos", opens: "eldercare.sos", cls: "btn big sos" }),
          TV.el("p", { cls: "muted", text: TV.t("ec.red_hint") })
        ]));
        if (!ok(got[0]) || !ok(got[1])) return failed(root);
        var elders = got[0].body.elders;
        if (!elders.length) root.appendChild(TV.el("p", { text: TV.t("ec.none") }));
        elders.forEach(function (e) {
          root.appendChild(TV.el("h2", { text: TV.t("ec.elder", { name: e.name, year: e.birth_year }) }));
        });
        var devices = ok(got[2]) ? got[2].body.devices : [], kinds = {};
        (ok(got[3]) ? got[3].body.profiles : []).forEach(function (p) { kinds[p.key] = p.name; });
        if (!TV.simple) {
          var names = devices.map(function (d) {
            return (kinds[d.profile] || d.profile) + " " + TV.t(d.online ? "ec.online" : "ec.offline");
          });
          root.appendChild(TV.el("p", { cls: "sub", text: TV.t("ec.devices") + "：" + (names.join("，") || TV.t("ec.no_devices")) }));
        }
        root.appendChild(TV.el("h2", { text: TV.t("ec.alarms") }));
        var list = TV.el("div", { cls: "list" });
        var alarms = got[1].body.alarms;
        if (!alarms.length) list.appendChild(TV.el("p", { cls: "muted", text: TV.t("ec.no_alarms") }));
        alarms.forEach(function (a) {
          var line = TV.t("ec.raised", { name: a.name, at: TV.when(a.raised_at) }) + (a.repeats ? TV.t("ec.repeats", { n: a.repeats }) : "");
          var entry;
          if (a.state === "raised") {
            entry = TV.button(line + " · " + TV.t("ec.ack"), function () {
              TV.api("POST", "/v1/eldercare/alarms/" + encodeURIComponent(a.id) + "/acknowledge").then(function () { TV.redraw(); });
            }, { cls: "entry alarm", nav: "alarm:" + a.id });
          } else {
            entry = TV.el("div", { cls: "entry alarm", text: line + " · " + TV.t("ec.acked") });
          }
          list.appendChild(entry);
        });
        root.appendChild(list);
        // Today's doses (the elder's own, or on a family member's TV its elder's), oldest first.
        var today = new Date().toDateString();
        var doses = (ok(got[6]) ? got[6].body.doses : []).filter(function (d) {
          return new Date(d.due_at).toDateString() === today;
        }).reverse();
        root.appendChild(TV.el("h2", { text: TV.t("ec.today"), style: "margin-top:24px" }));
        if (!doses.length) root.appendChild(TV.el("p", { cls: "muted", text: TV.t("ec.no_doses_today") }));
        doses.forEach(function (d) {
          root.appendChild(TV.el("p", { cls: "entry today " + d.state, "data-today": d.id, text: TV.t("ec.today_one", {
            at: TV.when(d.due_at), medicine: d.medicine, dose: d.dose, state: TV.t("ec.dose." + d.state) }) }));
        });
        // Care orders: the visits to come and how each stands (OK opens one).
        var orders = ok(got[7]) ? got[7].body.orders : [];
        root.appendChild(TV.el("h2", { text: TV.t("ec.orders"), style: "margin-top:24px" }));
        if (!orders.length) root.appendChild(TV.el("p", { cls: "muted", text: TV.t("ec.no_orders") }));
        var olist = TV.el("div", { cls: "list" });
        orders.forEach(function (o) {
          var line = TV.t("ec.order_one", { kind: o.kind_name, state: TV.t("ec.order." + o.state) }) + (o.overdue ? " · " + TV.t("ec.order_overdue") : "");
          olist.appendChild(TV.button(line, function () { TV.open("eldercare.order", { order: o }); },
            { cls: "entry order", nav: "order:" + o.id, opens: "eldercare.order" }));
        });
        root.appendChild(olist);
        // Doses not confirmed in time (on a family member's TV, its elder's: the family's alert).
        var missed = (ok(got[5]) ? got[5].body.doses : []).filter(function (d) { return !d.may_confirm; });
        if (missed.length) {
          root.appendChild(TV.el("h2", { text: TV.t("ec.missed"), style: "margin-top:24px" }));
          missed.forEach(function (d) {
            root.appendChild(TV.el("p", { cls: "entry missed", text: TV.t("ec.missed_one", { medicine: d.medicine, dose: d.dose, at: TV.when(d.due_at) }) }));
          });
        }
      });
    }
  });

  function reminder(d) {
    var note = TV.el("p", { cls: "result" });
    var confirm = TV.button(TV.t("ec.dose_confirm"), function () {
      TV.api("POST", "/v1/eldercare/doses/" + encodeURIComponent(d.id) + "/confirm").then(function (r) {
        note.setAttribute("data-status", String(r.status));
        if (r.status === 200) {
          note.textContent = TV.t("ec.dose_done");
          setTimeout(TV.redraw, 1500);
        } else {
          note.textContent = TV.t("ec.dose_failed", { detail: (r.body && r.body.detail) || r.status });
        }
      });
    }, { nav: "dose:" + d.id, cls: "btn big" });
    return TV.el("div", { cls: "dose", "data-dose": d.id, style: "padding:24px 32px;margin-bottom:28px;border:6px solid #ffd400;border-radius:18px;background:#163a63" }, [
      TV.el("h1", { text: TV.t("ec.dose_title") }),
      TV.el("p", { style: "font-size:56px;font-weight:bold", text: TV.t("ec.dose_what", { medicine: d.medicine, dose: d.dose }) }),
      TV.el("p", { cls: "muted", text: TV.t("ec.dose_when", { at: TV.when(d.due_at), n: d.reminders }) }),
      confirm,
      note
    ]);
  }

  // Pushed by notifications: a dose due (the elder's TV: from the home it opens the reminder, its
  // confirm key focused) or missed (a family member's TV); the eldercare screen shows it at once.
  ["eldercare.dose_due", "eldercare.dose_missed"].forEach(function (kind) {
    TV.onPush(kind, function () {
      var on = document.getElementById("screen").getAttribute("data-screen");
      if (on === "eldercare") TV.redraw();
      else if (on === "home" && kind === "eldercare.dose_due") TV.open("eldercare");
    });
  });

  TV.screen("eldercare.order", {
    title: "ec.orders",
    render: function (root, params) {
      var o = params.order || {};
      root.appendChild(TV.el("h1", { text: o.kind_name || "" }));
      root.appendChild(TV.el("p", { cls: "big", "data-order-state": o.state, text: TV.t("ec.order." + o.state) + (o.overdue ? " · " + TV.t("ec.order_overdue") : "") }));
      if (o.provider) root.appendChild(TV.el("p", { text: TV.t("ec.order_provider", { provider: o.provider }) }));
      if (o.deadline && o.state !== "done" && o.state !== "cancelled") root.appendChild(TV.el("p", { text: TV.t("ec.order_deadline", { at: TV.when(o.deadline) }) }));
      if (o.note) root.appendChild(TV.el("p", { text: TV.t("ec.order_note", { note: o.note }) }));
      root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "back" }));
    }
  });

  TV.screen("eldercare.sos", {
    title: "ec.sos",
    render: function (root) {
      var note = TV.el("p", { cls: "result" });
      root.appendChild(TV.el("h1", { text: TV.t("ec.sos_title") }));
      root.appendChild(TV.el("p", { text: TV.t("ec.sos_hint") }));
      var call = TV.button(TV.t("ec.sos_call"), function () {
        TV.api("POST", "/v1/eldercare/sos", {}).then(function (r) {
          note.textContent = r.status === 201 ? TV.t("ec.sos_sent") : TV.t("ec.sos_failed", { detail: (r.body && r.body.detail) || r.status });
          note.setAttribute("data-status", String(r.status));
        });
      }, { nav: "sos:call", cls: "btn big sos" });
      root.appendChild(TV.el("div", { cls: "row" }, [call, TV.button(TV.t("ec.sos_cancel"), TV.back, { nav: "sos:back", cls: "btn big" })]));
      root.appendChild(note);
    }
  });
})();
