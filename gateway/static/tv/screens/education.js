/* Education's TV screens: today's programmes of the household's town (村村响, TV, on demand), my
   courses with where to resume, a lesson played on demand reporting its progress, signing up
   for a field class (空中课堂) with the remote, and checking in at it with the venue's code typed
   on the number keys. */
(function () {
  var TV = window.TV;
  var MEMBER = "本人"; // who watches or signs up when the household names no one else
  var notice = ""; // the last sign-up's outcome, shown on the classes screen
  TV.addMessages({
    "screen.education": "今日节目",
    "screen.education_courses": "我的课程",
    "screen.education_play": "点播学习",
    "screen.education_classes": "田间课堂报名",
    "edu.none_today": "今天没有节目",
    "edu.courses": "我的课程（继续学习）",
    "edu.classes": "报名田间课堂",
    "edu.no_courses": "还没有学过的课程",
    "edu.no_classes": "近期没有田间课堂",
    "edu.resume": "继续：{lesson}，从 {at} 开始 · 已学 {done}/{all} 课",
    "edu.play_from": "从 {at} 继续播放",
    "edu.watched": "已看 {percent}%",
    "edu.completed": "本课已学完",
    "edu.places": "{place} · {when} · 剩余 {left} 个名额",
    "edu.full": "{place} · {when} · 名额已满",
    "edu.signed_up": "报名成功：{place}，{when}",
    "edu.sign_up_failed": "报名没有成功：{detail}",
    "edu.waiting": "已满，已加入候补名单：{place}，有空位时通知您",
    "edu.cancel": "取消报名",
    "edu.cancelled": "已取消报名：{place}，{when}",
    "edu.cancel_failed": "取消没有成功：{detail}",
    "screen.education_checkin": "田间课堂签到",
    "edu.check_in": "签到",
    "edu.type_code": "用遥控器数字键输入课堂现场屏幕上的签到码，再按“签到”",
    "edu.delete": "删除",
    "edu.code_bad": "请输入现场屏幕上的签到码（数字）",
    "edu.present": "签到成功：准时",
    "edu.late": "签到成功：迟到",
    "edu.check_in_failed": "签到没有成功：{detail}",
    "edu.wrong_code": "签到没有成功：签到码不对或已过期，请看现场屏幕上最新的签到码",
    "edu.not_signed_up": "签到没有成功：没有报名这堂课",
    "edu.over": "签到没有成功：课已结束，请找村代办员补签",
    "screen.education_programme": "节目",
    "edu.follow": "关注本栏目（开播前提醒）",
    "edu.unfollow": "已关注 · 取消关注",
    "edu.followed": "已关注《{series}》，开播前会在电视上提醒您",
    "edu.unfollowed": "已取消关注《{series}》",
    "edu.ask": "向主持人提问",
    "edu.asked": "问题已送给主持人，下期节目解答",
    "edu.rate": "评价本期节目（好差评）",
    "edu.rated": "谢谢您的评价：{level}",
    "edu.failed": "没有成功：{detail}",
    "edu.resumed": "（预警后续播）",
    "edu.q1": "能把今天讲的再讲一遍吗？",
    "edu.q2": "下期能讲得更详细些吗？",
    "edu.q3": "这个技术在我们村能用吗？",
    "level.very_satisfied": "非常满意",
    "level.satisfied": "满意",
    "level.basically_satisfied": "基本满意",
    "level.dissatisfied": "不满意",
    "level.very_dissatisfied": "非常不满意",
    "state.loudspeaker": "村村响",
    "state.tv": "电视",
    "state.vod": "点播"
  });

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds || 0));
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  function failed(root) {
    root.appendChild(TV.el("p", { text: TV.t("common.failed") }));
  }

  TV.screen("education", {
    title: "screen.education",
    render: function (root) {
      return TV.api("GET", "/v1/education/today").then(function (r) {
        if (r.status !== 200) return failed(root);
        if (r.body.brand) root.appendChild(TV.el("h1", { text: r.body.town_name + " · " + r.body.brand }));
        var list = TV.el("div", { cls: "list" });
        if (!r.body.slots.length) list.appendChild(TV.el("p", { cls: "muted", text: TV.t("edu.none_today") }));
        r.body.slots.forEach(function (s) {
          var entry = TV.button("", function () { heard = ""; TV.open("education_programme", { slot: s }); },
            { cls: "entry", nav: "edu:slot:" + s.id, opens: "education_programme" });
          entry.appendChild(TV.el("div", { text: TV.when(s.starts_at) + "  " + s.episode_title + (s.resumes ? TV.t("edu.resumed") : "") }));
          entry.appendChild(TV.el("div", { cls: "sub", text: s.series_title + " · " + s.channel_name }));
          list.appendChild(entry);
        });
        root.appendChild(list);
        root.appendChild(TV.el("div", { cls: "row" }, [
          TV.button(TV.t("edu.courses"), function () { TV.open("education_courses", {}); }, { nav: "edu:courses", opens: "education_courses" }),
          TV.button(TV.t("edu.classes"), function () { notice = ""; TV.open("education_classes", {}); }, { nav: "edu:classes", opens: "education_classes" })
        ]));
      });
    }
  });

  /* One of today's programmes: follow its series (reminded before its programmes), ask the
     presenter one of the usual questions, rate the episode (好差评) with the remote. */
  var LEVELS = ["very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied"];
  var QUESTIONS = ["edu.q1", "edu.q2", "edu.q3"];
  var heard = ""; // the last answer on the programme screen
  TV.screen("education_programme", {
    title: "screen.education_programme",
    render: function (root, params) {
      var s = params.slot;
      function done(res, ok) {
        heard = res.status < 300 ? ok : TV.t("edu.failed", { detail: (res.body && res.body.detail) || res.status });
        TV.redraw();
      }
      return TV.api("GET", "/v1/education/following").then(function (r) {
        if (r.status !== 200) return failed(root);
        var following = r.body.series.some(function (x) { return x.id === s.series_id; });
        root.appendChild(TV.el("h1", { text: s.series_title + " · " + s.episode_title }));
        root.appendChild(TV.el("p", { cls: "sub", text: TV.when(s.starts_at) + " · " + s.channel_name }));
        if (heard) root.appendChild(TV.el("p", { id: "edu-heard", text: heard }));
        var list = TV.el("div", { cls: "list" });
        list.appendChild(TV.button(TV.t(following ? "edu.unfollow" : "edu.follow"), function () {
          TV.api("PUT", "/v1/education/series/" + encodeURIComponent(s.series_id) + "/follow", { following: !following })
            .then(function (res) { done(res, TV.t(following ? "edu.unfollowed" : "edu.followed", { series: s.series_title })); });
        }, { cls: "entry", nav: "edu:follow" }));
        list.appendChild(TV.el("h2", { text: TV.t("edu.ask") }));
        QUESTIONS.forEach(function (key, i) {
          list.appendChild(TV.button(TV.t(key), function () {
            TV.api("POST", "/v1/education/episodes/" + encodeURIComponent(s.episode_id) + "/questions", { member: MEMBER, text: TV.t(key) })
              .then(function (res) { done(res, TV.t("edu.asked")); });
          }, { cls: "entry sub", nav: "edu:ask:" + (i + 1) }));
        });
        list.appendChild(TV.el("h2", { text: TV.t("edu.rate") }));
        var row = TV.el("div", { cls: "row" });
        LEVELS.forEach(function (level) {
          row.appendChild(TV.button(TV.t("level." + level), function () {
            TV.api("POST", "/v1/education/episodes/" + encodeURIComponent(s.episode_id) + "/rating", { member: MEMBER, level: level })
              .then(function (res) { done(res, TV.t("edu.rated", { level: TV.t("level." + level) })); });
          }, { nav: "edu:rate:" + level }));
        });
        list.appendChild(row);
        root.appendChild(list);
      });
    }
  });

  // A reminder pushed while today's programmes are on screen: show them again (the toast says which).
  TV.onPush("education.starting_soon", function () {
    if (document.getElementById("screen").getAttribute("data-screen") === "education") TV.redraw();
  });

  TV.screen("education_courses", {
    title: "screen.education_courses",
    render: function (root) {
      return TV.api("GET", "/v1/education/my-courses").then(function (r) {
        if (r.status !== 200) return failed(root);
        var list = TV.el("div", { cls: "list" });
        // Something to focus even when empty: every screen is walked with the remote.
        if (!r.body.courses.length) list.appendChild(TV.button(TV.t("edu.no_courses"), TV.back, { cls: "entry muted", nav: "edu:no-courses" }));
        r.body.courses.forEach(function (c) {
          var entry = TV.button("", function () {
            TV.open("education_play", { episode_id: c.resume_episode_id, title: c.resume_episode_title, media_url: c.resume_media_url, member: c.member, position: c.resume_position_seconds });
          }, { cls: "entry", nav: "edu:course:" + c.series_id + ":" + c.member, opens: "education_play" });
          entry.setAttribute("data-resume", String(c.resume_position_seconds));
          entry.appendChild(TV.el("div", { text: c.title + " · " + c.member }));
          entry.appendChild(TV.el("div", { cls: "sub", text: TV.t("edu.resume", { lesson: c.resume_episode_title, at: clock(c.resume_position_seconds), done: c.completed_lessons, all: c.lessons }) }));
          list.appendChild(entry);
        });
        root.appendChild(list);
      });
    }
  });

  /* A lesson on demand: the stream plays from the resume position; its position is reported every
     15 s and when the viewer leaves (the service decides what counts as watched). */
  TV.screen("education_play", {
    title: "screen.education_play",
    render: function (root, params) {
      var video = TV.el("video", { src: params.media_url || "", preload: "none", style: "width:960px;height:540px;background:#000" });
      var status = TV.el("p", { cls: "muted", id: "edu-progress" });
      function report() {
        var at = Math.floor(video.currentTime || params.position || 0);
        return TV.api("PUT", "/v1/education/episodes/" + encodeURIComponent(params.episode_id) + "/progress",
          { member: params.member || MEMBER, position_seconds: at }).then(function (r) {
          if (r.status === 200) status.textContent = r.body.completed ? TV.t("edu.completed") : TV.t("edu.watched", { percent: r.body.percent });
        });
      }
      var timer = setInterval(function () { if (!document.body.contains(video)) clearInterval(timer); else if (!video.paused) report(); }, 15000);
      root.appendChild(TV.el("h1", { text: params.title || "" }));
      root.appendChild(video);
      root.appendChild(TV.button(TV.t("edu.play_from", { at: clock(params.position) }), function () {
        try { video.currentTime = params.position || 0; video.play(); } catch (e) { /* a box without the codec */ }
        report();
      }, { nav: "edu:play" }));
      root.appendChild(status);
    }
  });

  TV.screen("education_classes", {
    title: "screen.education_classes",
    render: function (root) {
      return TV.api("GET", "/v1/education/sessions").then(function (r) {
        if (r.status !== 200) return failed(root);
        if (notice) root.appendChild(TV.el("p", { id: "edu-notice", text: notice }));
        var list = TV.el("div", { cls: "list" });
        if (!r.body.sessions.length) list.appendChild(TV.button(TV.t("edu.no_classes"), TV.back, { cls: "entry muted", nav: "edu:no-classes" }));
        r.body.sessions.forEach(function (s) {
          var when = TV.when(s.starts_at);
          var label = s.places_left ? TV.t("edu.places", { place: s.place, when: when, left: s.places_left }) : TV.t("edu.full", { place: s.place, when: when });
          var path = "/v1/education/sessions/" + encodeURIComponent(s.id) + "/sign-ups";
          var entry = TV.button("", function () {
            // A full class: the member waits for a place (a freed one is offered to them).
            TV.api("POST", path, { member: MEMBER, wait: !s.places_left }).then(function (res) {
              var waiting = res.status === 201 && res.body.state === "waiting";
              notice = res.status !== 201 ? TV.t("edu.sign_up_failed", { detail: (res.body && res.body.detail) || res.status })
                : TV.t(waiting ? "edu.waiting" : "edu.signed_up", { place: s.place, when: when });
              TV.redraw(); // the places left, and the notice, with the focus where it was
            });
          }, { cls: "entry", nav: "edu:session:" + s.id });
          entry.appendChild(TV.el("div", { text: s.episode_title }));
          entry.appendChild(TV.el("div", { cls: "sub", text: label }));
          list.appendChild(entry);
          list.appendChild(TV.button(TV.t("edu.check_in"), function () {
            TV.open("education_checkin", { session: s, typed: "" });
          }, { cls: "entry sub", nav: "edu:check-in:" + s.id, opens: "education_checkin" }));
          list.appendChild(TV.button(TV.t("edu.cancel"), function () {
            TV.api("POST", path + "/cancel", { member: MEMBER }).then(function (res) {
              notice = res.status === 200 ? TV.t("edu.cancelled", { place: s.place, when: when })
                : TV.t("edu.cancel_failed", { detail: (res.body && res.body.detail) || res.status });
              TV.redraw();
            });
          }, { cls: "entry sub", nav: "edu:cancel:" + s.id }));
        });
        root.appendChild(list);
      });
    }
  });

  /* Checking in at the venue from the TV: the code its screen shows, typed with the number keys. */
  var typing = null;
  TV.screen("education_checkin", {
    title: "screen.education_checkin",
    digit: function (n) {
      if (!typing || typing.params.typed.length >= 16) return;
      typing.params.typed += String(n);
      typing.show();
    },
    render: function (root, params) {
      var s = params.session;
      root.appendChild(TV.el("h1", { text: s.episode_title }));
      root.appendChild(TV.el("p", { cls: "sub", text: TV.when(s.starts_at) + " · " + s.place }));
      var field = TV.el("div", { cls: "code", id: "edu-code" });
      var note = TV.el("p", { id: "edu-checked", text: params.said || TV.t("edu.type_code") });
      typing = { params: params, show: function () { field.textContent = params.typed || "—"; } };
      typing.show();
      root.appendChild(field);
      root.appendChild(note);
      root.appendChild(TV.el("div", { cls: "row" }, [
        TV.button(TV.t("edu.delete"), function () { params.typed = params.typed.slice(0, -1); typing.show(); }, { nav: "edu:code:delete", cls: "btn" }),
        TV.button(TV.t("edu.check_in"), function () {
          if (!params.typed) { note.textContent = TV.t("edu.code_bad"); return; }
          var path = "/v1/education/sessions/" + encodeURIComponent(s.id) + "/check-in";
          TV.api("POST", path, { member: MEMBER, code: params.typed }).then(function (res) {
            var errors = (res.body && res.body.errors) || {};
            var key = res.status === 200 ? (res.body.status === "late" ? "edu.late" : "edu.present")
              : res.status === 400 && errors.code ? "edu.wrong_code"
              : errors.member === "not signed up" ? "edu.not_signed_up"
              : errors.code === "after the session" ? "edu.over" : "";
            note.textContent = params.said = key ? TV.t(key) : TV.t("edu.check_in_failed", { detail: (res.body && res.body.detail) || res.status });
          });
        }, { nav: "edu:code:ok", cls: "btn big" })
      ]));
    }
  });
})();
