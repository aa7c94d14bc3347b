/* Legal outreach on the phone: type a short question to the village's lawyer (a topic and the
   text), my questions with their state and answers, and my volunteer record (hours, star level). */
(function () {
  var P = window.PHONE;
  P.addMessages({
    "screen.legal": "普法与文明实践",
    "screen.legal.ask": "问律师",
    "screen.legal.questions": "我的咨询",
    "screen.legal.volunteer": "我的志愿服务",
    "lg.ask": "问律师",
    "lg.questions": "我的咨询",
    "lg.volunteer": "我的志愿服务",
    "lg.topic": "问题类别",
    "lg.question": "您的问题（500字以内）",
    "lg.submit": "提交问题",
    "lg.empty": "请写下您的问题。",
    "lg.asked": "已提交，村法律顾问会在 {at} 前答复。",
    "lg.failed": "提交没有成功：{detail}",
    "lg.no_questions": "还没有咨询",
    "lg.waiting": "等待答复",
    "lg.escalated": "已催办",
    "lg.answered": "已答复",
    "lg.due": "答复时限 {at}",
    "lg.msg.question": "问",
    "lg.msg.answer": "答",
    "lg.msg.follow_up": "追问",
    "lg.hours": "服务时长 {hours} 小时",
    "lg.stars": "星级 {stars}",
    "lg.stars_label": "{stars} 星（共 5 星）",
    "lg.sign_ups": "我报名的活动",
    "lg.no_sign_ups": "还没有报名活动",
    "lg.state.confirmed": "已报名",
    "lg.state.checked_in": "已签到",
    "lg.state.attended": "已完成",
    "lg.state.waiting": "候补中",
    "lg.state.offered": "有空位，请确认",
    "lg.state.cancelled": "已取消"
  });

  function stateOf(c) {
    if (c.state === "answered") return P.t("lg.answered");
    return c.escalated_percent >= 100 ? P.t("lg.escalated") : P.t("lg.waiting");
  }

  P.screen("legal", {
    title: "screen.legal",
    render: function (root) {
      root.appendChild(P.button(P.t("lg.ask"), function () { P.open("legal.ask"); }, { name: "lg:ask" }));
      root.appendChild(P.button(P.t("lg.questions"), function () { P.open("legal.questions"); }, { name: "lg:questions" }));
      root.appendChild(P.button(P.t("lg.volunteer"), function () { P.open("legal.volunteer"); }, { name: "lg:volunteer" }));
    }
  });

  P.screen("legal.ask", {
    title: "screen.legal.ask",
    render: function (root, params) {
      // One key per question typed here: a second tap (or a retry) asks nothing more.
      params.key = params.key || P.uuid();
      return P.api("GET", "/v1/legal/asking-choices").then(function (r) {
        if (r.status !== 200) return root.appendChild(P.el("p", { cls: "error", text: P.failure(r) }));
        var topic = P.el("select", { id: "lg-topic" });
        r.body.topics.forEach(function (t) { topic.appendChild(P.el("option", { value: t.code, text: t.label })); });
        var text = P.el("textarea", { id: "lg-question", maxlength: "500" });
        var note = P.el("p", { role: "alert", id: "lg-note" });
        var submit = P.button(P.t("lg.submit"), function () {
          var question = text.value.trim();
          if (!question) { note.className = "error"; note.textContent = P.t("lg.empty"); return; }
          submit.disabled = true;
          P.api("POST", "/v1/legal/consultations", { topic: topic.value, question: question }, { "Idempotency-Key": params.key }).then(function (x) {
            if (x.status === 201) {
              note.className = "done";
              note.textContent = P.t("lg.asked", { at: P.when(x.body.due_at) });
              root.appendChild(P.button(P.t("lg.questions"), function () { P.open("legal.questions"); }, { name: "lg:to_questions" }));
              return;
            }
            submit.disabled = false;
            note.className = "error";
            note.textContent = P.t("lg.failed", { detail: P.failure(x) });
          });
        }, { name: "lg:submit" });
        [P.el("label", { for: "lg-topic", text: P.t("lg.topic") }), topic,
         P.el("label", { for: "lg-question", text: P.t("lg.question") }), text, submit, note].forEach(function (e) { root.appendChild(e); });
      });
    }
  });

  P.screen("legal.questions", {
    title: "screen.legal.questions",
    render: function (root) {
      return P.api("GET", "/v1/legal/consultations?page_size=20").then(function (r) {
        if (r.status !== 200) return root.appendChild(P.el("p", { cls: "error", text: P.failure(r) }));
        if (!r.body.consultations.length) root.appendChild(P.el("p", { cls: "muted", text: P.t("lg.no_questions") }));
        r.body.consultations.forEach(function (c) {
          var card = P.el("div", { cls: "card", "data-name": "q:" + c.id }, [
            P.el("div", { cls: "title" }, [c.topic_label, P.el("span", { cls: "state", text: stateOf(c) })])
          ]);
          c.messages.forEach(function (m) {
            card.appendChild(P.el("p", { cls: "msg-" + m.kind, text: P.t("lg.msg." + m.kind) + "：" + m.text }));
          });
          var sub = c.state === "waiting" ? P.t("lg.due", { at: P.when(c.due_at) }) : c.advisor_name || "";
          card.appendChild(P.el("div", { cls: "sub", text: sub }));
          root.appendChild(card);
        });
      });
    }
  });

  P.screen("legal.volunteer", {
    title: "screen.legal.volunteer",
    render: function (root) {
      return P.api("GET", "/v1/legal/volunteer/record").then(function (r) {
        if (r.status !== 200) return root.appendChild(P.el("p", { cls: "error", text: P.failure(r) }));
        var rec = r.body, stars = rec.stars || 0, hours = rec.total_hours || 0;
        // The star level as a picture: five stars, those reached filled.
        var picture = "";
        for (var i = 1; i <= 5; i++) picture += i <= stars ? "★" : "☆";
        root.appendChild(P.el("div", { cls: "card" }, [
          P.el("div", { cls: "stars", role: "img", "aria-label": P.t("lg.stars_label", { stars: stars }), id: "lg-stars", text: picture }),
          P.el("p", { id: "lg-hours", text: P.t("lg.hours", { hours: hours }) })
        ]));
        root.appendChild(P.el("h2", { text: P.t("lg.sign_ups") }));
        var ups = rec.sign_ups || [];
        if (!ups.length) root.appendChild(P.el("p", { cls: "muted", text: P.t("lg.no_sign_ups") }));
        ups.forEach(function (s) {
          root.appendChild(P.el("div", { cls: "card" }, [
            P.el("div", { cls: "title" }, [s.activity_title, P.el("span", { cls: "state", text: P.t("lg.state." + s.state) })]),
            P.el("div", { cls: "sub", text: s.role + (s.hours ? " · " + P.t("lg.hours", { hours: s.hours }) : "") })
          ]));
        });
      });
    }
  });
})();
