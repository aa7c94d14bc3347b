/* 群众意见征集 on the TV: the questionnaires open for the household; one questionnaire answered
   with the remote, one question per screen (choices as large buttons; a multiple choice toggled
   with OK; the 1-5 scale as five large buttons, or the number keys 1-5); a short text is typed on
   the phone (the TV says 请用手机填写 and offers to skip it, or, when it is required, shows the
   QR code of the questionnaire on the phone); a review of the answers, submit, thanks. */
(function () {
  var TV = window.TV;
  TV.addMessages({
    "screen.opinions": "意见征集",
    "screen.opinions.questionnaire": "意见征集",
    "screen.opinions.answer": "填写问卷",
    "screen.opinions.thanks": "感谢参与",
    "op.none": "目前没有需要您填写的问卷",
    "op.answered": "已参与",
    "op.open_until": "{organizer} · 截止 {at}",
    "op.start": "开始填写",
    "op.already": "您家已经填写过这份问卷，谢谢！",
    "op.closed": "这份问卷已结束征集",
    "op.question_n": "第 {i}/{n} 题",
    "op.required": "（必答）",
    "op.single": "请选一项",
    "op.multiple": "可选 {min}–{max} 项，按确定键选中或取消",
    "op.picks": "请选 {min}–{max} 项",
    "op.scale": "请打分：1 {low} … 5 {high}（也可以按数字键 1–5）",
    "op.text_on_phone": "这道题请用手机填写",
    "op.text_required": "这道题必须填写：请用手机扫码，在手机上填写整份问卷",
    "op.scan": "用手机扫码填写",
    "op.skip": "跳过此题",
    "op.next": "下一题",
    "op.previous": "上一题",
    "op.review": "请核对您的回答",
    "op.unanswered": "未作答",
    "op.on_phone": "请用手机填写",
    "op.submit": "提交问卷",
    "op.missing": "还有必答题没有回答：第 {i} 题",
    "op.failed": "没有提交成功：{detail}",
    "op.thanks": "提交成功，感谢您的宝贵意见！",
    "op.to_list": "返回问卷列表"
  });

  function failed(root) {
    root.appendChild(TV.el("p", { text: TV.t("common.failed") }));
    root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "back" }));
  }

  function phoneLink(id) {
    return location.origin + "/phone/#opens=" + encodeURIComponent("opinions.questionnaire/" + id);
  }

  function qrOf(id) {
    var uri = phoneLink(id);
    return TV.el("div", { cls: "row" }, [
      TV.el("img", { cls: "qr", id: "op-qr", alt: uri, src: "/v1/home/qr.svg?uri=" + encodeURIComponent(uri) }),
      TV.el("p", { cls: "muted", text: TV.t("op.scan") + "：" + uri })
    ]);
  }

  TV.screen("opinions", {
    title: "screen.opinions",
    render: function (root, params) {
      var path = "/v1/opinions/questionnaires/open?page_size=" + TV.pageSize() + (params.page_token ? "&page_token=" + encodeURIComponent(params.page_token) : "");
      return TV.api("GET", path).then(function (r) {
        if (r.status !== 200) return failed(root);
        var list = TV.el("div", { cls: "list" });
        if (!r.body.questionnaires.length) list.appendChild(TV.el("p", { cls: "muted", text: TV.t("op.none") }));
        r.body.questionnaires.forEach(function (q) {
          var entry = TV.button("", function () { TV.open("opinions.questionnaire", { id: q.id }); }, { cls: "entry", nav: "op:" + q.id, opens: "opinions.questionnaire" });
          entry.appendChild(TV.el("div", { text: q.title }));
          entry.appendChild(TV.el("div", { cls: "sub", text: q.answered ? TV.t("op.answered") : TV.t("op.open_until", { organizer: q.organizer, at: TV.when(q.closes_at) }) }));
          list.appendChild(entry);
        });
        root.appendChild(list);
        if (r.body.next_page_token) {
          root.appendChild(TV.button(TV.t("common.more"), function () { TV.open("opinions", { page_token: r.body.next_page_token }); }, { nav: "op:more", opens: "opinions" }));
        }
      });
    }
  });

  TV.screen("opinions.questionnaire", {
    title: "screen.opinions.questionnaire",
    render: function (root, params) {
      return TV.api("GET", "/v1/opinions/questionnaires/" + encodeURIComponent(params.id)).then(function (r) {
        if (r.status !== 200) return failed(root);
        var q = r.body;
        root.appendChild(TV.el("h2", { id: "op-title", text: q.title }));
        root.appendChild(TV.el("p", { cls: "sub", text: TV.t("op.open_until", { organizer: q.organizer, at: TV.when(q.closes_at) }) }));
        if (q.purpose && !TV.simple) root.appendChild(TV.el("p", { text: q.purpose }));
        if (q.answered) {
          root.appendChild(TV.el("p", { id: "op-state", text: TV.t("op.already") }));
          root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "back", cls: "btn big" }));
          return;
        }
        if (!q.open) {
          root.appendChild(TV.el("p", { id: "op-state", text: TV.t("op.closed") }));
          root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "back", cls: "btn big" }));
          return;
        }
        root.appendChild(TV.button(TV.t("op.start"), function () {
          TV.open("opinions.answer", { questionnaire: q, index: 0, answers: {} });
        }, { nav: "op:start", opens: "opinions.answer", cls: "btn big" }));
      });
    }
  });

  // The screen on show, for the number keys (the scale's 1-5).
  var showing = null;

  function summary(question, a) {
    if (question.kind === "text") return TV.t("op.on_phone");
    if (!a) return TV.t("op.unanswered");
    if (question.kind === "scale") return a.scale + " 分";
    return a.choices.map(function (c) { return question.choices[c]; }).join("、");
  }

  function picksOf(question) {
    return { min: question.min_picks || 0, max: question.max_picks || question.choices.length };
  }

  function answered(question, a) {
    if (!a) return false;
    if (question.kind === "scale") return a.scale >= 1;
    if (question.kind === "multiple") { var p = picksOf(question); return a.choices.length >= Math.max(p.min, 1) && a.choices.length <= p.max; }
    return a.choices && a.choices.length === 1;
  }

  function next(params) { params.index += 1; TV.redraw(); }

  function drawQuestion(root, params) {
    var q = params.questionnaire, n = q.questions.length;
    var question = q.questions[params.index];
    var a = params.answers[question.id];
    root.appendChild(TV.el("p", { cls: "sub", id: "op-progress", text: TV.t("op.question_n", { i: params.index + 1, n: n }) }));
    root.appendChild(TV.el("h2", { id: "op-question", text: question.text + (question.required ? TV.t("op.required") : "") }));
    // Named per question, so the next question's first button takes the focus.
    var name = "q" + params.index + ":";
    var list = TV.el("div", { cls: "list" });
    var note = TV.el("p", { cls: "result", id: "op-note" });
    if (question.kind === "single") {
      root.appendChild(TV.el("p", { cls: "muted", text: TV.t("op.single") }));
      question.choices.forEach(function (c, i) {
        var on = a && a.choices[0] === i;
        list.appendChild(TV.button((on ? "✓ " : "") + c, function () {
          params.answers[question.id] = { question_id: question.id, choices: [i] };
          next(params);
        }, { cls: "entry btn big", nav: name + i }));
      });
      root.appendChild(list);
    } else if (question.kind === "multiple") {
      var p = picksOf(question);
      root.appendChild(TV.el("p", { cls: "muted", text: TV.t("op.multiple", p) }));
      question.choices.forEach(function (c, i) {
        var on = !!a && a.choices.indexOf(i) >= 0;
        var b = TV.button((on ? "✓ " : "") + c, function () {
          var now = params.answers[question.id] || { question_id: question.id, choices: [] };
          var at = now.choices.indexOf(i);
          if (at >= 0) now.choices.splice(at, 1); else now.choices.push(i);
          now.choices.sort();
          params.answers[question.id] = now;
          TV.redraw();
        }, { cls: "entry btn big", nav: name + i });
        b.setAttribute("aria-pressed", on ? "true" : "false");
        list.appendChild(b);
      });
      root.appendChild(list);
      root.appendChild(TV.el("div", { cls: "row", style: "margin-top:24px" }, [TV.button(TV.t("op.next"), function () {
        var now = params.answers[question.id];
        var count = now ? now.choices.length : 0;
        if (!count && !question.required && !p.min) { delete params.answers[question.id]; return next(params); }
        if (count < Math.max(p.min, 1) || count > p.max) { note.textContent = TV.t("op.picks", p); return; }
        next(params);
      }, { nav: name + "next", cls: "btn big" })]));
    } else if (question.kind === "scale") {
      root.appendChild(TV.el("p", { cls: "muted", text: TV.t("op.scale", { low: question.scale_low, high: question.scale_high }) }));
      var row = TV.el("div", { cls: "row" });
      [1, 2, 3, 4, 5].forEach(function (v) {
        var label = String(v) + (v === 1 ? " " + question.scale_low : v === 5 ? " " + question.scale_high : "");
        var on = a && a.scale === v;
        row.appendChild(TV.button((on ? "✓ " : "") + label, function () {
          params.answers[question.id] = { question_id: question.id, scale: v };
          next(params);
        }, { cls: "btn big", nav: name + "s" + v }));
      });
      root.appendChild(row);
    } else {
      root.appendChild(TV.el("p", { id: "op-text", text: TV.t(question.required ? "op.text_required" : "op.text_on_phone") }));
      root.appendChild(qrOf(q.id));
      if (!question.required) {
        root.appendChild(TV.button(TV.t("op.skip"), function () { next(params); }, { nav: name + "skip", cls: "btn big" }));
      }
    }
    root.appendChild(note);
    if (question.kind !== "multiple" && !question.required && question.kind !== "text" && !answered(question, a)) {
      root.appendChild(TV.button(TV.t("op.skip"), function () { next(params); }, { nav: name + "skip", cls: "btn" }));
    }
    if (params.index > 0) {
      root.appendChild(TV.button(TV.t("op.previous"), function () { params.index -= 1; TV.redraw(); }, { nav: name + "prev", cls: "btn" }));
    }
  }

  function drawReview(root, params) {
    var q = params.questionnaire;
    root.appendChild(TV.el("h2", { id: "op-review", text: TV.t("op.review") }));
    var list = TV.el("div", { cls: "list" });
    q.questions.forEach(function (question, i) {
      var entry = TV.button("", function () { params.index = i; TV.redraw(); }, { cls: "entry", nav: "review:" + question.id });
      entry.appendChild(TV.el("div", { text: (i + 1) + ". " + question.text }));
      entry.appendChild(TV.el("div", { cls: "sub", text: summary(question, params.answers[question.id]) }));
      list.appendChild(entry);
    });
    var note = TV.el("p", { cls: "result", id: "op-note" });
    var submit = TV.button(TV.t("op.submit"), function () {
      for (var i = 0; i < q.questions.length; i++) {
        var question = q.questions[i];
        if (question.required && !answered(question, params.answers[question.id])) {
          note.textContent = TV.t("op.missing", { i: i + 1 });
          return;
        }
      }
      var answers = q.questions.map(function (x) { return params.answers[x.id]; }).filter(Boolean);
      TV.api("POST", "/v1/opinions/questionnaires/" + encodeURIComponent(q.id) + "/responses", { answers: answers }).then(function (r) {
        note.setAttribute("data-status", r.status);
        if (r.status !== 201) {
          note.textContent = TV.t("op.failed", { detail: (r.body && r.body.detail) || r.status });
          return;
        }
        TV.backTo("opinions").then(function () { TV.open("opinions.thanks", { title: q.title }); });
      });
    }, { nav: "review:submit", cls: "btn big" });
    var previous = TV.button(TV.t("op.previous"), function () { params.index -= 1; TV.redraw(); }, { nav: "review:prev", cls: "btn big" });
    // Submit first (it takes the focus), then the answers, each OK going back to its question.
    root.appendChild(TV.el("div", { cls: "row", style: "margin-bottom:24px" }, [submit, previous]));
    root.appendChild(note);
    root.appendChild(list);
  }

  TV.screen("opinions.answer", {
    title: "screen.opinions.answer",
    render: function (root, params) {
      showing = params;
      root.appendChild(TV.el("p", { cls: "sub", text: params.questionnaire.title }));
      if (params.index >= params.questionnaire.questions.length) drawReview(root, params);
      else drawQuestion(root, params);
    },
    digit: function (n) {
      var params = showing;
      if (!params || params.index >= params.questionnaire.questions.length) return;
      var question = params.questionnaire.questions[params.index];
      if (question.kind === "scale" && n >= 1 && n <= 5) {
        params.answers[question.id] = { question_id: question.id, scale: n };
        next(params);
      } else if (n === 0) TV.home();
    }
  });

  TV.screen("opinions.thanks", {
    title: "screen.opinions.thanks",
    render: function (root, params) {
      root.appendChild(TV.el("h2", { id: "op-thanks", text: TV.t("op.thanks") }));
      root.appendChild(TV.el("p", { cls: "sub", text: params.title || "" }));
      root.appendChild(TV.button(TV.t("op.to_list"), TV.back, { nav: "thanks:back", cls: "btn big" }));
    }
  });
})();
