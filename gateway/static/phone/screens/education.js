/* Education on the phone: today's programmes of the household's town, a question typed to the
   presenter of one of them (for the next episode), and the field classes (田间课堂): signing up,
   and checking in at the venue by its QR code (read by the phone's scanner, scan.js) or its code
   typed. Whoever missed the code is recorded by the village agent. */
(function () {
  var P = window.PHONE;
  var MEMBER = "本人"; // who asks or checks in, as on the TV
  var MAX_QUESTION = 300; // the district's bound (the service checks it: 400 beyond)
  var SESSION = /^[A-Za-z0-9-]{1,36}$/;
  var CODE = /^[0-9]{1,16}$/;
  P.addMessages({
    "screen.education": "今日节目与田间课堂",
    "screen.education.ask": "向主持人提问",
    "screen.education.checkin": "田间课堂签到",
    "edu.today": "今日节目",
    "edu.none_today": "今天没有节目",
    "edu.classes": "田间课堂",
    "edu.no_classes": "近期没有田间课堂",
    "edu.scan": "扫码签到",
    "edu.scan_intro": "请把手机摄像头对准课堂现场屏幕上的签到二维码。",
    "edu.scan_wrong": "这不是田间课堂的签到二维码，请扫描课堂现场屏幕上的二维码。",
    "edu.places": "{when} · {place} · 剩余 {left} 个名额",
    "edu.full": "{when} · {place} · 名额已满",
    "edu.sign_up": "报名",
    "edu.signed_up": "报名成功。",
    "edu.check_in": "签到",
    "edu.ask": "提问",
    "edu.question": "您的问题（{max} 字以内），下期节目由主持人解答",
    "edu.count": "{n}/{max}",
    "edu.submit": "送给主持人",
    "edu.empty": "请写下您的问题。",
    "edu.too_long": "问题请在 {max} 字以内。",
    "edu.asked": "问题已送给主持人，下期节目解答。",
    "edu.failed": "没有成功：{detail}",
    "edu.code": "签到码（现场屏幕上的数字）",
    "edu.code_bad": "签到码是现场屏幕上的数字，请核对后重新输入。",
    "edu.present": "签到成功：准时。",
    "edu.late": "签到成功：迟到。",
    "edu.wrong_code": "签到码不对或已过期，请看现场屏幕上最新的签到码。",
    "edu.not_signed_up": "您没有报名这堂课，不能签到。",
    "edu.already": "您已经签到过了。",
    "edu.over": "课已结束。没赶上签到，请找村代办员补签。",
    "edu.not_open": "还没到签到时间，开课前不久才能签到。",
    "edu.no_session": "没有找到这堂课。",
    "screen.education.attendance": "我的出勤与结业证书",
    "edu.attendance": "我的出勤",
    "edu.summary": "已出勤 {attended}/{counted} 堂（{percent}%）",
    "edu.certificate": "领取结业证书",
    "edu.certified": "结业证书：《{series}》 · {member} · 出勤 {attended}/{counted} 堂 · {at}",
    "edu.not_complete": "还不能领取：全部课上完、出勤达到要求后才能领取结业证书。",
    "att.present": "出席",
    "att.late": "迟到",
    "att.excused": "请假",
    "att.absent": "缺席",
    "att.not_enrolled": "报名前的课（不计）",
    "att.upcoming": "未开始",
    "state.loudspeaker": "村村响",
    "state.tv": "电视",
    "state.vod": "点播"
  });

  /* The venue's QR code says where the phone app's check-in is: /education/check-in?session_id&code. */
  P.reader("education.checkin", {
    intro: "edu.scan_intro",
    wrong: "edu.scan_wrong",
    read: function (text) {
      var url;
      try { url = new URL(text, location.href); } catch (e) { return null; }
      if (url.pathname.replace(/\/+$/, "") !== "/education/check-in") return null;
      var session = url.searchParams.get("session_id") || "", code = url.searchParams.get("code") || "";
      if (!SESSION.test(session) || !CODE.test(code)) return null;
      return { screen: "education.checkin", params: { session_id: session, code: code } };
    }
  });

  function failed(root, r) {
    root.appendChild(P.el("p", { cls: "error", text: P.failure(r) }));
  }

  P.screen("education", {
    title: "screen.education",
    render: function (root, params) {
      return Promise.all([P.api("GET", "/v1/education/today"), P.api("GET", "/v1/education/sessions")]).then(function (rs) {
        var today = rs[0], classes = rs[1];
        if (today.status !== 200) return failed(root, today);
        if (today.body.brand) root.appendChild(P.el("h2", { text: today.body.town_name + " · " + today.body.brand }));
        root.appendChild(P.el("h3", { text: P.t("edu.today") }));
        if (!today.body.slots.length) root.appendChild(P.el("p", { cls: "muted", text: P.t("edu.none_today") }));
        today.body.slots.forEach(function (s) {
          var el = P.button("", function () { P.open("education.ask", { slot: s }); }, { cls: "card", name: "edu:ask:" + s.id });
          el.appendChild(P.el("div", { cls: "title", text: P.when(s.starts_at) + " " + s.episode_title }));
          el.appendChild(P.el("div", { cls: "sub", text: s.series_title + " · " + s.channel_name + " · " + P.t("edu.ask") }));
          root.appendChild(el);
        });
        root.appendChild(P.el("h3", { text: P.t("edu.classes") }));
        root.appendChild(P.button(P.t("edu.scan"), function () { P.open("scan.read", { reader: "education.checkin" }); }, { name: "edu:scan" }));
        if (params.notice) root.appendChild(P.el("p", { id: "edu-notice", role: "status", text: params.notice }));
        if (classes.status !== 200) return failed(root, classes);
        if (!classes.body.sessions.length) root.appendChild(P.el("p", { cls: "muted", text: P.t("edu.no_classes") }));
        classes.body.sessions.forEach(function (s) {
          var when = P.when(s.starts_at);
          var card = P.el("div", { cls: "card", "data-session": s.id }, [
            P.el("div", { cls: "title", text: s.episode_title }),
            P.el("div", { cls: "sub", text: P.t(s.places_left ? "edu.places" : "edu.full", { when: when, place: s.place, left: s.places_left }) })
          ]);
          card.appendChild(P.button(P.t("edu.sign_up"), function (b) {
            b.disabled = true;
            P.api("POST", "/v1/education/sessions/" + encodeURIComponent(s.id) + "/sign-ups", { member: MEMBER }).then(function (r) {
              params.notice = r.status === 201 ? P.t("edu.signed_up") : P.t("edu.failed", { detail: P.failure(r) });
              P.redraw();
            });
          }, { name: "edu:sign-up:" + s.id, cls: "secondary" }));
          card.appendChild(P.button(P.t("edu.check_in"), function () {
            P.open("education.checkin", { session_id: s.id, place: s.place });
          }, { name: "edu:check-in:" + s.id }));
          card.appendChild(P.button(P.t("edu.attendance"), function () {
            P.open("education.attendance", { series_id: s.series_id });
          }, { name: "edu:attendance:" + s.id, cls: "secondary" }));
          root.appendChild(card);
        });
      });
    }
  });

  /* A question typed to the presenter of one of today's programmes. */
  P.screen("education.ask", {
    title: "screen.education.ask",
    render: function (root, params) {
      var s = params.slot;
      root.appendChild(P.el("p", { cls: "title", text: s.series_title + " · " + s.episode_title }));
      var text = P.el("textarea", { id: "edu-question", maxlength: String(MAX_QUESTION), rows: "5" });
      var count = P.el("p", { cls: "muted", id: "edu-count", text: P.t("edu.count", { n: 0, max: MAX_QUESTION }) });
      var note = P.el("p", { role: "alert", id: "edu-note" });
      text.addEventListener("input", function () {
        count.textContent = P.t("edu.count", { n: text.value.length, max: MAX_QUESTION });
      });
      var submit = P.button(P.t("edu.submit"), function () {
        var question = text.value.trim();
        note.className = "error";
        if (!question) { note.textContent = P.t("edu.empty"); return; }
        if (question.length > MAX_QUESTION) { note.textContent = P.t("edu.too_long", { max: MAX_QUESTION }); return; }
        submit.disabled = true;
        P.api("POST", "/v1/education/episodes/" + encodeURIComponent(s.episode_id) + "/questions", { member: MEMBER, text: question }).then(function (r) {
          if (r.status === 201) {
            note.className = "done";
            note.textContent = P.t("edu.asked");
            text.disabled = true;
            return;
          }
          submit.disabled = false;
          note.textContent = P.t("edu.failed", { detail: P.failure(r) });
        });
      }, { name: "edu:submit" });
      root.appendChild(P.el("label", { "for": "edu-question", text: P.t("edu.question", { max: MAX_QUESTION }) }));
      root.appendChild(text);
      root.appendChild(count);
      root.appendChild(submit);
      root.appendChild(note);
    }
  });

  /* A course's field classes: the member's attendance in each (sessions before they enrolled do not
     count), and the certificate of completion once every class has taken place. */
  P.screen("education.attendance", {
    title: "screen.education.attendance",
    render: function (root, params) {
      var path = "/v1/education/series/" + encodeURIComponent(params.series_id);
      return P.api("GET", path + "/attendance?member=" + encodeURIComponent(MEMBER)).then(function (r) {
        if (r.status !== 200) return failed(root, r);
        var a = r.body;
        root.appendChild(P.el("p", { cls: "title", id: "edu-summary", text: P.t("edu.summary", a) }));
        var list = P.el("ul", { id: "edu-attendance" });
        a.sessions.forEach(function (x) {
          list.appendChild(P.el("li", { "data-status": x.status, text: P.when(x.starts_at) + " · " + P.t("att." + x.status) }));
        });
        root.appendChild(list);
        var note = P.el("p", { id: "edu-certificate", role: "status" });
        root.appendChild(P.button(P.t("edu.certificate"), function (b) {
          b.disabled = true;
          P.api("POST", path + "/certificate", { member: MEMBER }).then(function (c) {
            b.disabled = false;
            note.className = c.status === 200 ? "done" : "error";
            note.textContent = c.status === 200
              ? P.t("edu.certified", { series: c.body.series_title, member: c.body.member, attended: c.body.attended, counted: c.body.counted, at: P.when(c.body.issued_at) })
              : c.status === 409 ? P.t("edu.not_complete") : P.failure(c);
          });
        }, { name: "edu:certificate" }));
        root.appendChild(note);
      });
    }
  });

  /* What the service's answer means to the member. */
  function outcome(r) {
    if (r.status === 200) return { ok: true, text: P.t(r.body.status === "late" ? "edu.late" : "edu.present") };
    var errors = (r.body && r.body.errors) || {};
    var key = null;
    if (r.status === 404) key = "edu.no_session";
    else if (r.status === 422) key = "edu.code_bad";
    else if (r.status === 400 && errors.code) key = "edu.wrong_code";
    else if (errors.member === "not signed up") key = "edu.not_signed_up";
    else if (errors.member === "checked in already") key = "edu.already";
    else if (errors.code === "after the session") key = "edu.over";
    else if (errors.code === "not open yet") key = "edu.not_open";
    return { ok: false, text: key ? P.t(key) : P.t("edu.failed", { detail: P.failure(r) }) };
  }

  /* Checking in: with the code the scanner read (sent at once, once), or with the code typed. */
  P.screen("education.checkin", {
    title: "screen.education.checkin",
    render: function (root, params) {
      if (params.place) root.appendChild(P.el("p", { cls: "title", text: params.place }));
      var result = P.el("p", { id: "edu-checkin-result", role: "status", "aria-live": "polite" });
      function send(code) {
        return P.api("POST", "/v1/education/sessions/" + encodeURIComponent(params.session_id) + "/check-in", { member: MEMBER, code: code }).then(function (r) {
          var o = outcome(r);
          params.result = o;
          result.className = o.ok ? "done" : "error";
          result.textContent = o.text;
          if (o.ok) form.hidden = true;
        });
      }
      var form = P.el("form", { id: "edu-code-form", novalidate: "" });
      var typed = P.el("input", { id: "edu-code", name: "code", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "16" });
      form.appendChild(P.el("label", { "for": "edu-code", text: P.t("edu.code") }));
      form.appendChild(typed);
      var go = P.button(P.t("edu.check_in"), function () {}, { name: "edu:check-in" });
      go.type = "submit";
      form.appendChild(go);
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var code = typed.value.replace(/\s+/g, "");
        if (!CODE.test(code)) { result.className = "error"; result.textContent = P.t("edu.code_bad"); return; }
        go.disabled = true;
        send(code).then(function () { go.disabled = false; });
      });
      root.appendChild(result);
      root.appendChild(form);
      if (params.result) { // drawn again (back to it): the answer stays, nothing is sent twice
        result.className = params.result.ok ? "done" : "error";
        result.textContent = params.result.text;
        form.hidden = params.result.ok;
      } else if (params.code && !params.sent) {
        params.sent = true;
        return send(params.code);
      }
    }
  });
})();
