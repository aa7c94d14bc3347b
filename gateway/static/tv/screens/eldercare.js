/* Eldercare's TV screens, loaded only where the household has an elder (the home names the tile then):
   the red key is the SOS (one press opens it, OK calls), the elder's devices and open alarms, and
   answering an alarm with the remote. */
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
    "ec.red_hint": "红色键：一键呼救"
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
        TV.api("GET", "/v1/eldercare/profiles")
      ]).then(function (got) {
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
      });
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
