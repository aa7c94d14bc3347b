/* Legal outreach's TV screens: what the judicial office published for the district (普法 articles,
   videos, party-building and civilization-practice notices), and one piece to read or to listen to
   (the box's text-to-speech where it has one, the recorded reading otherwise); asking the village's
   lawyer with the remote (a topic, then a ready-made short question or a call-back request); my
   questions with their answers and their 好差评; a quiz paper of 5 questions answered with the
   remote, and its score; the practice stations' volunteer activities, signed up for and cancelled. */
(function () {
  var TV = window.TV;
  TV.addMessages({
    "screen.legal": "普法与文明实践",
    "lg.none": "暂无内容",
    "lg.listen": "朗读",
    "lg.stop": "停止朗读",
    "lg.no_voice": "本机不能朗读",
    "lg.ask": "问律师",
    "lg.questions": "我的咨询",
    "lg.quizzes": "普法答题",
    "lg.activities": "志愿活动",
    "lg.pick_topic": "您想问哪方面的问题？",
    "lg.pick_question": "选一个问题，或请律师回电话",
    "lg.call_back": "请律师给我回电话",
    "lg.phone": "请输入回电的手机号（按数字键或选下面的数字）",
    "lg.phone_at": "回电号码 {phone}",
    "lg.phone_delete": "删除",
    "lg.phone_next": "下一步",
    "lg.phone_bad": "请输入11位手机号",
    "lg.confirm": "确认提交",
    "lg.sent": "已提交给{advisor}，请在“我的咨询”里查看答复",
    "lg.see_it": "查看这个问题",
    "lg.failed": "没有成功：{detail}",
    "lg.no_questions": "还没有咨询过",
    "lg.waiting": "等待律师答复",
    "lg.answered": "律师已答复",
    "lg.due": "答复时限 {at}",
    "lg.escalated": "已超时，已报司法所督办",
    "lg.asked_by_agent": "村代办员代问",
    "lg.msg.question": "问",
    "lg.msg.follow_up": "追问",
    "lg.msg.answer": "答",
    "lg.rate": "评价律师的答复",
    "lg.rated": "您的评价：{level}",
    "lg.rate_title": "您对律师的答复满意吗？",
    "lg.question_n": "第 {i}/{n} 题",
    "lg.previous": "上一题",
    "lg.submit": "交卷",
    "lg.all_answered": "5道题都答完了，请交卷",
    "lg.score": "得分 {score} 分，答对 {correct}/{n} 题",
    "lg.right": "答对了",
    "lg.wrong": "答错了，正确答案：{correct}",
    "lg.no_activities": "暂无志愿活动",
    "lg.left": "余 {n} 个名额",
    "lg.full": "名额已满",
    "lg.sign_up": "报名：{role}",
    "lg.cancel": "取消报名",
    "lg.mine": "我已报名（{role}）",
    "lg.state.confirmed": "已报名",
    "lg.state.checked_in": "已签到",
    "lg.state.attended": "已完成",
    "lg.state.cancelled": "已取消",
    "lg.state.waiting": "候补中",
    "lg.state.offered": "有空位了，请确认参加",
    "lg.state.expired": "候补名额已过期",
    "lg.wait": "排队候补：{role}",
    "lg.waiting_n": "{n} 人在候补",
    "lg.take": "确认参加",
    "lg.offered_until": "名额保留至 {at}",
    "lg.leave": "退出候补",
    "lg.hours": "志愿时长 {hours} 小时",
    "screen.legal.content": "普法与文明实践",
    "screen.legal.ask": "问律师",
    "screen.legal.ask_topic": "问律师",
    "screen.legal.ask_confirm": "请确认您的问题",
    "screen.legal.call_back": "请律师回电话",
    "screen.legal.questions": "我的咨询",
    "screen.legal.question": "咨询详情",
    "screen.legal.rate": "评价",
    "screen.legal.quizzes": "普法答题",
    "screen.legal.quiz": "普法答题",
    "screen.legal.activities": "志愿活动",
    "screen.legal.activity": "志愿活动"
  });

  function detail(r) {
    return TV.t("lg.failed", { detail: (r && r.body && r.body.detail) || (r && r.status) || "" });
  }

  function failed(root) {
    root.appendChild(TV.el("p", { text: TV.t("common.failed") }));
    root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "back" }));
  }

  TV.screen("legal", {
    title: "screen.legal",
    render: function (root, params) {
      root.appendChild(TV.el("div", { cls: "row", style: "margin-bottom:28px" }, [
        TV.button(TV.t("lg.ask"), function () { TV.open("legal.ask"); }, { nav: "lg:ask", opens: "legal.ask", cls: "btn big" }),
        TV.button(TV.t("lg.questions"), function () { TV.open("legal.questions"); }, { nav: "lg:questions", opens: "legal.questions", cls: "btn big" }),
        TV.button(TV.t("lg.quizzes"), function () { TV.open("legal.quizzes"); }, { nav: "lg:quizzes", opens: "legal.quizzes", cls: "btn big" }),
        TV.button(TV.t("lg.activities"), function () { TV.open("legal.activities"); }, { nav: "lg:activities", opens: "legal.activities", cls: "btn big" })
      ]));
      var path = "/v1/legal/contents?page_size=" + TV.pageSize() + (params.page_token ? "&page_token=" + encodeURIComponent(params.page_token) : "");
      return TV.api("GET", path).then(function (r) {
        if (r.status !== 200) return failed(root);
        var list = TV.el("div", { cls: "list" });
        if (!r.body.contents.length) list.appendChild(TV.el("p", { cls: "muted", text: TV.t("lg.none") }));
        r.body.contents.forEach(function (c) {
          var entry = TV.button("", function () { TV.open("legal.content", { id: c.id }); }, { cls: "entry", nav: "lg:" + c.id, opens: "legal.content" });
          entry.appendChild(TV.el("div", { text: c.title }));
          entry.appendChild(TV.el("div", { cls: "sub", text: [c.kind_label, c.topic_label].filter(Boolean).join(" · ") }));
          list.appendChild(entry);
        });
        root.appendChild(list);
        if (r.body.next_page_token) {
          root.appendChild(TV.button(TV.t("common.more"), function () { TV.open("legal", { page_token: r.body.next_page_token }); }, { nav: "lg:more", opens: "legal" }));
        }
      });
    }
  });

  var audio = null;
  function quiet() {
    if (window.speechSynthesis) window.speechSynthesis.cancel();
    if (audio) { audio.pause(); audio = null; }
  }

  TV.screen("legal.content", {
    title: "screen.legal",
    render: function (root, params) {
      quiet();
      return TV.api("GET", "/v1/legal/contents/" + encodeURIComponent(params.id)).then(function (r) {
        if (r.status !== 200) return failed(root);
        var c = r.body;
        root.appendChild(TV.el("h2", { text: c.title }));
        root.appendChild(TV.el("p", { cls: "sub", text: [c.kind_label, c.topic_label].filter(Boolean).join(" · ") }));
        var voice = window.speechSynthesis && window.SpeechSynthesisUtterance;
        var listen = TV.button(TV.t("lg.listen"), function () {
          quiet();
          if (voice) {
            var u = new window.SpeechSynthesisUtterance(c.speech_text || c.body);
            u.lang = "zh-CN";
            window.speechSynthesis.speak(u);
          } else if (c.audio_url) {
            audio = new Audio(c.audio_url);
            audio.play();
          }
        }, { nav: "lg:listen", cls: "btn big" });
        var stop = TV.button(TV.t("lg.stop"), quiet, { nav: "lg:stop" });
        var row = [listen, stop];
        if (!voice && !c.audio_url) row = [TV.el("span", { cls: "muted", text: TV.t("lg.no_voice") })];
        root.appendChild(TV.el("div", { cls: "row", style: "margin-bottom:28px" }, row));
        // Focusable paragraphs, so the remote scrolls through a long text.
        (c.body || "").split(/\n+/).forEach(function (text, i) {
          if (text) root.appendChild(TV.button(text, null, { cls: "entry", nav: "lg:p" + i }));
        });
        root.appendChild(TV.button(TV.t("common.back"), function () { quiet(); TV.back(); }, { nav: "back" }));
      });
    }
  });

  // --- asking the village's lawyer: a topic, then a ready-made question or a call-back request ---

  TV.screen("legal.ask", {
    title: "screen.legal.ask",
    render: function (root) {
      return TV.api("GET", "/v1/legal/asking-choices").then(function (r) {
        if (r.status !== 200) return failed(root);
        root.appendChild(TV.el("h2", { text: TV.t("lg.pick_topic") }));
        var list = TV.el("div", { cls: "list" });
        r.body.topics.forEach(function (t) {
          list.appendChild(TV.button(t.label, function () {
            TV.open("legal.ask_topic", { topic: t.code, label: t.label, questions: t.questions || [], call_back: r.body.call_back });
          }, { cls: "entry btn big", nav: "topic:" + t.code, opens: "legal.ask_topic" }));
        });
        root.appendChild(list);
      });
    }
  });

  TV.screen("legal.ask_topic", {
    title: "screen.legal.ask_topic",
    render: function (root, params) {
      root.appendChild(TV.el("h2", { text: params.label + " · " + TV.t("lg.pick_question") }));
      var list = TV.el("div", { cls: "list" });
      function choice(text, nav, label) {
        list.appendChild(TV.button(label || text, function () {
          TV.open("legal.ask_confirm", { topic: params.topic, label: params.label, question: text });
        }, { cls: "entry", nav: nav, opens: "legal.ask_confirm" }));
      }
      params.questions.forEach(function (q, i) { choice(q, "ask:q" + i); });
      if (params.call_back) {
        list.appendChild(TV.button(TV.t("lg.call_back"), function () {
          TV.open("legal.call_back", { topic: params.topic, label: params.label, question: params.call_back, phone: "" });
        }, { cls: "entry", nav: "ask:call_back", opens: "legal.call_back" }));
      }
      root.appendChild(list);
    }
  });

  // The number to call back on: the remote's number keys, or the on-screen keypad with arrows and OK.
  var MOBILE = /^1[3-9][0-9]{9}$/;
  var phoneEntry = null;

  function typeDigit(n) {
    if (!phoneEntry || phoneEntry.phone.length >= 11) return;
    phoneEntry.phone += String(n);
    TV.redraw();
  }

  TV.screen("legal.call_back", {
    title: "screen.legal.call_back",
    render: function (root, params) {
      phoneEntry = params;
      root.appendChild(TV.el("h2", { text: TV.t("lg.phone") }));
      root.appendChild(TV.el("p", { cls: "big", id: "lg-phone", text: params.phone || "—" }));
      var note = TV.el("p", { cls: "result", id: "lg-phone-note" });
      var rows = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [0]].map(function (digits) {
        return TV.el("div", { cls: "row" }, digits.map(function (d) {
          return TV.button(String(d), function () { typeDigit(d); }, { nav: "pad:" + d, cls: "btn" });
        }));
      });
      rows.forEach(function (row) { root.appendChild(row); });
      root.appendChild(TV.el("div", { cls: "row" }, [
        TV.button(TV.t("lg.phone_delete"), function () {
          params.phone = params.phone.slice(0, -1);
          TV.redraw();
        }, { nav: "pad:delete", cls: "btn" }),
        TV.button(TV.t("lg.phone_next"), function () {
          if (!MOBILE.test(params.phone)) { note.textContent = TV.t("lg.phone_bad"); return; }
          TV.open("legal.ask_confirm", { topic: params.topic, label: params.label, question: params.question, phone: params.phone });
        }, { nav: "pad:next", cls: "btn big" })
      ]));
      root.appendChild(note);
    },
    digit: typeDigit
  });

  TV.screen("legal.ask_confirm", {
    title: "screen.legal.ask_confirm",
    render: function (root, params) {
      // One key for this screen: OK pressed twice (or again after coming back) asks once.
      params.key = params.key || TV.uuid();
      root.appendChild(TV.el("p", { cls: "sub", text: params.label }));
      root.appendChild(TV.el("h2", { id: "lg-question", text: params.question }));
      if (params.phone) root.appendChild(TV.el("p", { cls: "sub", id: "lg-confirm-phone", text: TV.t("lg.phone_at", { phone: params.phone }) }));
      var note = TV.el("p", { cls: "result", id: "lg-result" });
      var send = TV.button(TV.t("lg.confirm"), function () {
        var asked = { topic: params.topic, question: params.question };
        if (params.phone) asked.call_back_phone = params.phone;
        TV.api("POST", "/v1/legal/consultations", asked, { "Idempotency-Key": params.key }).then(function (r) {
          note.setAttribute("data-status", r.status);
          if (r.status !== 201) { note.textContent = detail(r); return; }
          params.sent = r.body.id;
          params.advisor = r.body.advisor_name;
          TV.open("legal.question", { id: r.body.id });
        });
      }, { nav: "ask:send", cls: "btn big" });
      var row = [send, TV.button(TV.t("common.back"), TV.back, { nav: "ask:back", cls: "btn big" })];
      if (params.sent) {
        note.textContent = TV.t("lg.sent", { advisor: params.advisor });
        row = [TV.button(TV.t("lg.see_it"), function () { TV.open("legal.question", { id: params.sent }); }, { nav: "ask:see", opens: "legal.question", cls: "btn big" })];
      }
      root.appendChild(TV.el("div", { cls: "row" }, row));
      root.appendChild(note);
    }
  });

  // --- my questions and their answers ---

  function stateOf(c) {
    if (c.state === "answered") return TV.t("lg.answered");
    return c.escalated_percent >= 100 ? TV.t("lg.escalated") : TV.t("lg.waiting");
  }

  TV.screen("legal.questions", {
    title: "screen.legal.questions",
    render: function (root) {
      return TV.api("GET", "/v1/legal/consultations?page_size=" + TV.pageSize()).then(function (r) {
        if (r.status !== 200) return failed(root);
        var list = TV.el("div", { cls: "list" });
        if (!r.body.consultations.length) list.appendChild(TV.el("p", { cls: "muted", text: TV.t("lg.no_questions") }));
        r.body.consultations.forEach(function (c) {
          var entry = TV.button("", function () { TV.open("legal.question", { id: c.id }); }, { cls: "entry", nav: "q:" + c.id, opens: "legal.question" });
          entry.appendChild(TV.el("div", {}, [c.messages[0].text, TV.el("span", { cls: "state", text: stateOf(c) })]));
          entry.appendChild(TV.el("div", { cls: "sub", text: c.topic_label + " · " + TV.when(c.created_at) }));
          list.appendChild(entry);
        });
        root.appendChild(list);
      });
    }
  });

  TV.screen("legal.question", {
    title: "screen.legal.question",
    render: function (root, params) {
      return TV.api("GET", "/v1/legal/consultations/" + encodeURIComponent(params.id)).then(function (r) {
        if (r.status !== 200) return failed(root);
        var c = r.body;
        root.appendChild(TV.el("p", { cls: "sub", text: [c.topic_label, c.advisor_name, c.asker_kind === "village_agent" ? TV.t("lg.asked_by_agent") : ""].filter(Boolean).join(" · ") }));
        root.appendChild(TV.el("p", { cls: "state", id: "lg-state", text: stateOf(c) }));
        if (c.state === "waiting") root.appendChild(TV.el("p", { cls: "muted", text: TV.t("lg.due", { at: TV.when(c.due_at) }) }));
        // Each message focusable, so the remote scrolls through a long answer.
        c.messages.forEach(function (m, i) {
          var entry = TV.button("", null, { cls: "entry", nav: "msg:" + i });
          entry.appendChild(TV.el("div", { cls: "msg-" + m.kind, text: TV.t("lg.msg." + m.kind) + "：" + m.text }));
          entry.appendChild(TV.el("div", { cls: "sub", text: m.author_name + " · " + TV.when(m.at) }));
          root.appendChild(entry);
        });
        if (c.rating_level) {
          root.appendChild(TV.el("p", { cls: "rated", text: TV.t("lg.rated", { level: TV.t("rating." + c.rating_level) }) }));
        } else if (c.state === "answered") {
          root.appendChild(TV.button(TV.t("lg.rate"), function () { TV.open("legal.rate", { id: c.id }); }, { nav: "q:rate", opens: "legal.rate", cls: "btn big" }));
        }
      });
    }
  });

  TV.screen("legal.rate", {
    title: "lg.rate_title",
    render: function (root, params) {
      var note = TV.el("p", { cls: "result" });
      var list = TV.el("div", { cls: "list" });
      TV.RATING_LEVELS.forEach(function (level) {
        list.appendChild(TV.button(TV.t("rating." + level), function () {
          TV.api("POST", "/v1/legal/consultations/" + encodeURIComponent(params.id) + "/rating", { level: level }).then(function (r) {
            if (r.status === 200) return TV.back();
            note.textContent = detail(r);
          });
        }, { cls: "entry btn big", nav: "lgrate:" + level }));
      });
      root.appendChild(list);
      root.appendChild(note);
    }
  });

  // --- quizzes: a paper of 5 questions, one at a time, answered with the remote ---

  TV.screen("legal.quizzes", {
    title: "screen.legal.quizzes",
    render: function (root) {
      return TV.api("GET", "/v1/legal/quizzes").then(function (r) {
        if (r.status !== 200) return failed(root);
        var list = TV.el("div", { cls: "list" });
        r.body.papers.forEach(function (p) {
          var entry = TV.button("", function () { TV.open("legal.quiz", { id: p.id }); }, { cls: "entry", nav: "paper:" + p.id, opens: "legal.quiz" });
          entry.appendChild(TV.el("div", { text: p.title }));
          entry.appendChild(TV.el("div", { cls: "sub", text: p.topic_label }));
          list.appendChild(entry);
        });
        root.appendChild(list);
      });
    }
  });

  function quizResult(root, paper, result) {
    var n = paper.questions.length;
    root.appendChild(TV.el("h1", { id: "lg-score", text: TV.t("lg.score", { score: result.score || 0, correct: result.correct || 0, n: n }) }));
    var correct = {};
    (result.answers || []).forEach(function (a) { correct[a.question_id] = a; });
    paper.questions.forEach(function (q, i) {
      var a = correct[q.id] || {};
      var right = q.options.filter(function (o) { return o.key === a.correct; })[0];
      var entry = TV.button("", null, { cls: "entry", nav: "result:" + i });
      entry.appendChild(TV.el("div", { text: (i + 1) + ". " + q.text }));
      entry.appendChild(TV.el("div", { cls: "sub", text: a.chosen === a.correct ? TV.t("lg.right") : TV.t("lg.wrong", { correct: right ? right.text : a.correct }) }));
      root.appendChild(entry);
    });
    root.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "result:back", cls: "btn big" }));
  }

  TV.screen("legal.quiz", {
    title: "screen.legal.quiz",
    render: function (root, params) {
      params.answers = params.answers || {};
      params.index = params.index || 0;
      var got = params.paper ? Promise.resolve({ status: 200, body: params.paper }) : TV.api("GET", "/v1/legal/quizzes/" + encodeURIComponent(params.id));
      return got.then(function (r) {
        if (r.status !== 200) return failed(root);
        var paper = params.paper = r.body;
        root.appendChild(TV.el("h2", { text: paper.title }));
        if (params.result) return quizResult(root, paper, params.result);
        var n = paper.questions.length;
        var note = TV.el("p", { cls: "result", id: "lg-result" });
        if (params.index >= n) {
          root.appendChild(TV.el("p", { text: TV.t("lg.all_answered") }));
          var submit = TV.button(TV.t("lg.submit"), function () {
            TV.api("POST", "/v1/legal/quizzes/" + encodeURIComponent(paper.id) + "/submission", { answers: params.answers }).then(function (s) {
              note.setAttribute("data-status", s.status);
              if (s.status !== 200) { note.textContent = detail(s); return; }
              params.result = s.body;
              TV.redraw();
            });
          }, { nav: "quiz:submit", cls: "btn big" });
          root.appendChild(TV.el("div", { cls: "row" }, [submit, TV.button(TV.t("lg.previous"), function () { params.index = n - 1; TV.redraw(); }, { nav: "quiz:prev", cls: "btn big" })]));
          root.appendChild(note);
          return;
        }
        var q = paper.questions[params.index];
        root.appendChild(TV.el("p", { cls: "sub", id: "lg-progress", text: TV.t("lg.question_n", { i: params.index + 1, n: n }) }));
        root.appendChild(TV.el("p", { id: "lg-quiz-question", text: q.text }));
        var list = TV.el("div", { cls: "list" });
        q.options.forEach(function (o) {
          var chosen = params.answers[q.id] === o.key;
          // Named per question, so the next question's first option takes the focus.
          list.appendChild(TV.button((chosen ? "✓ " : "") + o.text, function () {
            params.answers[q.id] = o.key;
            params.index += 1;
            TV.redraw();
          }, { cls: "entry btn big", nav: "q" + params.index + ":" + o.key }));
        });
        root.appendChild(list);
        if (params.index > 0) {
          root.appendChild(TV.button(TV.t("lg.previous"), function () { params.index -= 1; TV.redraw(); }, { nav: "quiz:prev", cls: "btn" }));
        }
      });
    }
  });

  // --- volunteer activities at the practice stations: sign up, cancel ---

  function mySignUps() {
    return TV.api("GET", "/v1/legal/volunteer/record").then(function (r) {
      var mine = {};
      if (r.status === 200) (r.body.sign_ups || []).forEach(function (s) { mine[s.activity_id] = s; });
      return mine;
    });
  }

  function period(a) {
    return TV.when(a.starts_at) + " – " + TV.when(a.ends_at).split(" ").pop();
  }

  TV.screen("legal.activities", {
    title: "screen.legal.activities",
    render: function (root) {
      return Promise.all([TV.api("GET", "/v1/legal/activities?page_size=" + TV.pageSize()), mySignUps()]).then(function (got) {
        var r = got[0], mine = got[1];
        if (r.status !== 200) return failed(root);
        var list = TV.el("div", { cls: "list" });
        if (!r.body.activities.length) list.appendChild(TV.el("p", { cls: "muted", text: TV.t("lg.no_activities") }));
        r.body.activities.forEach(function (a) {
          var s = mine[a.id];
          var state = s ? TV.t("lg.state." + s.state) : (a.remaining ? TV.t("lg.left", { n: a.remaining }) : TV.t("lg.full"));
          var entry = TV.button("", function () { TV.open("legal.activity", { id: a.id }); }, { cls: "entry", nav: "act:" + a.id, opens: "legal.activity" });
          entry.appendChild(TV.el("div", {}, [a.title, TV.el("span", { cls: "state", text: state })]));
          entry.appendChild(TV.el("div", { cls: "sub", text: a.station_name + " · " + period(a) }));
          list.appendChild(entry);
        });
        root.appendChild(list);
      });
    }
  });

  TV.screen("legal.activity", {
    title: "screen.legal.activity",
    render: function (root, params) {
      var path = "/v1/legal/activities/" + encodeURIComponent(params.id);
      return Promise.all([TV.api("GET", path), mySignUps()]).then(function (got) {
        var r = got[0];
        if (r.status !== 200) return failed(root);
        var a = r.body, s = got[1][a.id];
        root.appendChild(TV.el("h1", { text: a.title }));
        root.appendChild(TV.el("p", { text: a.station_name + " · " + period(a) }));
        root.appendChild(TV.el("p", { id: "lg-left", text: a.remaining ? TV.t("lg.left", { n: a.remaining }) : TV.t("lg.full") }));
        var note = TV.el("p", { cls: "result", id: "lg-result" });
        function call(action, body) {
          TV.api("POST", path + "/" + action, body).then(function (c) {
            note.setAttribute("data-status", c.status);
            if (c.status === 200) return TV.redraw();
            note.textContent = detail(c);
          });
        }
        if (a.waiting) root.appendChild(TV.el("p", { cls: "muted", text: TV.t("lg.waiting_n", { n: a.waiting }) }));
        var actions = TV.el("div", { cls: "row" });
        function act(label, nav, onOk) { actions.appendChild(TV.button(label, onOk, { nav: nav, cls: "btn big" })); }
        var standing = s && s.state !== "cancelled" && s.state !== "expired";
        if (standing) {
          root.appendChild(TV.el("p", { cls: "state", id: "lg-mine", text: TV.t("lg.mine", { role: s.role }) + " · " + TV.t("lg.state." + s.state) }));
          if (s.hours) root.appendChild(TV.el("p", { text: TV.t("lg.hours", { hours: s.hours }) }));
          if (s.state === "offered") {
            root.appendChild(TV.el("p", { text: TV.t("lg.offered_until", { at: TV.when(s.expires_at) }) }));
            act(TV.t("lg.take"), "act:take", function () { call("sign-up", { role: s.role }); });
          }
          if (s.state === "confirmed" || s.state === "offered") act(TV.t("lg.cancel"), "act:cancel", function () { call("cancel"); });
          if (s.state === "waiting") act(TV.t("lg.leave"), "act:cancel", function () { call("cancel"); });
        } else {
          // A place left: sign up for a role; full: join the waiting list for one.
          a.roles.forEach(function (role, i) {
            var label = TV.t(a.remaining ? "lg.sign_up" : "lg.wait", { role: role });
            act(label, "act:role" + i, function () { call("sign-up", { role: role, join_waiting_list: !a.remaining }); });
          });
        }
        actions.appendChild(TV.button(TV.t("common.back"), TV.back, { nav: "act:back", cls: "btn big" }));
        root.appendChild(actions);
        root.appendChild(note);
      });
    }
  });
})();
