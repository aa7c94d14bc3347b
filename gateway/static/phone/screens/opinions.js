/* 群众意见征集 on the phone: the questionnaires open for the household, and one answered whole on
   one page (single choice as radio buttons, multiple choice as check boxes, the 1-5 scale as five
   radio buttons, short text typed), once per household. The TV's QR code opens a questionnaire
   here (#opens=opinions.questionnaire/<id>). */
(function () {
  var P = window.PHONE;
  P.addMessages({
    "screen.opinions": "意见征集",
    "screen.opinions.questionnaire": "填写问卷",
    "op.none": "目前没有需要您填写的问卷",
    "op.answered": "已参与",
    "op.open_until": "{organizer} · 截止 {at}",
    "op.already": "您家已经填写过这份问卷，谢谢！",
    "op.closed": "这份问卷已结束征集",
    "op.required": "（必答）",
    "op.multiple": "可选 {min}–{max} 项",
    "op.text": "最多 {n} 字",
    "op.submit": "提交问卷",
    "op.missing": "第 {i} 题还没有回答",
    "op.picks": "第 {i} 题请选 {min}–{max} 项",
    "op.too_long": "第 {i} 题最多 {n} 字",
    "op.failed": "没有提交成功：{detail}",
    "op.thanks": "提交成功，感谢您的宝贵意见！"
  });

  P.screen("opinions", {
    title: "screen.opinions",
    render: function (root) {
      return P.api("GET", "/v1/opinions/questionnaires/open?page_size=50").then(function (r) {
        if (r.status !== 200) return root.appendChild(P.el("p", { cls: "error", text: P.failure(r) }));
        if (!r.body.questionnaires.length) root.appendChild(P.el("p", { cls: "muted", text: P.t("op.none") }));
        r.body.questionnaires.forEach(function (q) {
          var card = P.button("", function () { P.open("opinions.questionnaire", { id: q.id }); }, { cls: "card", name: "op:" + q.id });
          card.appendChild(P.el("div", { cls: "title", text: q.title }));
          card.appendChild(P.el("div", { cls: "sub", text: q.answered ? P.t("op.answered") : P.t("op.open_until", { organizer: q.organizer, at: P.when(q.closes_at) }) }));
          root.appendChild(card);
        });
      });
    }
  });

  function picksOf(question) {
    return { min: question.min_picks || 0, max: question.max_picks || question.choices.length };
  }

  function field(question, i) {
    var box = P.el("fieldset", { cls: "card", "data-question": question.id });
    box.appendChild(P.el("legend", { text: (i + 1) + ". " + question.text + (question.required ? P.t("op.required") : "") }));
    var group = "op-" + question.id;
    if (question.kind === "single" || question.kind === "multiple") {
      if (question.kind === "multiple") box.appendChild(P.el("p", { cls: "muted", text: P.t("op.multiple", picksOf(question)) }));
      question.choices.forEach(function (c, k) {
        var id = group + "-" + k;
        var input = P.el("input", { type: question.kind === "single" ? "radio" : "checkbox", name: group, id: id, value: String(k) });
        box.appendChild(P.el("div", { cls: "choice" }, [input, P.el("label", { for: id, text: " " + c })]));
      });
    } else if (question.kind === "scale") {
      box.appendChild(P.el("p", { cls: "muted", text: "1 " + question.scale_low + " … 5 " + question.scale_high }));
      [1, 2, 3, 4, 5].forEach(function (v) {
        var id = group + "-" + v;
        var label = String(v) + (v === 1 ? " " + question.scale_low : v === 5 ? " " + question.scale_high : "");
        var input = P.el("input", { type: "radio", name: group, id: id, value: String(v) });
        box.appendChild(P.el("div", { cls: "choice" }, [input, P.el("label", { for: id, text: " " + label })]));
      });
    } else {
      box.appendChild(P.el("label", { for: group, cls: "muted", text: P.t("op.text", { n: question.max_length }) }));
      box.appendChild(P.el("textarea", { id: group, name: group, maxlength: String(question.max_length), rows: "3" }));
    }
    return box;
  }

  /* The answers on the page, or the first thing wrong with them (in the citizen's words). */
  function collect(root, q) {
    var answers = [];
    for (var i = 0; i < q.questions.length; i++) {
      var question = q.questions[i], group = "op-" + question.id;
      var picked = Array.prototype.slice.call(root.querySelectorAll("input[name='" + group + "']:checked")).map(function (x) { return Number(x.value); });
      var a = null;
      if (question.kind === "single" && picked.length) a = { question_id: question.id, choices: picked };
      if (question.kind === "multiple" && picked.length) {
        var p = picksOf(question);
        if (picked.length < p.min || picked.length > p.max) return { error: P.t("op.picks", { i: i + 1, min: p.min, max: p.max }) };
        a = { question_id: question.id, choices: picked };
      }
      if (question.kind === "scale" && picked.length) a = { question_id: question.id, scale: picked[0] };
      if (question.kind === "text") {
        var text = root.querySelector("#" + group).value.trim();
        if (text.length > question.max_length) return { error: P.t("op.too_long", { i: i + 1, n: question.max_length }) };
        if (text) a = { question_id: question.id, text: text };
      }
      if (!a && question.required) return { error: P.t("op.missing", { i: i + 1 }) };
      if (a) answers.push(a);
    }
    return { answers: answers };
  }

  P.screen("opinions.questionnaire", {
    title: "screen.opinions.questionnaire",
    render: function (root, params) {
      return P.api("GET", "/v1/opinions/questionnaires/" + encodeURIComponent(params.id)).then(function (r) {
        if (r.status !== 200) return root.appendChild(P.el("p", { cls: "error", text: P.failure(r) }));
        var q = r.body;
        root.appendChild(P.el("h2", { id: "op-title", text: q.title }));
        root.appendChild(P.el("p", { cls: "muted", text: P.t("op.open_until", { organizer: q.organizer, at: P.when(q.closes_at) }) }));
        if (q.purpose) root.appendChild(P.el("p", { text: q.purpose }));
        if (q.answered || !q.open) {
          root.appendChild(P.el("p", { id: "op-state", text: P.t(q.answered ? "op.already" : "op.closed") }));
          return;
        }
        var form = P.el("form", { id: "op-form", novalidate: "" });
        q.questions.forEach(function (question, i) { form.appendChild(field(question, i)); });
        var note = P.el("p", { role: "alert", id: "op-note" });
        var submit = P.el("button", { type: "submit", "data-name": "op:submit" }, [P.t("op.submit")]);
        form.appendChild(submit);
        form.appendChild(note);
        form.addEventListener("submit", function (e) {
          e.preventDefault();
          var got = collect(form, q);
          if (got.error) { note.className = "error"; note.textContent = got.error; return; }
          submit.disabled = true;
          P.api("POST", "/v1/opinions/questionnaires/" + encodeURIComponent(q.id) + "/responses", { answers: got.answers }).then(function (x) {
            note.setAttribute("data-status", x.status);
            if (x.status === 201) {
              form.hidden = true;
              var done = P.el("p", { cls: "done", id: "op-thanks", text: P.t("op.thanks") });
              root.appendChild(done);
              return;
            }
            submit.disabled = false;
            note.className = "error";
            note.textContent = P.t("op.failed", { detail: P.failure(x) });
          });
        });
        root.appendChild(form);
      });
    }
  });
})();
