/* E-government on the phone: the household's applications, and one application started on the TV
   continued here: each material of its guide uploaded from the camera or the files (a file input:
   PDF, JPEG or PNG, the type read from the content by the service), then submitted. */
(function () {
  var P = window.PHONE;
  P.addMessages({
    "screen.egov": "办事",
    "eg.mine": "我的办件",
    "eg.none": "还没有办件，可以在电视上选择要办的事项",
    "eg.continue": "继续办理",
    "eg.materials": "需要的材料",
    "eg.given": "已上传",
    "eg.from_certificate": "已从电子证照获取",
    "eg.missing": "未上传",
    "eg.optional": "（非必需）",
    "eg.choose_file": "拍照或选择文件：{name}",
    "eg.uploading": "正在上传……",
    "eg.uploaded": "已上传：{name}",
    "eg.too_large": "文件太大，请拍得小一些或选择较小的文件",
    "eg.failed": "没有成功：{detail}",
    "eg.submit": "提交申请",
    "eg.submitted": "已提交，承诺办结时间 {at}",
    "eg.correction": "需要补正：{reason}"
  });
  var OPEN = { draft: true, returned: true };

  P.screen("egov", {
    title: "screen.egov",
    render: function (root) {
      return P.api("GET", "/v1/egov/applications?page_size=20").then(function (r) {
        root.appendChild(P.el("h2", { text: P.t("eg.mine") }));
        if (r.status !== 200) return root.appendChild(P.el("p", { cls: "error", text: P.failure(r) }));
        if (!r.body.applications.length) root.appendChild(P.el("p", { cls: "muted", text: P.t("eg.none") }));
        r.body.applications.forEach(function (a) {
          var card = P.button("", function () { P.open("egov.application", { id: a.id }); }, { cls: "card", name: "app:" + a.id });
          card.appendChild(P.el("div", { cls: "title" }, [a.item_name, P.el("span", { cls: "state", text: a.state_label })]));
          var sub = OPEN[a.state] ? P.t("eg.continue") : a.deadline ? P.t("common.deadline", { at: P.when(a.deadline) }) : "";
          card.appendChild(P.el("div", { cls: "sub", text: sub }));
          root.appendChild(card);
        });
      });
    }
  });

  // A material's file as it is (the service reads its type from the content and checks its size).
  function upload(id, code, file) {
    var url = "/v1/egov/applications/" + encodeURIComponent(id) + "/materials/" + encodeURIComponent(code) +
      "?file_name=" + encodeURIComponent(file.name.slice(0, 100));
    function put() {
      return fetch(url, { method: "PUT", headers: { Authorization: "Bearer " + P.token(), "Content-Type": file.type || "application/octet-stream" }, body: file })
        .then(function (r) { return r.json().catch(function () { return {}; }).then(function (body) { return { status: r.status, body: body }; }); });
    }
    return put().then(function (r) {
      if (r.status !== 401) return r;
      // an expired token: any API call refreshes it, then the upload goes again
      return P.api("GET", "/v1/egov/applications/" + encodeURIComponent(id)).then(put);
    });
  }

  P.screen("egov.application", {
    title: "screen.egov",
    render: function (root, params) {
      return P.api("GET", "/v1/egov/applications/" + encodeURIComponent(params.id)).then(function (r) {
        if (r.status !== 200) return root.appendChild(P.el("p", { cls: "error", text: P.failure(r) }));
        var a = r.body;
        root.appendChild(P.el("h2", {}, [a.item_name, P.el("span", { cls: "state", text: a.state_label })]));
        if (a.state === "returned" && a.correction) root.appendChild(P.el("p", { text: P.t("eg.correction", { reason: a.correction }) }));
        if (a.deadline) root.appendChild(P.el("p", { cls: "sub", text: P.t("common.deadline", { at: P.when(a.deadline) }) }));
        if (!OPEN[a.state]) return;
        return P.api("GET", "/v1/egov/items/" + encodeURIComponent(a.item_code)).then(function (g) {
          if (g.status !== 200) return root.appendChild(P.el("p", { cls: "error", text: P.failure(g) }));
          var given = {};
          (a.materials || []).forEach(function (m) { given[m.code] = m; });
          var asked = {};
          (a.correction_materials || []).forEach(function (c) { asked[c] = true; });
          var note = P.el("p", { cls: "error", role: "alert" });
          root.appendChild(P.el("h3", { text: P.t("eg.materials") }));
          (g.body.guide.materials || []).forEach(function (m) {
            var has = given[m.code] && !asked[m.code];
            var state = has ? (given[m.code].media_type === "application/json" ? P.t("eg.from_certificate") : P.t("eg.given")) : P.t("eg.missing");
            var row = P.el("div", { cls: "card material", "data-material": m.code });
            row.appendChild(P.el("div", { cls: "title" }, [m.name + (m.required ? "" : P.t("eg.optional")), P.el("span", { cls: "state", text: state })]));
            var input = P.el("input", { type: "file", accept: "image/jpeg,image/png,application/pdf", id: "file-" + m.code, "aria-label": P.t("eg.choose_file", { name: m.name }) });
            var label = P.el("label", { "for": "file-" + m.code, cls: "button", text: P.t("eg.choose_file", { name: m.name }) });
            input.addEventListener("change", function () {
              var file = input.files && input.files[0];
              if (!file) return;
              note.textContent = P.t("eg.uploading");
              upload(a.id, m.code, file).then(function (u) {
                if (u.status === 200) return P.redraw();
                note.textContent = u.status === 413 ? P.t("eg.too_large") : P.t("eg.failed", { detail: P.failure(u) });
              });
            });
            row.appendChild(label);
            row.appendChild(input);
            root.appendChild(row);
          });
          root.appendChild(note);
          var submit = P.button(P.t("eg.submit"), function () {
            submit.disabled = true;
            P.api("POST", "/v1/egov/applications/" + encodeURIComponent(a.id) + "/submit").then(function (s) {
              submit.disabled = false;
              if (s.status === 200) return P.redraw();
              note.textContent = P.t("eg.failed", { detail: P.failure(s) });
            });
          }, { name: "eg:submit" });
          root.appendChild(submit);
        });
      });
    }
  });
})();
