/* The service desk on the phone: my requests and their state, one request with its 好差评 rating
   (five large buttons, once it is resolved), filing a new one (type and a short description), and
   the district's standards handbook as a PDF (服务标准手册: GET /v1/handbook.pdf, fetched with the
   member's token, since a plain link would carry none). */
(function () {
  var P = window.PHONE;
  P.addMessages({
    "screen.servicedesk": "报修与服务",
    "sd.file": "我要报修",
    "sd.mine": "我的申请",
    "sd.none": "还没有申请",
    "sd.type": "服务项目",
    "sd.description": "遇到了什么问题？",
    "sd.submit": "确认提交",
    "sd.done": "已提交，受理编号 {ref}",
    "sd.done_hint": "我们会尽快与您联系，处理进度会推送到手机和电视上。",
    "sd.to_mine": "查看我的申请",
    "sd.failed": "提交没有成功：{detail}",
    "sd.rate_title": "您对这次服务满意吗？",
    "sd.rated": "您的评价：{level}",
    "sd.ref": "受理编号 {ref}",
    "sd.visit": "上门时间 {from} 至 {to}",
    "sd.handbook": "服务标准手册",
    "sd.handbook_wait": "正在生成手册，请稍候…",
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

  function guide() {
    return P.api("GET", "/v1/servicedesk/guide").then(function (r) { return r.status === 200 ? r.body.services : null; });
  }

  function names(types) {
    var n = {};
    (types || []).forEach(function (t) { n[t.code] = t.name; });
    return n;
  }

  function handbookButton() {
    var note = P.el("p", { cls: "muted", role: "status" });
    var button = P.button(P.t("sd.handbook"), function () {
      button.disabled = true;
      note.textContent = P.t("sd.handbook_wait");
      fetch("/v1/handbook.pdf", { headers: { Authorization: "Bearer " + P.token() } }).then(function (res) {
        if (!res.ok) return res.json().then(function (body) { throw new Error((body && body.detail) || res.status); });
        return res.blob().then(function (pdf) {
          var link = P.el("a", { href: URL.createObjectURL(pdf) });
          link.download = P.t("sd.handbook") + ".pdf";
          document.body.appendChild(link);
          link.click();
          link.remove();
          note.textContent = "";
        });
      }).catch(function (e) {
        note.textContent = P.t("sd.failed", { detail: e.message || P.t("common.failed") });
      }).then(function () { button.disabled = false; });
    }, { name: "sd:handbook", cls: "secondary" });
    var box = P.el("div", {}, [button, note]);
    return box;
  }

  P.screen("servicedesk", {
    title: "screen.servicedesk",
    render: function (root) {
      root.appendChild(P.button(P.t("sd.file"), function () { P.open("servicedesk.file"); }, { name: "sd:file" }));
      root.appendChild(handbookButton());
      return Promise.all([P.api("GET", "/v1/servicedesk/requests?page_size=20"), guide()]).then(function (got) {
        var r = got[0], n = names(got[1]);
        root.appendChild(P.el("h2", { text: P.t("sd.mine") }));
        if (r.status !== 200) return root.appendChild(P.el("p", { cls: "error", text: P.failure(r) }));
        if (!r.body.requests.length) root.appendChild(P.el("p", { cls: "muted", text: P.t("sd.none") }));
        r.body.requests.forEach(function (req) {
          var card = P.button("", function () { P.open("servicedesk.request", { id: req.id }); }, { cls: "card", name: "req:" + req.reference_number });
          card.appendChild(P.el("div", { cls: "title" }, [n[req.service_type] || req.service_type, P.el("span", { cls: "state", text: P.t("state." + req.state) })]));
          card.appendChild(P.el("div", { cls: "sub", text: P.t("sd.ref", { ref: req.reference_number }) + (req.deadline ? " · " + P.t("common.deadline", { at: P.when(req.deadline) }) : "") }));
          root.appendChild(card);
        });
      });
    }
  });

  P.screen("servicedesk.file", {
    title: "sd.file",
    render: function (root, params) {
      // Made when the screen opens: tapping submit twice files one request.
      params.key = params.key || P.uuid();
      return guide().then(function (types) {
        if (!types) return root.appendChild(P.el("p", { cls: "error", text: P.t("common.failed") }));
        var select = P.el("select", { id: "sd-type" });
        types.filter(function (t) { return t.channels.indexOf("mobile") >= 0; }).forEach(function (t) {
          select.appendChild(P.el("option", { value: t.code, text: t.name }));
        });
        var text = P.el("textarea", { id: "sd-description", maxlength: "500" });
        var note = P.el("p", { cls: "error", role: "alert" });
        var submit = P.button(P.t("sd.submit"), function () {
          submit.disabled = true;
          P.api("POST", "/v1/servicedesk/requests", { service_type: select.value, description: text.value.trim(), channel: "mobile" }, { "Idempotency-Key": params.key }).then(function (r) {
            submit.disabled = false;
            if (r.status === 201) return P.open("servicedesk.done", { ref: r.body.reference_number });
            note.textContent = P.t("sd.failed", { detail: P.failure(r) });
          });
        }, { name: "sd:submit" });
        [P.el("label", { for: "sd-type", text: P.t("sd.type") }), select,
         P.el("label", { for: "sd-description", text: P.t("sd.description") }), text, submit, note].forEach(function (e) { root.appendChild(e); });
      });
    }
  });

  P.screen("servicedesk.done", {
    title: "screen.servicedesk",
    render: function (root, params) {
      root.appendChild(P.el("p", { cls: "done", role: "status", text: P.t("sd.done", { ref: params.ref }) }));
      root.appendChild(P.el("p", { text: P.t("sd.done_hint") }));
      root.appendChild(P.button(P.t("sd.to_mine"), function () { P.backTo("servicedesk"); }, { name: "sd:to_mine" }));
    }
  });

  P.screen("servicedesk.request", {
    title: "screen.servicedesk",
    render: function (root, params) {
      return Promise.all([P.api("GET", "/v1/servicedesk/requests/" + encodeURIComponent(params.id)), guide()]).then(function (got) {
        var r = got[0];
        if (r.status !== 200) return root.appendChild(P.el("p", { cls: "error", text: P.failure(r) }));
        var req = r.body;
        root.appendChild(P.el("h2", {}, [names(got[1])[req.service_type] || req.service_type, P.el("span", { cls: "state", id: "sd-state", text: P.t("state." + req.state) })]));
        root.appendChild(P.el("p", { text: P.t("sd.ref", { ref: req.reference_number }) }));
        if (req.description) root.appendChild(P.el("p", { text: req.description }));
        if (req.deadline) root.appendChild(P.el("p", { text: P.t("common.deadline", { at: P.when(req.deadline) }) }));
        if (req.window_start) root.appendChild(P.el("p", { text: P.t("sd.visit", { from: P.when(req.window_start), to: P.when(req.window_end) }) }));
        if (req.rating) root.appendChild(P.el("p", { cls: "done", id: "sd-rated", text: P.t("sd.rated", { level: P.t("rating." + req.rating.level) }) }));
        if (req.state !== "resolved" || req.rating) return;
        root.appendChild(P.el("h2", { text: P.t("sd.rate_title") }));
        var note = P.el("p", { cls: "error", role: "alert" });
        P.RATING_LEVELS.forEach(function (level) {
          root.appendChild(P.button(P.t("rating." + level), function () {
            P.api("POST", "/v1/servicedesk/requests/" + encodeURIComponent(req.id) + "/rating", { level: level }).then(function (x) {
              if (x.status === 200) return P.redraw();
              note.textContent = P.t("sd.failed", { detail: P.failure(x) });
            });
          }, { name: "rate:" + level }));
        });
        root.appendChild(note);
      });
    }
  });
})();
