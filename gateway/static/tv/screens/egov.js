/* E-government's TV screens: my applications with their state and deadline, the items and their
   service guide (materials, visits, time limits), one application, and its 好差评 on five large buttons. */
(function () {
  var TV = window.TV;
  TV.addMessages({
    "screen.egov": "办事",
    "eg.items": "办事指南",
    "eg.mine": "我的办件",
    "eg.none": "还没有办件",
    "eg.choose_item": "请选择要办的事项",
    "eg.department": "办理部门：{name}",
    "eg.visits_zero": "全程网办，不用跑腿",
    "eg.visits": "需到现场 {n} 次",
    "eg.promised": "承诺 {days} 个工作日内办结",
    "eg.legal": "法定时限 {days} 个工作日",
    "eg.materials": "需要准备的材料",
    "eg.original": "原件",
    "eg.certificate": "可用电子证照",
    "eg.optional": "（非必需）",
    "eg.place": "办理地点：{place}",
    "eg.hours": "办理时间：{hours}",
    "eg.fee": "收费：{fee}",
    "eg.fee_free": "收费：不收费",
    "eg.consult": "咨询电话：{phone}",
    "eg.decision": "办理结果：{reason}",
    "eg.correction": "需要补正：{reason}",
    "eg.rate": "评价这次办事",
    "eg.rate_title": "您对这次办事满意吗？",
    "eg.rated": "您的评价：{level}",
    "eg.failed": "没有成功：{detail}",
    "eg.latest": "最新进展：{item} · {state}",
    "eg.ask_agent": "请代办员帮我办",
    "eg.consent_title": "代办授权码",
    "eg.consent_tell": "请把下面的授权码告诉村里的代办员，他将为您代办“{item}”。",
    "eg.consent_until": "有效期至 {at}，只能使用一次。",
    "eg.consent_warn": "授权码只告诉您信任的代办员，不要告诉陌生人。",
    "eg.push_hint": "按黄色键查看办件"
  });
  var LEVELS = TV.RATING_LEVELS;
  var RATEABLE = { approved: true, refused: true, rejected: true };

  function failed(root) {
    root.appendChild(TV.el("p", { text: TV.t("common.failed") }));
    root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "back" }));
  }

  // The application whose last step is the newest (what a push was about).
  function newest(apps) {
    var best = null, at = "";
    (apps || []).forEach(function (a) {
      var steps = a.steps || [], last = steps.length ? steps[steps.length - 1].at : a.created_at;
      if (last && last > at) { best = a; at = last; }
    });
    return best;
  }

  function deadline(a) {
    return a.deadline ? TV.t("common.deadline", { at: TV.when(a.deadline) }) : "";
  }

  TV.screen("egov", {
    title: "screen.egov",
    render: function (root) {
      return TV.api("GET", "/v1/egov/applications?page_size=" + TV.pageSize()).then(function (r) {
        root.appendChild(TV.el("div", { cls: "row", style: "margin-bottom:28px" }, [
          TV.button(TV.t("eg.items"), function () { TV.open("egov.items"); }, { nav: "eg:items", opens: "egov.items", cls: "btn big" })
        ]));
        if (r.status !== 200) return failed(root);
        var latest = newest(r.body.applications);
        if (latest) {
          var line = TV.t("eg.latest", { item: latest.item_name, state: latest.state_label });
          root.appendChild(TV.button(line, function () { TV.open("egov.application", { id: latest.id }); }, { nav: "eg:latest", opens: "egov.application", cls: "btn big" }));
        }
        root.appendChild(TV.el("h2", { text: TV.t("eg.mine") }));
        var list = TV.el("div", { cls: "list" });
        if (!r.body.applications.length) list.appendChild(TV.el("p", { cls: "muted", text: TV.t("eg.none") }));
        r.body.applications.forEach(function (a) {
          var entry = TV.button("", function () { TV.open("egov.application", { id: a.id }); }, { cls: "entry", nav: "app:" + a.id, opens: "egov.application" });
          entry.appendChild(TV.el("div", {}, [a.item_name, TV.el("span", { cls: "state", text: a.state_label })]));
          entry.appendChild(TV.el("div", { cls: "sub", text: deadline(a) }));
          list.appendChild(entry);
        });
        root.appendChild(list);
      });
    }
  });

  TV.screen("egov.items", {
    title: "eg.choose_item",
    render: function (root) {
      return TV.api("GET", "/v1/egov/items").then(function (r) {
        if (r.status !== 200) return failed(root);
        var grid = TV.el("div", { cls: "row" });
        r.body.items.forEach(function (item) {
          grid.appendChild(TV.button(item.name, function () { TV.open("egov.item", { code: item.code }); }, { nav: "item:" + item.code, opens: "egov.item" }));
        });
        root.appendChild(grid);
      });
    }
  });

  TV.screen("egov.item", {
    title: "eg.items",
    render: function (root, params) {
      return TV.api("GET", "/v1/egov/items/" + encodeURIComponent(params.code)).then(function (r) {
        if (r.status !== 200) return failed(root);
        var item = r.body, g = item.guide || {};
        root.appendChild(TV.el("h1", { text: item.name }));
        root.appendChild(TV.el("p", { text: TV.t("eg.department", { name: item.department_name }) }));
        var facts = [g.visits ? TV.t("eg.visits", { n: g.visits }) : TV.t("eg.visits_zero")];
        if (g.promised_time_limit_days) facts.push(TV.t("eg.promised", { days: g.promised_time_limit_days }));
        if (g.legal_time_limit_days) facts.push(TV.t("eg.legal", { days: g.legal_time_limit_days }));
        root.appendChild(TV.el("p", { cls: "facts", text: facts.join(" · ") }));
        root.appendChild(TV.el("h2", { text: TV.t("eg.materials") }));
        var list = TV.el("ul", { cls: "materials" });
        (g.materials || []).forEach(function (m) {
          var notes = [m.form || "", m.original_needed ? TV.t("eg.original") : "", m.from_certificate ? TV.t("eg.certificate") : ""];
          notes = notes.filter(function (n) { return n; }).join("，");
          list.appendChild(TV.el("li", { text: m.name + (notes ? "（" + notes + "）" : "") + (m.required ? "" : TV.t("eg.optional")) }));
        });
        root.appendChild(list);
        if (g.place) root.appendChild(TV.el("p", { cls: "sub", text: TV.t("eg.place", { place: g.place }) }));
        if (g.hours) root.appendChild(TV.el("p", { cls: "sub", text: TV.t("eg.hours", { hours: g.hours }) }));
        root.appendChild(TV.el("p", { cls: "sub", text: g.fee ? TV.t("eg.fee", { fee: g.fee }) : TV.t("eg.fee_free") }));
        if (g.consult) root.appendChild(TV.el("p", { cls: "sub", text: TV.t("eg.consult", { phone: g.consult }) }));
        var row = TV.el("div", { cls: "row" });
        if (g.online) {
          row.appendChild(TV.button(TV.t("eg.ask_agent"), function () { TV.open("egov.consent", { code: item.code }); }, { nav: "item:consent", opens: "egov.consent" }));
        }
        row.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "item:back" }));
        root.appendChild(row);
      });
    }
  });

  /* The household's consent to its village agent: a code given on its own TV, for this one item. */
  TV.screen("egov.consent", {
    title: "eg.consent_title",
    render: function (root, params) {
      return TV.api("POST", "/v1/egov/consents", { item_code: params.code }).then(function (r) {
        if (r.status !== 201) {
          root.appendChild(TV.el("p", { text: TV.t("eg.failed", { detail: (r.body && r.body.detail) || r.status }) }));
          root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "consent:back" }));
          return;
        }
        var c = r.body;
        root.appendChild(TV.el("p", { text: TV.t("eg.consent_tell", { item: c.item_name }) }));
        root.appendChild(TV.el("p", { cls: "consent-code", style: "font-size:120px;letter-spacing:24px;margin:24px 0", text: c.code }));
        root.appendChild(TV.el("p", { text: TV.t("eg.consent_until", { at: TV.when(c.expires_at) }) }));
        root.appendChild(TV.el("p", { cls: "sub", text: TV.t("eg.consent_warn") }));
        root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "consent:back", cls: "btn big" }));
      });
    }
  });

  TV.screen("egov.application", {
    title: "screen.egov",
    render: function (root, params) {
      return TV.api("GET", "/v1/egov/applications/" + encodeURIComponent(params.id)).then(function (r) {
        if (r.status !== 200) return failed(root);
        var a = r.body;
        root.appendChild(TV.el("h1", {}, [a.item_name, TV.el("span", { cls: "state", text: a.state_label })]));
        if (a.deadline) root.appendChild(TV.el("p", { text: TV.t("common.deadline", { at: TV.when(a.deadline) }) }));
        if (a.state === "returned" && a.correction) root.appendChild(TV.el("p", { text: TV.t("eg.correction", { reason: a.correction }) }));
        if (a.decision_reason) root.appendChild(TV.el("p", { text: TV.t("eg.decision", { reason: a.decision_reason }) }));
        if (a.rating) root.appendChild(TV.el("p", { cls: "rated", text: TV.t("eg.rated", { level: TV.t("rating." + a.rating.level) }) }));
        var actions = TV.el("div", { cls: "row" });
        if (RATEABLE[a.state] && !a.rating) {
          actions.appendChild(TV.button(TV.t("eg.rate"), function () { TV.open("egov.rate", { id: a.id }); }, { nav: "application:rate", opens: "egov.rate", cls: "btn big" }));
        }
        actions.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "application:back", cls: "btn big" }));
        root.appendChild(actions);
      });
    }
  });

  TV.screen("egov.rate", {
    title: "eg.rate_title",
    render: function (root, params) {
      var note = TV.el("p", { cls: "result" });
      var list = TV.el("div", { cls: "list" });
      LEVELS.forEach(function (level) {
        list.appendChild(TV.button(TV.t("rating." + level), function () {
          TV.api("POST", "/v1/egov/applications/" + encodeURIComponent(params.id) + "/rating", { level: level }).then(function (r) {
            if (r.status === 200) return TV.back();
            note.textContent = TV.t("eg.failed", { detail: (r.body && r.body.detail) || r.status });
          });
        }, { cls: "entry btn big", nav: "egrate:" + level }));
      });
      root.appendChild(list);
      root.appendChild(note);
    }
  });

  // The steps of an application notifications pushes as "egov.<step>" (the "applications" steps of
  // services/notifications/data/messages/zh-CN.json; its tests hold this list to them): the app shows
  // a note of each, and an open e-government or messages screen shows the change.
  var PUSHED = ["submitted", "resubmitted", "accepted", "returned", "rejected", "approved", "refused",
    "appointment_booked", "appointment_cancelled", "appointment_reminded", "rating_invited",
    "certificate_issued", "closed", "handed_over"];
  // (The yellow key opens the application a push names: its `opens`, in app.js.)
  PUSHED.forEach(function (step) {
    TV.onPush("egov." + step, function () {
      var on = document.getElementById("screen").getAttribute("data-screen");
      if (on === "egov" || on === "egov.application" || on === "messages") TV.redraw();
    });
  });
})();
