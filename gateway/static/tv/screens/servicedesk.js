/* The service desk's TV screens: my requests and their state, filing a repair with the remote
   (type, problem, confirm), one request, its 好差评 rating on five large buttons, and the guide. */
(function () {
  var TV = window.TV;
  TV.addMessages({
    "sd.file": "我要报修",
    "sd.guide": "服务指南",
    "sd.mine": "我的申请",
    "sd.none": "还没有申请",
    "sd.choose_type": "请选择服务项目",
    "sd.choose_problem": "遇到了什么问题？",
    "sd.confirm": "请确认",
    "sd.submit": "确认提交",
    "sd.done": "已提交，受理编号 {ref}",
    "sd.done_hint": "我们会尽快与您联系，处理进度会推送到电视上。",
    "sd.to_mine": "查看我的申请",
    "sd.failed": "提交没有成功：{detail}",
    "sd.rate": "评价这次服务",
    "sd.rate_title": "您对这次服务满意吗？",
    "sd.rated": "您的评价：{level}",
    "sd.ref": "受理编号 {ref}",
    "sd.visit": "上门时间 {from} 至 {to}",
    "sd.fee_free": "免费",
    "sd.fee": "费用 {yuan} 元",
    "sd.hours": "承诺 {hours} 小时内办结",
    "state.submitted": "已提交",
    "state.accepted": "已受理",
    "state.waiting_for_citizen": "等您补充",
    "state.dispatched": "已派师傅",
    "state.on_site": "师傅已上门",
    "state.resolved": "已处理，请评价",
    "state.closed": "已办结",
    "state.rejected": "未受理",
    "state.cancelled": "已取消"
  });
  // What the viewer picks instead of typing (the remote has no keyboard).
  var PROBLEMS = ["没有信号", "画面卡顿或花屏", "没有声音", "遥控器或机顶盒不能用", "其他问题，请来电联系我"];
  var LEVELS = TV.RATING_LEVELS;

  function guide() {
    return TV.api("GET", "/v1/servicedesk/guide").then(function (r) {
      return r.status === 200 ? r.body.services : null;
    });
  }

  function failed(root) {
    root.appendChild(TV.el("p", { text: TV.t("common.failed") }));
    root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "back" }));
  }

  TV.screen("servicedesk", {
    title: "screen.servicedesk",
    render: function (root) {
      return Promise.all([TV.api("GET", "/v1/servicedesk/requests?page_size=" + TV.pageSize()), guide()]).then(function (got) {
        var r = got[0], names = {};
        (got[1] || []).forEach(function (t) { names[t.code] = t.name; });
        root.appendChild(TV.el("div", { cls: "row", style: "margin-bottom:28px" }, [
          TV.button(TV.t("sd.file"), function () { TV.open("servicedesk.file"); }, { nav: "sd:file", opens: "servicedesk.file", cls: "btn big" }),
          TV.button(TV.t("sd.guide"), function () { TV.open("servicedesk.guide"); }, { nav: "sd:guide", opens: "servicedesk.guide", cls: "btn big" })
        ]));
        root.appendChild(TV.el("h2", { text: TV.t("sd.mine") }));
        if (r.status !== 200) return failed(root);
        var list = TV.el("div", { cls: "list" });
        if (!r.body.requests.length) list.appendChild(TV.el("p", { cls: "muted", text: TV.t("sd.none") }));
        r.body.requests.forEach(function (req) {
          var entry = TV.button("", function () { TV.open("servicedesk.request", { id: req.id }); }, { cls: "entry", nav: "req:" + req.id, opens: "servicedesk.request" });
          entry.appendChild(TV.el("div", {}, [names[req.service_type] || req.service_type, TV.el("span", { cls: "state", text: TV.t("state." + req.state) })]));
          entry.appendChild(TV.el("div", { cls: "sub", text: TV.t("sd.ref", { ref: req.reference_number }) + (req.deadline ? " · " + TV.t("common.deadline", { at: TV.when(req.deadline) }) : "") }));
          list.appendChild(entry);
        });
        root.appendChild(list);
      });
    }
  });

  TV.screen("servicedesk.file", {
    title: "sd.choose_type",
    render: function (root) {
      return guide().then(function (types) {
        if (!types) return failed(root);
        var grid = TV.el("div", { cls: "row" });
        types.filter(function (t) { return t.channels.indexOf("set_top_box") >= 0; }).forEach(function (t) {
          grid.appendChild(TV.button(t.name, function () { TV.open("servicedesk.problem", { type: t.code, name: t.name }); }, { nav: "type:" + t.code, opens: "servicedesk.problem", cls: "btn", tag: "div" }));
        });
        root.appendChild(grid);
      });
    }
  });

  TV.screen("servicedesk.problem", {
    title: "sd.choose_problem",
    render: function (root, params) {
      root.appendChild(TV.el("h2", { text: params.name }));
      var list = TV.el("div", { cls: "list" });
      PROBLEMS.forEach(function (p, i) {
        list.appendChild(TV.button(p, function () { TV.open("servicedesk.confirm", { type: params.type, name: params.name, problem: p, key: TV.uuid() }); }, { cls: "entry", nav: "problem:" + i, opens: "servicedesk.confirm" }));
      });
      root.appendChild(list);
    }
  });

  TV.screen("servicedesk.confirm", {
    title: "sd.confirm",
    render: function (root, params) {
      root.appendChild(TV.el("h1", { text: params.name }));
      root.appendChild(TV.el("p", { text: params.problem }));
      var note = TV.el("p", { cls: "result" });
      var submit = TV.button(TV.t("sd.submit"), function () {
        // The key was made when this screen opened: pressing OK twice files one request.
        TV.api("POST", "/v1/servicedesk/requests", { service_type: params.type, description: params.problem }, { "Idempotency-Key": params.key }).then(function (r) {
          if (r.status === 201) return TV.open("servicedesk.done", { ref: r.body.reference_number });
          note.textContent = TV.t("sd.failed", { detail: (r.body && r.body.detail) || r.status });
        });
      }, { nav: "confirm:submit", cls: "btn big" });
      root.appendChild(TV.el("div", { cls: "row" }, [submit, TV.button(TV.t("common.back"), TV.back, { nav: "confirm:back", cls: "btn big" })]));
      root.appendChild(note);
    }
  });

  TV.screen("servicedesk.done", {
    title: "screen.servicedesk",
    render: function (root, params) {
      root.appendChild(TV.el("h1", { cls: "done", text: TV.t("sd.done", { ref: params.ref }) }));
      root.appendChild(TV.el("p", { text: TV.t("sd.done_hint") }));
      root.appendChild(TV.button(TV.t("sd.to_mine"), function () { TV.backTo("servicedesk"); }, { nav: "done:mine", cls: "btn big" }));
    }
  });

  TV.screen("servicedesk.request", {
    title: "screen.servicedesk",
    render: function (root, params) {
      return Promise.all([TV.api("GET", "/v1/servicedesk/requests/" + encodeURIComponent(params.id)), guide()]).then(function (got) {
        var r = got[0];
        if (r.status !== 200) return failed(root);
        var req = r.body, name = req.service_type;
        (got[1] || []).forEach(function (t) { if (t.code === req.service_type) name = t.name; });
        root.appendChild(TV.el("h1", {}, [name, TV.el("span", { cls: "state", text: TV.t("state." + req.state) })]));
        root.appendChild(TV.el("p", { text: TV.t("sd.ref", { ref: req.reference_number }) }));
        if (req.description) root.appendChild(TV.el("p", { text: req.description }));
        if (req.deadline) root.appendChild(TV.el("p", { text: TV.t("common.deadline", { at: TV.when(req.deadline) }) }));
        if (req.window_start) root.appendChild(TV.el("p", { text: TV.t("sd.visit", { from: TV.when(req.window_start), to: TV.when(req.window_end) }) }));
        if (req.rating) root.appendChild(TV.el("p", { cls: "rated", text: TV.t("sd.rated", { level: TV.t("rating." + req.rating.level) }) }));
        var actions = TV.el("div", { cls: "row" });
        if (req.state === "resolved" && !req.rating) {
          actions.appendChild(TV.button(TV.t("sd.rate"), function () { TV.open("servicedesk.rate", { id: req.id }); }, { nav: "request:rate", opens: "servicedesk.rate", cls: "btn big" }));
        }
        actions.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "request:back", cls: "btn big" }));
        root.appendChild(actions);
      });
    }
  });

  TV.screen("servicedesk.rate", {
    title: "sd.rate_title",
    render: function (root, params) {
      var note = TV.el("p", { cls: "result" });
      var list = TV.el("div", { cls: "list" });
      LEVELS.forEach(function (level) {
        list.appendChild(TV.button(TV.t("rating." + level), function () {
          TV.api("POST", "/v1/servicedesk/requests/" + encodeURIComponent(params.id) + "/rating", { level: level }).then(function (r) {
            if (r.status === 200) return TV.back();
            note.textContent = TV.t("sd.failed", { detail: (r.body && r.body.detail) || r.status });
          });
        }, { cls: "entry btn big", nav: "rate:" + level }));
      });
      root.appendChild(list);
      root.appendChild(note);
    }
  });

  TV.screen("servicedesk.guide", {
    title: "sd.guide",
    render: function (root) {
      return guide().then(function (types) {
        if (!types) return failed(root);
        var grid = TV.el("div", { cls: "row" });
        types.forEach(function (t) {
          grid.appendChild(TV.button(t.name, function () { TV.open("servicedesk.guide_one", { service: t }); }, { nav: "guide:" + t.code, opens: "servicedesk.guide_one" }));
        });
        root.appendChild(grid);
      });
    }
  });

  TV.screen("servicedesk.guide_one", {
    title: "sd.guide",
    render: function (root, params) {
      var t = params.service, hours = t.time_limit_hours || {};
      root.appendChild(TV.el("h1", { text: t.name }));
      root.appendChild(TV.el("p", { text: t.covers || "" }));
      var limit = hours.urban || hours.village;
      if (limit) root.appendChild(TV.el("p", { text: TV.t("sd.hours", { hours: limit }) }));
      var fen = t.fee && t.fee.fen ? Number(t.fee.fen) : 0;
      root.appendChild(TV.el("p", { text: fen ? TV.t("sd.fee", { yuan: (fen / 100).toFixed(2) }) : TV.t("sd.fee_free") }));
      root.appendChild(TV.el("p", { cls: "sub", text: t.guide || "" }));
      root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "guide:back" }));
    }
  });
})();
